"""Pre-deployment checks, one small function per control (pulumi/compliance-policies style).

Resource checks take one resource and return violation messages; stack checks take every resource and return
(resource name, message) pairs, so they can join a bucket to its side-by-side v7 resources.
"""

from __future__ import annotations

from typing import Any

from policies.model import Res, as_list, policy_document, statements
from shared.domain.regions import ALLOWED_REGIONS

OPEN_CIDRS = ("0.0.0.0/0", "::/0")
NETWORK_FORBIDDEN = {
    "aws:ec2/internetGateway:InternetGateway": "an internet gateway",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": "an egress-only internet gateway",
    "aws:ec2/natGateway:NatGateway": "a NAT gateway",
    "aws:ec2/eip:Eip": "an Elastic IP",
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": "an internet gateway attachment",
}
PERSONAL_CLASSES = ("specific-personal", "personal", "audit")
STORAGE_TYPES = ("aws:s3/bucket:Bucket", "aws:dynamodb/table:Table", "aws:sqs/queue:Queue",
                 "aws:cloudwatch/logGroup:LogGroup")
NON_DATA_ACTION_PREFIXES = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                            "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                            "ec2:UnassignPrivateIpAddresses", "xray:", "logs:DescribeLogGroups",
                            "cloudwatch:PutMetricData", "cloudtrail:LookupEvents")  # no resource-level permissions
Violations = list[str]
StackViolations = list[tuple[str, str]]


# --- region ----------------------------------------------------------------------------------------------

def region_in_japan(res: Res) -> Violations:
    """Providers, and any resource's own `region` (pulumi-aws v7), are ap-northeast-1 or ap-northeast-3."""
    out = []
    if res.type == "pulumi:providers:aws" and res.get("region") not in ALLOWED_REGIONS:
        out.append(f"provider region {res.get('region')!r} is outside Japan")
    region = res.get("region")
    if res.type != "pulumi:providers:aws" and region is not None and region not in ALLOWED_REGIONS:
        out.append(f"resource region {res.get('region')!r} is outside Japan")
    if res.provider_region is not None and res.provider_region not in ALLOWED_REGIONS:
        out.append(f"its provider's region {res.provider_region!r} is outside Japan")
    return out


# --- network ---------------------------------------------------------------------------------------------

def no_internet_gateway(res: Res) -> Violations:
    what = NETWORK_FORBIDDEN.get(res.type)
    return [f"{what} opens a path to the internet"] if what else []


def subnet_no_public_ip(res: Res) -> Violations:
    if res.type != "aws:ec2/subnet:Subnet":
        return []
    out = []
    if res.get("mapPublicIpOnLaunch") is True:
        out.append("mapPublicIpOnLaunch gives instances public IPs")
    if res.get("assignIpv6AddressOnCreation") is True:
        out.append("assignIpv6AddressOnCreation gives global IPv6 addresses")
    return out


def no_default_route(res: Res) -> Violations:
    routes: list[Any] = []
    if res.type == "aws:ec2/route:Route":
        routes = [res.props]
    elif res.type == "aws:ec2/routeTable:RouteTable":
        routes = as_list(res.get("routes"))
    out = []
    for route in routes:
        for key in ("destinationCidrBlock", "destinationIpv6CidrBlock", "cidrBlock", "ipv6CidrBlock"):
            if route.get(key) in OPEN_CIDRS:
                out.append(f"a route to {route[key]} leaves the closed network")
        if route.get("gatewayId", "").startswith("igw-") or route.get("natGatewayId"):
            out.append("a route through an internet or NAT gateway")
    return out


def security_group_no_open_ingress(res: Res) -> Violations:
    rules: list[Any] = []
    if res.type == "aws:ec2/securityGroup:SecurityGroup":
        rules = as_list(res.get("ingress"))
    elif res.type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" or (
            res.type == "aws:ec2/securityGroupRule:SecurityGroupRule" and res.get("type") == "ingress"):
        rules = [res.props]
    out = []
    for rule in rules:
        cidrs = [*as_list(rule.get("cidrBlocks")), *as_list(rule.get("ipv6CidrBlocks")),
                 rule.get("cidrIpv4"), rule.get("cidrIpv6")]
        if any(c in OPEN_CIDRS for c in cidrs):
            out.append("ingress from 0.0.0.0/0 or ::/0")
    return out


