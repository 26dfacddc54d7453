"""Evasions: a way to break what a control protects while the control stays green. Each closed class has its
compliant twin (still passing) and its evading case (now caught) (issue 17, "The controls must block, and must
not be evadable")."""

from __future__ import annotations

import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.pre_checks import LOG_DESTINATIONS
from tests.policies.engine_args import policy_resource, resource_args, stack_args, violations_of

J = json.dumps
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def _policy(statement: dict) -> dict:
    return {"policy": J({"Version": "2012-10-17", "Statement": [statement]})}


@pytest.mark.parametrize("statement", [
    {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"},  # everything but IAM, on everything
    {"Effect": "Allow", "NotAction": "kms:ScheduleKeyDeletion", "Resource": "arn:aws:dynamodb:*:*:table/x"},
    {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "NotResource": "arn:aws:dynamodb:*:*:table/x"},
], ids=["NotAction on every resource", "NotAction on one table", "NotResource"])
def test_a_grant_by_exclusion_is_caught(statement: dict) -> None:
    found = violations_of("aws-iam-policy-no-wildcard-action", resource_args(ROLE_POLICY, _policy(statement)))
    assert found and "Not" in found[0]


def test_a_deny_by_exclusion_stays_allowed() -> None:
    """The twin: a Deny with NotAction narrows (the region boundary is written that way)."""
    deny = {"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["ap-northeast-1"]}}}
    assert violations_of("aws-iam-policy-no-wildcard-action", resource_args(ROLE_POLICY, _policy(deny))) == []


@pytest.mark.parametrize("type_, props", [
    ("aws:apigatewayv2/api:Api", {"protocolType": "HTTP", "name": "side-door"}),
    ("aws:apigatewayv2/api:Api", {"protocolType": "WEBSOCKET", "name": "side-door"}),
    ("aws:cloudfront/distribution:Distribution", {"enabled": True}),
    ("aws:lb/loadBalancer:LoadBalancer", {"loadBalancerType": "application"}),
    ("aws:lb/loadBalancer:LoadBalancer", {"internal": False}),
    ("aws:apigateway/domainName:DomainName", {"domainName": "api.city.example",
                                               "endpointConfiguration": {"types": "REGIONAL"}}),
], ids=["HTTP API", "WebSocket API", "CloudFront", "load balancer (default)", "internet-facing load balancer",
        "regional custom domain"])
def test_a_public_front_door_before_a_function_is_caught(type_: str, props: dict) -> None:
    assert violations_of("aws-apigateway-restapi-private", resource_args(type_, props))


@pytest.mark.parametrize("type_, props", [
    ("aws:lb/loadBalancer:LoadBalancer", {"internal": True}),
    ("aws:apigateway/domainName:DomainName", {"domainName": "api.city.example",
                                               "endpointConfiguration": {"types": "PRIVATE"}}),
], ids=["internal load balancer", "private custom domain"])
def test_a_private_front_door_stays_allowed(type_: str, props: dict) -> None:
    assert violations_of("aws-apigateway-restapi-private", resource_args(type_, props)) == []


# --- public address space in a security-group rule or a route ------------------------------------------

SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


@pytest.mark.parametrize("type_, props", [
    (SG_INGRESS, {"cidrIpv4": "0.0.0.0/1"}),
    (SG_INGRESS, {"cidrIpv4": "128.0.0.0/1"}),
    (SG_INGRESS, {"cidrIpv4": "203.0.113.0/24"}),
    (SG_INGRESS, {"cidrIpv6": "2001:db8::/32"}),
    (SG_EGRESS, {"cidrIpv4": "8.8.8.8/32"}),
    ("aws:ec2/securityGroup:SecurityGroup", {"ingress": [{"cidrBlocks": ["10.0.0.0/8", "0.0.0.0/1"]}]}),
    ("aws:ec2/securityGroup:SecurityGroup", {"egress": [{"cidrBlocks": ["0.0.0.0/0"]}]}),
    ("aws:ec2/securityGroupRule:SecurityGroupRule", {"type": "egress", "cidrBlocks": ["198.18.0.0/15"]}),
    (SG_INGRESS, {"cidrIpv4": "172.32.0.0/16"}),  # just outside 172.16.0.0/12
], ids=["lower half of 0/0", "upper half of 0/0", "a public /24", "public IPv6", "egress to a public host",
        "inline ingress half", "inline egress 0/0", "legacy rule to benchmark space", "next to RFC 1918"])
def test_a_rule_naming_public_address_space_is_caught(type_: str, props: dict) -> None:
    assert violations_of("aws-ec2-securitygroup-no-open-ingress", resource_args(type_, props))


@pytest.mark.parametrize("cidr", ["10.1.0.0/16", "172.16.0.0/12", "192.168.10.0/24", "100.64.0.0/10", "fd00::/8"])
def test_a_rule_naming_private_space_stays_allowed(cidr: str) -> None:
    key = "cidrIpv6" if ":" in cidr else "cidrIpv4"
    assert violations_of("aws-ec2-securitygroup-no-open-ingress", resource_args(SG_INGRESS, {key: cidr})) == []


@pytest.mark.parametrize("cidr", ["0.0.0.0/1", "128.0.0.0/1", "52.0.0.0/8", "2000::/3"])
def test_a_route_to_public_address_space_is_caught(cidr: str) -> None:
    key = "destinationIpv6CidrBlock" if ":" in cidr else "destinationCidrBlock"
    found = violations_of("aws-ec2-route-no-default", resource_args("aws:ec2/route:Route", {
        key: cidr, "transitGatewayId": "tgw-1"}))
    assert found and cidr in found[0]


def test_a_route_to_the_city_network_stays_allowed() -> None:
    assert violations_of("aws-ec2-route-no-default", resource_args("aws:ec2/route:Route", {
        "destinationCidrBlock": "172.16.0.0/16", "transitGatewayId": "tgw-1"})) == []


# --- a key-policy condition every caller meets -----------------------------------------------------------

KEY = "aws:kms/key:Key"


def _key(condition: dict | None, principal: object = "*") -> dict:
    statement = {"Sid": "Open", "Effect": "Allow", "Principal": principal, "Action": "kms:Decrypt", "Resource": "*"}
    return {"policy": J({"Version": "2012-10-17", "Statement": [{**statement, **(
        {"Condition": condition} if condition else {})}]}), "enableKeyRotation": True}


@pytest.mark.parametrize("condition, principal", [
    ({"Bool": {"aws:SecureTransport": "true"}}, "*"),
    ({"StringLike": {"aws:PrincipalArn": "*"}}, "*"),
    ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/choju-dev-intake"}}, {"AWS": "*"}),
    ({"StringEqualsIfExists": {"aws:PrincipalAccount": "123456789012"}}, "*"),
    ({"StringNotEquals": {"aws:PrincipalAccount": "999999999999"}}, "*"),
    ({"ForAnyValue:StringEquals": {"aws:PrincipalOrgPaths": ["o-1/r-1/"]}}, "*"),
    ({"StringEquals": {"kms:EncryptionContext:app": "choju"}}, {"AWS": ["arn:aws:iam::*:root"]}),
    ({"StringLike": {"aws:SourceVpce": "vpce-*"}}, "*"),
], ids=["TLS only", "wildcard principal ARN", "any account's role of that name", "IfExists", "negated",
        "ForAnyValue", "encryption context", "any endpoint"])
def test_a_key_policy_condition_everyone_meets_is_caught(condition: dict, principal: object) -> None:
    assert violations_of("aws-kms-key-policy-restricted", resource_args(KEY, _key(condition, principal)))


@pytest.mark.parametrize("condition", [
    {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/choju-dev-macie",
                      "kms:CallerAccount": "123456789012"}},
    {"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::123456789012:role/choju-dev-*"]}},
    {"StringEquals": {"aws:SourceAccount": "123456789012"}},
], ids=["named role in this account", "this account's roles by prefix", "source account"])
def test_a_key_policy_condition_naming_the_caller_stays_allowed(condition: dict) -> None:
    assert violations_of("aws-kms-key-policy-restricted", resource_args(KEY, _key(condition))) == []


