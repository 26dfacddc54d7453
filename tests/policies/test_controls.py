"""Every control catches its violation and passes its compliant twin, on engine-shaped properties
(PIA-II-6-a, PIA-III-2-g, PIA-III-7-c, PIA-III-7-d, PIA-III-3-d).

Each case reads as a statement a reviewer can check against the PIA."""

from __future__ import annotations

import json

import pytest
from pulumi_policy import PolicyProviderResource
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE, UnknownValueError

from policies.catalog import CONTROLS
from tests.policies.engine_args import policy_resource, resource_args, stack_args, violations_of

J = json.dumps
FN = "aws:lambda/function:Function"
GOOD_FUNCTION = {"vpcConfig": {"subnetIds": ["s1"], "securityGroupIds": ["sg"]}, "tracingConfig": {"mode": "Active"},
                 "deadLetterConfig": {"targetArn": "arn:aws:sqs:ap-northeast-1:1:dlq"},
                 "reservedConcurrentExecutions": 5, "kmsKeyArn": "arn:aws:kms:ap-northeast-1:1:key/k"}
PRIVATE_POLICY = J({"Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
     "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}},
    {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
     "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}]})
KEY_POLICY = J({"Statement": [{"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"},
                               "Action": "kms:*", "Resource": "*"},
                              {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"},
                               "Action": "kms:Decrypt", "Resource": "*",
                               "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:*"}}}]})