def default_security_group_closed(res: Res) -> Violations:
    if res.type != "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
        return []
    if as_list(res.get("ingress")) or as_list(res.get("egress")):
        return ["the default security group keeps rules"]
    return []


def vpc_flow_logs(resources: list[Res]) -> StackViolations:
    vpcs = [r for r in resources if r.type == "aws:ec2/vpc:Vpc"]
    return [(v.name, "no flow log capturing ALL traffic") for v in vpcs
            if not any(f.get("trafficType") == "ALL" for f in _attached(resources, "aws:ec2/flowLog:FlowLog", v,
                                                                         "vpcId"))]


def vpc_endpoints_present(resources: list[Res]) -> StackViolations:
    needed = {"s3": "Gateway", "dynamodb": "Gateway", "execute-api": "Interface", "kms": "Interface",
              "logs": "Interface", "sts": "Interface", "sqs": "Interface"}
    present = {str(r.get("serviceName", default="")).rsplit(".", 1)[-1]: r.get("vpcEndpointType")
               for r in resources if r.type == "aws:ec2/vpcEndpoint:VpcEndpoint"}
    vpcs = [r for r in resources if r.type == "aws:ec2/vpc:Vpc"]
    return [(v.name, f"no {kind} endpoint for {service}") for v in vpcs for service, kind in needed.items()
            if present.get(service) != kind]


# --- API Gateway and Lambda ------------------------------------------------------------------------------

# Front doors that cannot be private: an HTTP or WebSocket API (API Gateway v2 has no private endpoint type), a
# CloudFront distribution, an internet-facing load balancer. Any of them before a function bypasses the private
# REST API while the REST API itself stays compliant.
PUBLIC_FRONT_DOORS = {
    "aws:apigatewayv2/api:Api": "an API Gateway v2 (HTTP/WebSocket) API is always reachable from the internet",
    "aws:cloudfront/distribution:Distribution": "a CloudFront distribution is an internet endpoint",
    "aws:appsync/graphQLApi:GraphQLApi": "an AppSync API is an internet endpoint",
}
LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer",
                  "aws:elb/loadBalancer:LoadBalancer")


def api_private(res: Res) -> Violations:
    if res.type in PUBLIC_FRONT_DOORS:
        return [PUBLIC_FRONT_DOORS[res.type]]
    if res.type in LOAD_BALANCERS and res.get("internal") is not True:
        return ["a load balancer that is not internal faces the internet"]
    if res.type == "aws:apigateway/domainName:DomainName" and as_list(
            res.get("endpointConfiguration", "types")) != ["PRIVATE"]:
        return ["a custom domain name that is not PRIVATE publishes the API"]
    if res.type != "aws:apigateway/restApi:RestApi":
        return []
    out = []
    types = as_list(res.get("endpointConfiguration", "types"))
    if types != ["PRIVATE"]:
        out.append(f"endpoint type {types or 'EDGE (default)'} is not PRIVATE")
    endpoints = as_list(res.get("endpointConfiguration", "vpcEndpointIds"))
    if not endpoints:
        out.append("not bound to a VPC endpoint (vpcEndpointIds)")
    policy = statements(policy_document(res))
    allow_via_vpce = any(s.get("Effect") == "Allow" and "aws:SourceVpce" in s.get("Condition", {}).get(
        "StringEquals", {}) for s in policy)
    deny_others = any(s.get("Effect") == "Deny" and "aws:SourceVpce" in s.get("Condition", {}).get(
        "StringNotEquals", {}) for s in policy)
    if not (allow_via_vpce and deny_others):
        out.append("the resource policy does not allow only calls through the VPC endpoint and deny the rest")
    if any(s.get("Effect") == "Allow" and s.get("Principal") in ("*", {"AWS": "*"}) and not s.get("Condition")
           for s in policy):
        out.append("the resource policy allows anyone unconditionally")
    return out