# --- a misleading data-classification tag ----------------------------------------------------------------

BUCKET = "aws:s3/bucket:Bucket"


@pytest.mark.parametrize("props", [
    {"bucket": "choju-dev-documents", "tags": {"data-classification": "logs"}},
    {"bucket": "choju-dev-rogue", "tags": {"data-classification": "internal"}},
    {"name": "choju-dev-persons", "tags": {"data-classification": "operational"}},
], ids=["a declared personal bucket relabelled logs", "a made-up class", "a declared personal table relabelled"])
def test_a_misleading_classification_is_caught(props: dict) -> None:
    type_ = "aws:dynamodb/table:Table" if "name" in props else BUCKET
    assert violations_of("aws-storage-data-classification-tag", resource_args(type_, props))


def test_the_declared_classification_stays_allowed() -> None:
    from shared.storage import STORAGE

    spec = STORAGE.bucket("documents")
    props = {"bucket": spec.physical_name("choju-dev"), "tags": {"data-classification": spec.data_class.value}}
    assert violations_of("aws-storage-data-classification-tag", resource_args(BUCKET, props)) == []


def _bucket_with_policy(classification: str, name: str, endpoint_only: bool, delivered_by: str | None = None):
    """A bucket with its policy; `delivered_by` a (type, property) of LOG_DESTINATIONS delivering into it, joined
    by property dependency with the bucket's id unknown (as at preview)."""
    bucket = policy_resource(BUCKET, "b", {"bucket": name, "tags": {"data-classification": classification}})
    deny = [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-1"]}}}] if endpoint_only else []
    policy = policy_resource("aws:s3/bucketPolicy:BucketPolicy", "p", {"bucket": "x", "policy": J({"Statement": deny})},
                             {"bucket": [bucket]})
    others = []
    if delivered_by:
        kind, prop = next((k, p) for k, p in LOG_DESTINATIONS if k == delivered_by)
        others.append(policy_resource(kind, "delivery", {prop: UNKNOWN_STRING_VALUE}, {prop: [bucket]}))
    return stack_args(bucket, policy, *others)


@pytest.mark.parametrize("classification, name", [
    ("internal", "choju-dev-rogue"), ("public", "choju-dev-rogue"), ("logs", "choju-dev-documents")],
    ids=["made-up class", "'public'", "declared store tagged logs"])
def test_a_relabelled_bucket_is_still_held_to_the_endpoint(classification: str, name: str) -> None:
    assert violations_of("aws-s3-bucket-vpce-only", _bucket_with_policy(classification, name, False))


@pytest.mark.parametrize("classification", ["logs", "replica"])
def test_a_bucket_tagged_logs_that_nothing_logs_into_is_caught(classification: str) -> None:
    """Residual evasion closed: the tag alone exempted an undeclared bucket from the endpoint rule; now only what
    the bucket is for does (a service of this stack delivers into it)."""
    found = violations_of("aws-s3-bucket-vpce-only", _bucket_with_policy(classification, "choju-dev-stash", False))
    assert found and "no AWS service of this stack delivers into it" in found[0]


@pytest.mark.parametrize("delivered_by", [kind for kind, _ in LOG_DESTINATIONS])
def test_a_log_bucket_a_service_delivers_into_needs_no_endpoint_rule(delivered_by: str) -> None:
    """The twin: the trail's, access logging's, flow logs', Config's bucket or a replica is written by the service
    from outside the VPC; found by property dependency, so it decides at preview."""
    args = _bucket_with_policy("logs", "choju-dev-trail-logs", False, delivered_by)
    assert violations_of("aws-s3-bucket-vpce-only", args) == []


def test_a_personal_bucket_made_a_log_destination_is_still_held_to_the_endpoint() -> None:
    """Function alone does not exempt either: a store tagged with its (personal) class stays under the rule."""
    args = _bucket_with_policy("personal", "choju-dev-stash", False, "aws:s3/bucketLogging:BucketLogging")
    assert violations_of("aws-s3-bucket-vpce-only", args)


# --- KMS use on every key -----------------------------------------------------------------------------------

KEYS = "arn:aws:kms:ap-northeast-1:123456789012:key/*"


def _key_use(condition: dict | None, resource: str = KEYS, action: object = "kms:Decrypt") -> dict:
    statement = {"Sid": "UseKeys", "Effect": "Allow", "Action": action, "Resource": resource}
    return _policy({**statement, **({"Condition": condition} if condition else {})})


@pytest.mark.parametrize("condition, resource", [
    (None, KEYS),
    ({"ForAnyValue:StringLike": {"kms:ResourceAliases": ["alias/*"]}}, KEYS),
    ({"ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/choju-dev-*"]}}, KEYS),
    ({"ForAllValues:StringEquals": {"kms:ResourceAliases": ["alias/choju-dev-data"]}}, KEYS),
    ({"StringEqualsIfExists": {"kms:ResourceAliases": ["alias/choju-dev-data"]}}, KEYS),
    ({"ForAnyValue:StringEquals": {"kms:ResourceAliases": []}}, KEYS),
    ({"ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/choju-dev-data"]}},
     "arn:aws:kms:*:123456789012:key/*"),
    ({"ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/choju-dev-data"]}},
     "arn:aws:kms:ap-northeast-1:*:key/*"),
], ids=["no alias condition", "wildcard alias", "alias prefix", "ForAllValues (a key without alias matches)",
        "IfExists", "no alias named", "any region", "any account"])