# (statement, control, resource type, compliant props, violating props)
RESOURCE_CASES = [
    ("personal data never leaves ap-northeast-1/3: providers (PIA-II-6-a)", "aws-provider-region-japan",
     "pulumi:providers:aws", {"region": "ap-northeast-3"}, {"region": "us-east-1"}),
    ("personal data never leaves ap-northeast-1/3: a resource's own region (PIA-II-6-a)",
     "aws-provider-region-japan", "aws:s3/bucket:Bucket", {"region": "ap-northeast-1"}, {"region": "eu-west-1"}),
    ("the network has no internet gateway (PIA-III-7-d)", "aws-ec2-internet-gateway-absent",
     "aws:ec2/vpc:Vpc", {"cidrBlock": "10.0.0.0/16"}, None),
    ("subnets never hand out public IPs (PIA-III-7-d)", "aws-ec2-subnet-no-public-ip", "aws:ec2/subnet:Subnet",
     {"mapPublicIpOnLaunch": False}, {"mapPublicIpOnLaunch": True}),
    ("no route leads to the internet (PIA-III-7-d)", "aws-ec2-route-no-default", "aws:ec2/route:Route",
     {"destinationCidrBlock": "172.16.0.0/16", "transitGatewayId": "tgw-1"},
     {"destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-1"}),
    ("inline routes of a table are checked too (PIA-III-7-d)", "aws-ec2-route-no-default",
     "aws:ec2/routeTable:RouteTable", {"routes": []}, {"routes": [{"ipv6CidrBlock": "::/0", "gatewayId": "igw-1"}]}),
    ("no security group is open to the world (PIA-III-7-c)", "aws-ec2-securitygroup-no-open-ingress",
     "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {"referencedSecurityGroupId": "sg-1",
                                                                   "fromPort": 443},
     {"cidrIpv4": "0.0.0.0/0", "fromPort": 443}),
    ("inline security-group ingress is checked too (PIA-III-7-c)", "aws-ec2-securitygroup-no-open-ingress",
     "aws:ec2/securityGroup:SecurityGroup", {"ingress": [{"cidrBlocks": ["10.0.0.0/8"]}]},
     {"ingress": [{"ipv6CidrBlocks": ["::/0"]}]}),
    ("the default security group is closed (PIA-III-7-c)", "aws-ec2-default-securitygroup-closed",
     "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", {"ingress": [], "egress": []},
     {"ingress": [{"self": True}], "egress": []}),
    ("the API is private and reachable only through our endpoint (PIA-III-2-g)", "aws-apigateway-restapi-private",
     "aws:apigateway/restApi:RestApi", {"endpointConfiguration": {"types": "PRIVATE", "vpcEndpointIds": ["vpce-1"]},
                                        "policy": PRIVATE_POLICY},
     {"endpointConfiguration": {"types": "REGIONAL"}}),
    ("no function URL exists (PIA-III-2-g)", "aws-lambda-function-no-public-access", "aws:lambda/permission:Permission",
     {"principal": "apigateway.amazonaws.com", "sourceArn": "arn:aws:execute-api:ap-northeast-1:1:a/*"},
     {"principal": "*"}),
    ("functions run inside the closed VPC (PIA-III-7-d)", "aws-lambda-function-in-vpc", FN, GOOD_FUNCTION,
     {**GOOD_FUNCTION, "vpcConfig": None}),
    ("functions are traced (PIA-III-7-d)", "aws-lambda-function-tracing", FN, GOOD_FUNCTION,
     {**GOOD_FUNCTION, "tracingConfig": {"mode": "PassThrough"}}),
    ("failed events go to a dead-letter queue (PIA-III-7-d)", "aws-lambda-function-dlq", FN, GOOD_FUNCTION,
     {k: v for k, v in GOOD_FUNCTION.items() if k != "deadLetterConfig"}),
    ("functions have reserved concurrency (PIA-III-7-d)", "aws-lambda-function-concurrency", FN, GOOD_FUNCTION,
     {**GOOD_FUNCTION, "reservedConcurrentExecutions": -1}),
    ("function environments are encrypted with our key (PIA-III-7-d)", "aws-lambda-function-env-cmk", FN,
     GOOD_FUNCTION, {**GOOD_FUNCTION, "kmsKeyArn": None}),
    ("tables are encrypted with our key (PIA-III-7-d)", "aws-dynamodb-table-cmk", "aws:dynamodb/table:Table",
     {"serverSideEncryption": {"enabled": True, "kmsKeyArn": "arn:k"}}, {"serverSideEncryption": {"enabled": True}}),
    ("tables can be restored to any point (PIA-II-6-b)", "aws-dynamodb-table-pitr", "aws:dynamodb/table:Table",
     {"pointInTimeRecovery": {"enabled": True}}, {}),
    ("tables cannot be deleted by accident (PIA-II-6-b)", "aws-dynamodb-table-deletion-protection",
     "aws:dynamodb/table:Table", {"deletionProtectionEnabled": True}, {"deletionProtectionEnabled": False}),
    ("keys rotate (PIA-III-7-d)", "aws-kms-key-rotation", "aws:kms/key:Key", {"enableKeyRotation": True},
     {"enableKeyRotation": False}),
    ("no key policy lets anyone use a key unconditionally (PIA-III-7-d)", "aws-kms-key-policy-restricted",
     "aws:kms/key:Key", {"policy": KEY_POLICY},
     {"policy": J({"Statement": [{"Sid": "Open", "Effect": "Allow", "Principal": {"AWS": "*"},
                                  "Action": "kms:Decrypt", "Resource": "*"}]})}),
    ("no key policy bypasses the lockout check (PIA-III-7-d)", "aws-kms-key-policy-restricted", "aws:kms/key:Key",
     {"policy": KEY_POLICY}, {"policy": KEY_POLICY, "bypassPolicyLockoutSafetyCheck": True}),
    ("logs are encrypted and kept for a set time (PIA-III-7-d)", "aws-cloudwatch-loggroup-kms-retention",
     "aws:cloudwatch/logGroup:LogGroup", {"kmsKeyId": "arn:k", "retentionInDays": 400}, {"retentionInDays": 0}),
    ("no role may do everything (PIA-III-3-d)", "aws-iam-policy-no-wildcard-action", "aws:iam/rolePolicy:RolePolicy",
     {"policy": J({"Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "arn:t"}]})},
     {"policy": J({"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:t"}]})}),
    ("no role touches every data resource (PIA-III-3-d)", "aws-iam-policy-no-wildcard-resource-on-data",
     "aws:iam/rolePolicy:RolePolicy",
     {"policy": J({"Statement": [{"Effect": "Allow", "Action": ["xray:PutTraceSegments"], "Resource": "*"}]})},
     {"policy": J({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]})}),
    ("alert topics are encrypted (PIA-III-7-d)", "aws-sns-topic-encrypted", "aws:sns/topic:Topic",
     {"kmsMasterKeyId": "arn:k"}, {}),
    ("queues are encrypted (PIA-III-7-d)", "aws-sqs-queue-encrypted", "aws:sqs/queue:Queue",
     {"kmsMasterKeyId": "arn:k"}, {"sqsManagedSseEnabled": True}),
    ("storage is tagged with its data class (PIA-II-2-b)", "aws-storage-data-classification-tag",
     "aws:dynamodb/table:Table", {"tags": {"data-classification": "personal"}}, {"tags": {"project": "choju"}}),
]
FORBIDDEN_TYPES = ["aws:ec2/internetGateway:InternetGateway",
                   "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
                   "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip"]