def api_stage_logging(resources: list[Res]) -> StackViolations:
    out = []
    for stage in (r for r in resources if r.type == "aws:apigateway/stage:Stage"):
        if not stage.get("accessLogSettings", "destinationArn"):
            out.append((stage.name, "no access logs"))
        if stage.get("xrayTracingEnabled") is not True:
            out.append((stage.name, "X-Ray tracing is off"))
    settings = [r for r in resources if r.type == "aws:apigateway/methodSettings:MethodSettings"]
    if any(r.type == "aws:apigateway/stage:Stage" for r in resources) and not any(
            s.get("settings", "loggingLevel") in ("INFO", "ERROR") for s in settings):
        out.append(("stage", "execution logging (loggingLevel INFO or ERROR) is not set"))
    for s in settings:
        if s.get("settings", "dataTraceEnabled") is True:
            out.append((s.name, "data tracing would log request bodies (My Numbers)"))
    return out


def lambda_no_public_access(res: Res) -> Violations:
    if res.type == "aws:lambda/functionUrl:FunctionUrl":
        return ["a function URL is an endpoint outside the private API"]
    if res.type == "aws:lambda/permission:Permission":
        out = []
        if res.get("principal") in ("*", None):
            out.append("invoke permission for any principal")
        if not res.get("sourceArn"):
            out.append("invoke permission without a source ARN")
        return out
    return []


def _function(res: Res) -> bool:
    return res.type == "aws:lambda/function:Function"


def lambda_in_vpc(res: Res) -> Violations:
    if _function(res) and not (res.get("vpcConfig", "subnetIds") and res.get("vpcConfig", "securityGroupIds")):
        return ["not attached to the VPC (vpcConfig)"]
    return []


def lambda_tracing(res: Res) -> Violations:
    return ["X-Ray tracing is not Active"] if _function(res) and res.get("tracingConfig", "mode") != "Active" else []


def lambda_dead_letter(res: Res) -> Violations:
    return ["no dead-letter queue"] if _function(res) and not res.get("deadLetterConfig", "targetArn") else []


def lambda_concurrency(res: Res) -> Violations:
    if _function(res) and not (res.get("reservedConcurrentExecutions") or 0) > 0:
        return ["no reserved concurrency"]
    return []


def lambda_environment_cmk(res: Res) -> Violations:
    return ["environment not encrypted with a customer key"] if _function(res) and not res.get("kmsKeyArn") else []


# --- S3 (stack joins: pulumi-aws v7 declares bucket settings as side-by-side resources) --------------------

def _buckets(resources: list[Res]) -> list[Res]:
    return [r for r in resources if r.type == "aws:s3/bucket:Bucket"]


def _id(res: Res) -> str:
    """The id the mock engine (and the report) gives a resource: settings refer to it by this id."""
    return f"{res.name}-id"


def _attached(resources: list[Res], kind: str, owner: Res, prop: str = "bucket") -> list[Res]:
    """The `kind` resources whose `prop` refers to `owner`: by property dependency (the engine's own
    record, available at preview), else by the id or physical name they carry."""
    found = []
    for r in resources:
        if r.type != kind:
            continue
        sources = r.deps.get(prop, ())
        if sources:
            if owner.name in sources or owner.urn in sources:
                found.append(r)
        elif r.get(prop) in (_id(owner), owner.get("bucket")):
            found.append(r)
    return found


def s3_public_access_block(resources: list[Res]) -> StackViolations:
    out = []
    for bucket in _buckets(resources):
        blocks = _attached(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket)
        flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        if not any(all(b.get(f) is True for f in flags) for b in blocks):
            out.append((bucket.name, "not all four public access blocks are on"))
    return out