def test_key_use_on_every_key_without_a_named_alias_is_caught(condition: dict | None, resource: str) -> None:
    found = violations_of("aws-iam-policy-no-wildcard-resource-on-data",
                          resource_args(ROLE_POLICY, _key_use(condition, resource)))
    assert found and "kms:ResourceAliases" in found[0]


def test_key_use_by_alias_stays_allowed() -> None:
    """The twin: the stack's grant (infra/arns.py key_use_statement), the keys of this account and region that
    carry a named alias."""
    condition = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/choju-dev-data",
                                                                       "alias/choju-dev-mynumber"]}}
    assert violations_of("aws-iam-policy-no-wildcard-resource-on-data",
                         resource_args(ROLE_POLICY, _key_use(condition, action=["kms:Decrypt", "kms:Encrypt"]))) == []
    one_key = "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert violations_of("aws-iam-policy-no-wildcard-resource-on-data",
                         resource_args(ROLE_POLICY, _key_use(None, one_key))) == []


@pytest.mark.parametrize("control", ["aws-iam-policy-no-wildcard-action",
                                     "aws-iam-policy-no-wildcard-resource-on-data"])
def test_an_identity_policy_unknown_at_preview_blocks(control: str) -> None:
    """A document computed from a resource not created yet could grant anything: a violation, not the SDK's
    advisory 'cannot decide'."""
    found = violations_of(control, resource_args(ROLE_POLICY, {"role": "r", "policy": UNKNOWN_STRING_VALUE}))
    assert found and "cannot read" in found[0]