@pytest.mark.parametrize("statement, control, type_, good, bad", RESOURCE_CASES, ids=[c[0] for c in RESOURCE_CASES])
def test_resource_controls(statement: str, control: str, type_: str, good: dict, bad: dict | None) -> None:
    assert violations_of(control, resource_args(type_, good)) == []
    if bad is not None:
        found = violations_of(control, resource_args(type_, bad))
        assert found and all(v.startswith(control) for v in found)


@pytest.mark.parametrize("type_", FORBIDDEN_TYPES)
def test_no_gateway_to_the_internet_of_any_kind_is_allowed(type_: str) -> None:
    """PIA-III-7-d: the closed network has no internet, egress-only or NAT gateway and no Elastic IP."""
    assert violations_of("aws-ec2-internet-gateway-absent", resource_args(type_, {}))


def test_a_resource_whose_provider_is_outside_japan_is_caught() -> None:
    """PIA-II-6-a: the default provider's region is checked on every resource, not only on providers."""
    virginia = PolicyProviderResource("pulumi:providers:aws", {"region": "us-east-1"}, "urn:p", "p")
    args = resource_args("aws:dynamodb/table:Table", {}, provider=virginia)
    assert violations_of("aws-provider-region-japan", args)


def test_a_function_url_is_refused() -> None:
    """PIA-III-2-g: no Lambda endpoint outside the private API."""
    assert violations_of("aws-lambda-function-no-public-access", resource_args("aws:lambda/functionUrl:FunctionUrl",
                                                                               {}))


def test_an_unknown_value_is_undecidable_never_compliant() -> None:
    """At preview a property may be unknown: the check raises the SDK's UnknownValueError (reported as 'cannot
    run during preview') instead of passing."""
    with pytest.raises(UnknownValueError):
        violations_of("aws-ec2-subnet-no-public-ip",
                      resource_args("aws:ec2/subnet:Subnet", {"mapPublicIpOnLaunch": UNKNOWN_BOOLEAN_VALUE}))
    with pytest.raises(UnknownValueError):
        violations_of("aws-provider-region-japan", resource_args("pulumi:providers:aws",
                                                                 {"region": UNKNOWN_STRING_VALUE}))


# --- stack controls: joins across side-by-side resources --------------------------------------------------