def s3_sse_kms(resources: list[Res]) -> StackViolations:
    out = []
    for bucket in _buckets(resources):
        configs = _attached(resources, "aws:s3/bucketServerSideEncryptionConfiguration:"
                                       "BucketServerSideEncryptionConfiguration", bucket)
        defaults = [rule.get("applyServerSideEncryptionByDefault", {}) for c in configs
                    for rule in as_list(c.get("rules"))]
        if bucket.tag("choju:role") == "access-logs":
            if not any(d.get("sseAlgorithm") in ("AES256", "aws:kms") for d in defaults):
                out.append((bucket.name, "the access-log bucket has no default encryption"))
            continue  # S3 server access logs can only be delivered to SSE-S3 buckets
        if not any(d.get("sseAlgorithm") == "aws:kms" and d.get("kmsMasterKeyId") for d in defaults):
            out.append((bucket.name, "default encryption is not SSE-KMS with a customer key"))
    return out


def _bucket_policy(resources: list[Res], bucket: Res) -> list[dict[str, Any]]:
    return [s for p in _attached(resources, "aws:s3/bucketPolicy:BucketPolicy", bucket)
            for s in statements(policy_document(p))]


def s3_tls_only(resources: list[Res]) -> StackViolations:
    out = []
    for bucket in _buckets(resources):
        if not any(s.get("Effect") == "Deny" and s.get("Condition", {}).get("Bool", {}).get(
                "aws:SecureTransport") in ("false", False) for s in _bucket_policy(resources, bucket)):
            out.append((bucket.name, "the bucket policy does not deny non-TLS requests"))
    return out


def s3_vpce_only(resources: list[Res]) -> StackViolations:
    out = []
    for bucket in _buckets(resources):
        if bucket.tag("data-classification") not in PERSONAL_CLASSES:
            continue
        if not any(s.get("Effect") == "Deny" and "aws:SourceVpce" in s.get("Condition", {}).get("StringNotEquals", {})
                   for s in _bucket_policy(resources, bucket)):
            out.append((bucket.name, "the bucket policy does not deny requests from outside the VPC endpoint"))
    return out


def s3_versioning(resources: list[Res]) -> StackViolations:
    return [(b.name, "versioning is not enabled") for b in _buckets(resources)
            if not any(v.get("versioningConfiguration", "status") == "Enabled"
                       for v in _attached(resources, "aws:s3/bucketVersioning:BucketVersioning", b))]


def s3_access_logging(resources: list[Res]) -> StackViolations:
    return [(b.name, "no server access logging") for b in _buckets(resources)
            if b.tag("choju:role") != "access-logs" and b.tag("data-classification") != "replica"
            and not _attached(resources, "aws:s3/bucketLogging:BucketLogging", b)]