# --- AWS-managed admin policies attached --------------------------------------------------------------------

@pytest.mark.parametrize("type_, props", [
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {"role": "r", "policyArn":
                                                           "arn:aws:iam::aws:policy/AdministratorAccess"}),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {"role": "r", "policyArn":
                                                           "arn:aws:iam::aws:policy/PowerUserAccess"}),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {"role": "r", "policyArn":
                                                           "arn:aws:iam::aws:policy/IAMFullAccess"}),
    ("aws:iam/role:Role", {"managedPolicyArns": ["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"]}),
    ("aws:iam/policyAttachment:PolicyAttachment", {"policyArn": "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"}),
    ("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", {
        "roleName": "r", "policyArns": ["arn:aws:iam::aws:policy/job-function/SystemAdministrator"]}),
], ids=["AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "managedPolicyArns FullAccess",
        "other partition", "exclusive attachments"])
def test_an_aws_managed_broad_policy_is_caught(type_: str, props: dict) -> None:
    assert violations_of("aws-iam-policy-no-wildcard-action", resource_args(type_, props))


@pytest.mark.parametrize("arn", ["arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
                                 "arn:aws:iam::123456789012:policy/choju-dev-own"])
def test_a_needed_service_role_policy_or_own_policy_stays_allowed(arn: str) -> None:
    assert violations_of("aws-iam-policy-no-wildcard-action", resource_args(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment", {"role": "r", "policyArn": arn})) == []