def bucket_set(*, pab: bool = True, sse: str = "aws:kms", key: str | None = "arn:k", tls: bool = True,
               vpce: bool = True, versioning: bool = True, logging: bool = True, lock: bool = False,
               classification: str = "personal", by_dependency: bool = True):
    bucket = policy_resource("aws:s3/bucket:Bucket", "docs", {"bucket": "choju-t-docs", "objectLockEnabled": lock,
                                                            "tags": {"data-classification": classification}})

    def attached(type_: str, name: str, props: dict):
        deps = {"bucket": [bucket]} if by_dependency else {}
        return policy_resource(type_, name, {"bucket": "choju-t-docs" if not by_dependency else "x", **props}, deps)

    policy = [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}] if tls else []
    if vpce:
        policy.append({"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                       "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-s3"]}}})
    parts = [bucket]
    if pab:
        parts.append(attached("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab",
                              dict.fromkeys(("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                             "restrictPublicBuckets"), True)))
    parts.append(attached("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                          "sse", {"rules": [{"applyServerSideEncryptionByDefault": {
                              "sseAlgorithm": sse, **({"kmsMasterKeyId": key} if key else {})}}]}))
    parts.append(attached("aws:s3/bucketPolicy:BucketPolicy", "policy", {"policy": J({"Statement": policy})}))
    if versioning:
        parts.append(attached("aws:s3/bucketVersioning:BucketVersioning", "versioning",
                              {"versioningConfiguration": {"status": "Enabled"}}))
    if logging:
        parts.append(attached("aws:s3/bucketLogging:BucketLogging", "logging", {"targetBucket": "logs"}))
    if lock:
        parts.append(attached("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "lock",
                              {"rule": {"defaultRetention": {"mode": "COMPLIANCE", "days": 30}}}))
    return stack_args(*parts)


S3_CASES = [
    ("buckets block every form of public access (PIA-III-7-c)", "aws-s3-bucket-public-access-block", {"pab": False}),
    ("buckets encrypt with our key (PIA-III-7-d)", "aws-s3-bucket-sse-kms", {"sse": "AES256", "key": None}),
    ("buckets refuse plain HTTP (PIA-III-2-g)", "aws-s3-bucket-tls-only", {"tls": False}),
    ("personal-data buckets refuse requests from outside the VPC endpoint (PIA-III-7-d)", "aws-s3-bucket-vpce-only",
     {"vpce": False}),
    ("buckets keep versions (PIA-II-6-b)", "aws-s3-bucket-versioning", {"versioning": False}),
    ("buckets log access (PIA-III-2-c)", "aws-s3-bucket-access-logging", {"logging": False}),
]


@pytest.mark.parametrize("statement, control, broken", S3_CASES, ids=[c[0] for c in S3_CASES])
@pytest.mark.parametrize("by_dependency", [True, False], ids=["joined-by-dependency", "joined-by-name"])
def test_bucket_controls(statement: str, control: str, broken: dict, by_dependency: bool) -> None:
    assert violations_of(control, bucket_set(by_dependency=by_dependency)) == []
    assert violations_of(control, bucket_set(by_dependency=by_dependency, **broken))


def test_the_audit_bucket_is_under_compliance_object_lock() -> None:
    """PIA-III-8: audit digests cannot be altered or deleted."""
    assert violations_of("aws-s3-bucket-audit-object-lock", bucket_set(classification="audit", lock=True)) == []
    assert violations_of("aws-s3-bucket-audit-object-lock", bucket_set(classification="audit", lock=False))


def vpc_set(flow: str | None = "ALL", endpoints: tuple[str, ...] = ("s3", "dynamodb", "execute-api", "kms", "logs",
                                                                    "sts", "sqs")):
    vpc = policy_resource("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"})
    parts = [vpc]
    if flow:
        parts.append(policy_resource("aws:ec2/flowLog:FlowLog", "flow", {"trafficType": flow, "vpcId": "x"},
                                     {"vpcId": [vpc]}))
    for service in endpoints:
        kind = "Gateway" if service in ("s3", "dynamodb") else "Interface"
        parts.append(policy_resource("aws:ec2/vpcEndpoint:VpcEndpoint", f"ep-{service}", {
            "serviceName": f"com.amazonaws.ap-northeast-1.{service}", "vpcEndpointType": kind}))
    return stack_args(*parts)


def test_every_vpc_logs_all_traffic() -> None:
    """PIA-III-7-d: network activity is monitored."""
    assert violations_of("aws-ec2-vpc-flow-logs", vpc_set()) == []
    assert violations_of("aws-ec2-vpc-flow-logs", vpc_set(flow="REJECT"))
    assert violations_of("aws-ec2-vpc-flow-logs", vpc_set(flow=None))


def test_aws_apis_are_reached_through_endpoints() -> None:
    """PIA-III-7-d: no AWS API call needs a route out of the VPC."""
    assert violations_of("aws-ec2-vpc-endpoints-present", vpc_set()) == []
    assert violations_of("aws-ec2-vpc-endpoints-present", vpc_set(endpoints=("s3", "dynamodb")))


def monitoring_set(trail: dict | None, detector: bool, provided: tuple[str, ...] = ()):
    parts = [policy_resource("choju:monitoring:Monitoring", "monitoring", {"providedByOrganisation": list(provided)})]
    if trail is not None:
        parts.append(policy_resource("aws:cloudtrail/trail:Trail", "trail", trail))
    if detector:
        parts.append(policy_resource("aws:guardduty/detector:Detector", "detector", {"enable": True}))
        for feature in ("S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION"):
            parts.append(policy_resource("aws:guardduty/detectorFeature:DetectorFeature", feature,
                                         {"name": feature, "status": "ENABLED"}))
    return stack_args(*parts)


GOOD_TRAIL = {"isMultiRegionTrail": True, "enableLogFileValidation": True, "kmsKeyId": "arn:k",
              "cloudWatchLogsGroupArn": "arn:lg:*", "advancedEventSelectors": [
                  {"name": "s3", "fieldSelectors": [{"field": "resources.type", "equals": ["AWS::S3::Object"]}]},
                  {"name": "lambda", "fieldSelectors": [{"field": "resources.type",
                                                         "equals": ["AWS::Lambda::Function"]}]}]}


def test_a_complete_trail_or_the_organisations_is_required() -> None:
    """PIA-III-7-d: account behaviour and data access are recorded."""
    assert violations_of("aws-cloudtrail-trail-configured", monitoring_set(GOOD_TRAIL, True)) == []
    assert violations_of("aws-cloudtrail-trail-configured", monitoring_set(None, True, ("cloudtrail",))) == []
    assert violations_of("aws-cloudtrail-trail-configured", monitoring_set(None, True))
    assert violations_of("aws-cloudtrail-trail-configured",
                         monitoring_set({**GOOD_TRAIL, "isMultiRegionTrail": False, "advancedEventSelectors": []},
                                        True))


def test_guardduty_with_its_features_or_the_organisations_is_required() -> None:
    """PIA-III-7-d: 24/365 threat detection."""
    assert violations_of("aws-guardduty-detector-configured", monitoring_set(GOOD_TRAIL, True)) == []
    assert violations_of("aws-guardduty-detector-configured", monitoring_set(GOOD_TRAIL, False, ("guardduty",))) == []
    assert violations_of("aws-guardduty-detector-configured", monitoring_set(GOOD_TRAIL, False))


def test_stages_log_and_trace_without_bodies() -> None:
    """PIA-III-7-d, III-2-c."""
    stage = policy_resource("aws:apigateway/stage:Stage", "stage", {"accessLogSettings": {"destinationArn": "arn:lg"},
                                                                    "xrayTracingEnabled": True})
    good = policy_resource("aws:apigateway/methodSettings:MethodSettings", "ms",
                           {"settings": {"loggingLevel": "INFO", "dataTraceEnabled": False}})
    bodies = policy_resource("aws:apigateway/methodSettings:MethodSettings", "ms",
                             {"settings": {"loggingLevel": "INFO", "dataTraceEnabled": True}})
    assert violations_of("aws-apigateway-stage-logging", stack_args(stage, good)) == []
    assert violations_of("aws-apigateway-stage-logging", stack_args(stage, bodies))


def test_function_roles_carry_the_japan_only_boundary() -> None:
    """PIA-II-6-a: even a stolen function role cannot act outside Japan."""
    boundary = policy_resource("aws:iam/policy:Policy", "boundary", {"name": "choju-t-region-boundary", "policy": J(
        {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                       {"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*", "Condition": {
                           "StringNotEquals": {"aws:RequestedRegion": ["ap-northeast-1", "ap-northeast-3"]}}}]})})
    assume = J({"Statement": [{"Principal": {"Service": "lambda.amazonaws.com"}}]})
    bound = policy_resource("aws:iam/role:Role", "role", {"assumeRolePolicy": assume, "permissionsBoundary": "x"},
                            {"permissionsBoundary": [boundary]})
    unbound = policy_resource("aws:iam/role:Role", "role", {"assumeRolePolicy": assume})
    assert violations_of("aws-iam-role-region-boundary", stack_args(boundary, bound)) == []
    assert violations_of("aws-iam-role-region-boundary", stack_args(boundary, unbound))