def s3_audit_object_lock(resources: list[Res]) -> StackViolations:
    out = []
    for bucket in _buckets(resources):
        if bucket.tag("data-classification") != "audit":
            continue
        locks = _attached(resources, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", bucket)
        if bucket.get("objectLockEnabled") is not True or not any(
                lock.get("rule", "defaultRetention", "mode") == "COMPLIANCE" for lock in locks):
            out.append((bucket.name, "the audit bucket is not under Object Lock in COMPLIANCE mode"))
    return out


# --- DynamoDB, KMS, logs, messaging ----------------------------------------------------------------------

def _table(res: Res) -> bool:
    return res.type == "aws:dynamodb/table:Table"


def dynamodb_cmk(res: Res) -> Violations:
    if _table(res) and not (res.get("serverSideEncryption", "enabled") is True
                            and res.get("serverSideEncryption", "kmsKeyArn")):
        return ["not encrypted with a customer key"]
    return []


def dynamodb_pitr(res: Res) -> Violations:
    return ["point-in-time recovery is off"] if _table(res) and res.get("pointInTimeRecovery", "enabled") is not True \
        else []


def dynamodb_deletion_protection(res: Res) -> Violations:
    return ["deletion protection is off"] if _table(res) and res.get("deletionProtectionEnabled") is not True else []


def kms_rotation(res: Res) -> Violations:
    return ["key rotation is off"] if res.type == "aws:kms/key:Key" and res.get("enableKeyRotation") is not True else []


def kms_policy_no_star(res: Res) -> Violations:
    if res.type != "aws:kms/key:Key":
        return []
    out = []
    if res.get("bypassPolicyLockoutSafetyCheck") is True:
        out.append("bypassPolicyLockoutSafetyCheck is set")
    for s in statements(policy_document(res)):
        principal = s.get("Principal")
        open_principal = principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS")))
        if s.get("Effect") == "Allow" and open_principal and not s.get("Condition"):
            out.append(f"statement {s.get('Sid', '?')} allows any principal without a condition")
    return out


def log_group_kms_retention(res: Res) -> Violations:
    if res.type != "aws:cloudwatch/logGroup:LogGroup":
        return []
    out = []
    if not res.get("kmsKeyId"):
        out.append("not encrypted with a customer key")
    if not (res.get("retentionInDays") or 0) > 0:
        out.append("no retention period")
    return out


def sns_encrypted(res: Res) -> Violations:
    return ["topic not encrypted with KMS"] if res.type == "aws:sns/topic:Topic" and not res.get("kmsMasterKeyId") \
        else []


def sqs_encrypted(res: Res) -> Violations:
    return ["queue not encrypted with a customer key"] if res.type == "aws:sqs/queue:Queue" and not res.get(
        "kmsMasterKeyId") else []


def data_classification_tag(res: Res) -> Violations:
    if res.type in STORAGE_TYPES and not res.tag("data-classification"):
        return ["no data-classification tag"]
    return []


# --- IAM -------------------------------------------------------------------------------------------------

def _iam_policies(res: Res) -> list[dict[str, Any]]:
    if res.type in ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"):
        if res.tag("choju:policy-kind") == "permission-boundary" or res.get("name", default="").endswith(
                "-region-boundary"):
            return []  # a boundary caps permissions; its Allow * grants nothing by itself
        return statements(policy_document(res))
    return []


def iam_no_wildcard_action(res: Res) -> Violations:
    out = []
    for s in _iam_policies(res):
        if s.get("Effect") != "Allow":
            continue
        if any(a == "*" or str(a).endswith(":*") for a in as_list(s.get("Action"))):
            out.append(f"statement {s.get('Sid', '?')} allows a wildcard action")
        # An Allow with NotAction grants every action of every service but the listed ones; with NotResource, the
        # actions on every resource but the listed ones (IAM User Guide, "NotAction", "NotResource").
        if "NotAction" in s:
            out.append(f"statement {s.get('Sid', '?')} allows with NotAction: everything else is granted")
        if "NotResource" in s:
            out.append(f"statement {s.get('Sid', '?')} allows with NotResource: every other resource is granted")
    return out


def iam_no_wildcard_resource_on_data(res: Res) -> Violations:
    out = []
    for s in _iam_policies(res):
        if s.get("Effect") != "Allow" or "*" not in as_list(s.get("Resource")):
            continue
        data_actions = [a for a in as_list(s.get("Action")) if not str(a).startswith(NON_DATA_ACTION_PREFIXES)]
        if data_actions:
            out.append(f"statement {s.get('Sid', '?')} grants {', '.join(map(str, data_actions))} on every resource")
    return out


def audit_log_append_only(resources: list[Res]) -> StackViolations:
    """PIA-III-2-c, III-3-f, III-8: every role may only append to the audit log, one role alone may seal it, and
    the table's own policy denies deletes to all (policies/audit_log_rules.py)."""
    from policies.audit_log_rules import judge_statements, judge_table_policy, table_arn_from

    table_policies = [r for r in resources if r.type == "aws:dynamodb/resourcePolicy:ResourcePolicy"]
    documents = [(r, _iam_policies(r)) for r in resources if _iam_policies(r)]
    named = [str(x) for _, stmts in documents for st in stmts for x in as_list(st.get("Resource"))]
    named += [str(p.get("resourceArn")) for p in table_policies]
    out: StackViolations = []
    for table in (r for r in resources if _table(r) and r.tag("data-classification") == "audit"):
        arn = table_arn_from(named, str(table.get("name")))
        sealers = []
        for res, stmts in documents:
            grant = judge_statements(stmts, arn)
            out += [(res.name, m) for m in grant.findings]
            if grant.seals:
                sealers.append(res.name)
        if len(sealers) > 1:
            message = f"{len(sealers)} policies may update the audit log ({', '.join(sealers)}): only the sealer's may"
            out.append((table.name, message))
        own = [p for p in table_policies if p.get("resourceArn") == arn or table.name in p.deps.get("resourceArn", ())]
        verdicts = [judge_table_policy(statements(policy_document(p))) for p in own] or [judge_table_policy(None)]
        out += [(table.name, m) for m in min(verdicts, key=len)]
    return out


def _region_boundaries(resources: list[Res]) -> list[Res]:
    found = []
    for r in resources:
        if r.type != "aws:iam/policy:Policy":
            continue
        for s in statements(policy_document(r)):
            regions = s.get("Condition", {}).get("StringNotEquals", {}).get("aws:RequestedRegion")
            if s.get("Effect") == "Deny" and regions and set(as_list(regions)) <= ALLOWED_REGIONS:
                found.append(r)
                break
    return found


def iam_region_boundary(resources: list[Res]) -> StackViolations:
    """Roles assumed by Lambda carry a boundary that denies actions outside the two Japanese regions."""
    boundaries = _region_boundaries(resources)
    out = []
    for role in (r for r in resources if r.type == "aws:iam/role:Role"):
        if "lambda.amazonaws.com" not in str(role.get("assumeRolePolicy", default="")):
            continue
        sources = role.deps.get("permissionsBoundary", ())
        arn = str(role.get("permissionsBoundary") or "") if not sources else ""
        if not any(b.name in sources or (arn and arn.endswith("/" + str(b.get("name")))) for b in boundaries):
            out.append((role.name, "no permission boundary denying actions outside Japan"))
    return out


# --- monitoring ------------------------------------------------------------------------------------------

def _organisation_provides(resources: list[Res], service: str) -> bool:
    return any(r.type == "choju:monitoring:Monitoring" and service in as_list(r.get("providedByOrganisation"))
               for r in resources)


def cloudtrail_configured(resources: list[Res]) -> StackViolations:
    trails = [r for r in resources if r.type == "aws:cloudtrail/trail:Trail"]
    if not trails:
        return [] if _organisation_provides(resources, "cloudtrail") else [
            ("stack", "no trail, and the stack does not declare that the organisation provides one")]
    out = []
    for t in trails:
        for key, what in (("isMultiRegionTrail", "multi-region"), ("enableLogFileValidation", "log file validation")):
            if t.get(key) is not True:
                out.append((t.name, f"{what} is off"))
        if not t.get("kmsKeyId"):
            out.append((t.name, "not encrypted with KMS"))
        if not t.get("cloudWatchLogsGroupArn"):
            out.append((t.name, "not delivered to CloudWatch Logs"))
        categories = [(s.get("name", ""), {f.get("field"): as_list(f.get("equals")) for f in as_list(
            s.get("fieldSelectors"))}) for s in as_list(t.get("advancedEventSelectors"))]
        types = {v for _, fields in categories for v in fields.get("resources.type", [])}
        if "AWS::S3::Object" not in types:
            out.append((t.name, "no S3 data events"))
        if "AWS::Lambda::Function" not in types:
            out.append((t.name, "no Lambda data events"))
    return out


GUARDDUTY_FEATURES = ("S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION")


def guardduty_configured(resources: list[Res]) -> StackViolations:
    detectors = [r for r in resources if r.type == "aws:guardduty/detector:Detector"]
    if not detectors:
        return [] if _organisation_provides(resources, "guardduty") else [
            ("stack", "no GuardDuty detector, and the stack does not declare that the organisation provides one")]
    enabled = {r.get("name") for r in resources
               if r.type == "aws:guardduty/detectorFeature:DetectorFeature" and r.get("status") == "ENABLED"}
    out = [(d.name, "the detector is disabled") for d in detectors if d.get("enable") is False]
    out += [(detectors[0].name, f"feature {f} is not enabled") for f in GUARDDUTY_FEATURES if f not in enabled]
    return out