AUDIT_ARN = "arn:aws:dynamodb:ap-northeast-1:1:table/choju-t-audit-log"
APPEND = {"Sid": "AppendAuditEvents", "Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": AUDIT_ARN,
          "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["????-??-??#?"]},
                        "ForAllValues:StringEquals": {"dynamodb:Attributes": ["day_shard", "event_id", "at", "detail"]},
                        "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}}}
SEAL = {"Sid": "SealAuditEvents", "Effect": "Allow", "Action": ["dynamodb:UpdateItem"], "Resource": AUDIT_ARN,
        "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["day_shard", "event_id", "seq", "hash"]}}}
TABLE_POLICY = [
    {"Effect": "Deny", "Principal": "*", "Action": ["dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
                                                    "dynamodb:PartiQLDelete"], "Resource": AUDIT_ARN},
    {"Effect": "Deny", "Principal": "*", "Action": ["dynamodb:UpdateItem"], "Resource": AUDIT_ARN,
     "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::1:role/choju-t-platform-audit-sealer"}}}]


def audit_set(*, workflow: list[dict] | None = None, sealer: list[dict] | None = None, extra: list[dict] | None = None,
              table_policy: list[dict] | None = TABLE_POLICY):
    table = policy_resource("aws:dynamodb/table:Table", "audit-log", {"name": "choju-t-audit-log",
                                                                      "tags": {"data-classification": "audit"}})
    parts = [table,
             policy_resource("aws:iam/rolePolicy:RolePolicy", "intake", {"policy": J({"Statement": workflow or [
                 APPEND]})}),
             policy_resource("aws:iam/rolePolicy:RolePolicy", "sealer", {"policy": J({"Statement": sealer or [SEAL]})})]
    if extra:
        parts.append(policy_resource("aws:iam/rolePolicy:RolePolicy", "rogue", {"policy": J({"Statement": extra})}))
    if table_policy is not None:
        parts.append(policy_resource("aws:dynamodb/resourcePolicy:ResourcePolicy", "audit-log-policy",
                                     {"resourceArn": AUDIT_ARN, "policy": J({"Statement": table_policy})}))
    return stack_args(*parts)


AUDIT_CASES = [
    ("a role may delete audit events", {"extra": [{"Effect": "Allow", "Action": "dynamodb:DeleteItem",
                                                   "Resource": AUDIT_ARN}]}),
    ("a wildcard write reaches the audit table", {"extra": [{"Effect": "Allow", "Action": ["dynamodb:Batch*"],
                                                             "Resource": "arn:aws:dynamodb:*:*:table/*"}]}),
    ("a put without conditions", {"workflow": [{**APPEND, "Condition": {}}]}),
    ("a put that may name the hash (forge a seal)", {"workflow": [{**APPEND, "Condition": {
        **APPEND["Condition"], "ForAllValues:StringEquals": {"dynamodb:Attributes": ["day_shard", "hash"]}}}]}),
    ("a put into the head's partition", {"workflow": [{**APPEND, "Condition": {
        **APPEND["Condition"], "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["*"]}}}]}),
    ("an update beyond the seal", {"sealer": [{**SEAL, "Condition": {}}]}),
    ("a second role may seal", {"extra": [SEAL]}),
    ("the table has no policy of its own", {"table_policy": None}),
    ("the table's policy lets updates through", {"table_policy": TABLE_POLICY[:1]}),
]


@pytest.mark.parametrize("broken", [c[1] for c in AUDIT_CASES], ids=[c[0] for c in AUDIT_CASES])
def test_the_audit_log_is_append_only(broken: dict) -> None:
    """PIA-III-2-c, III-3-f, III-8: each way of granting more than append (or seal, once) is caught."""
    assert violations_of("aws-dynamodb-audit-log-append-only", audit_set()) == []
    found = violations_of("aws-dynamodb-audit-log-append-only", audit_set(**broken))
    assert found and all(v.startswith("aws-dynamodb-audit-log-append-only") for v in found)


def test_every_catalog_control_has_a_case_here() -> None:
    """The negative twins cover the whole catalog: adding a control without a test fails here."""
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    assert [c.id for c in CONTROLS if f'"{c.id}"' not in source] == []
