"""Pre-deployment checks, one small function per control (pulumi/compliance-policies style).

Resource checks take one resource and return violation messages; stack checks take every resource and return
(resource name, message) pairs, so they can join a bucket to its side-by-side v7 resources.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy.proxy import UnknownValueError

from policies.model import UNKNOWN_SENTINELS, Res, as_list, known, policy_document, statements
from shared.domain.networks import is_closed_network
from shared.domain.regions import ALLOWED_REGIONS
from shared.storage import STORAGE, DataClass

NETWORK_FORBIDDEN = {
    "aws:ec2/internetGateway:InternetGateway": "an internet gateway",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": "an egress-only internet gateway",
    "aws:ec2/natGateway:NatGateway": "a NAT gateway",
    "aws:ec2/eip:Eip": "an Elastic IP",
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": "an internet gateway attachment",
}
# The classes that may skip the endpoint-only rule: buckets AWS services write to (S3 log delivery, CloudTrail,
# Config) and the Osaka replicas (their own policy denies all but the replication role). Every other value, a
# made-up one included, is held to the rule: a personal bucket relabelled "internal" would otherwise escape it.
ENDPOINT_EXEMPT_CLASSES = ("logs", "replica")
CLASSIFICATIONS = frozenset({c.value for c in DataClass} | {*ENDPOINT_EXEMPT_CLASSES, "public-keys"})
STORAGE_TYPES = ("aws:s3/bucket:Bucket", "aws:dynamodb/table:Table", "aws:sqs/queue:Queue",
                 "aws:cloudwatch/logGroup:LogGroup")
NON_DATA_ACTION_PREFIXES = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                            "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                            "ec2:UnassignPrivateIpAddresses", "xray:", "logs:DescribeLogGroups",
                            "cloudwatch:PutMetricData", "cloudtrail:LookupEvents")  # no resource-level permissions
Violations = list[str]
StackViolations = list[tuple[str, str]]

# What a control says of a document it cannot read at preview. Every document the program writes is built from
# names, the account id and key aliases (infra/arns.py), or from endpoint ids that the foundation stage creates
# before (docs/operators.md), so an unknown one is a program error or a first deployment that skipped the
# foundation stage: never compliant, and blocking (not the SDK's advisory "cannot decide").
UNKNOWN_DOCUMENT = ("its policy document is computed from resources not created yet, so this preview cannot read "
                    "it; build it from names (infra/arns.py), or deploy `choju:stage: foundation` first "
                    "(docs/operators.md)")


def read_statements(res: Res, key: str = "policy") -> list[dict[str, Any]] | None:
    """The statements of a resource's policy document as plain data, or None when any of it is unknown at preview
    (the whole document, or a value inside one given as an object)."""
    try:
        return [_plain(s) for s in statements(policy_document(res, key))]
    except UnknownValueError:
        return None


def _plain(value: Any) -> Any:
    """A document as plain dicts, lists and scalars, refusing any value unknown at preview (the SDK's proxy raises
    on its own; a sentinel in the raw properties raises here)."""
    if isinstance(value, str):
        if value in UNKNOWN_SENTINELS:
            raise UnknownValueError(value, [])
        return value
    if hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or (hasattr(value, "__iter__") and not isinstance(value, bytes)):
        return [_plain(v) for v in value]
    return value


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
            if route.get(key) and not is_closed_network(route[key]):  # 0.0.0.0/1 + 128.0.0.0/1 is a default route
                out.append(f"a route to {route[key]} leaves the closed network")
        if route.get("gatewayId", "").startswith("igw-") or route.get("natGatewayId"):
            out.append("a route through an internet or NAT gateway")
    return out


SG_RULES = ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/securityGroupRule:SecurityGroupRule")


def security_group_no_open_ingress(res: Res) -> Violations:
    """Every CIDR a security-group rule names, in or out, is private address space: refusing only 0.0.0.0/0 is
    evaded by its two halves or by any one public prefix (shared/domain/networks.py)."""
    rules: list[Any] = []
    if res.type == "aws:ec2/securityGroup:SecurityGroup":
        rules = [*as_list(res.get("ingress")), *as_list(res.get("egress"))]
    elif res.type in SG_RULES:
        rules = [res.props]
    out = []
    for rule in rules:
        cidrs = [*as_list(rule.get("cidrBlocks")), *as_list(rule.get("ipv6CidrBlocks")),
                 rule.get("cidrIpv4"), rule.get("cidrIpv6")]
        out += [f"a rule names {c}, address space outside the closed network" for c in cidrs
                if c and not is_closed_network(c)]
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
    try:
        endpoints = [known(e) for e in as_list(res.get("endpointConfiguration", "vpcEndpointIds"))]
    except UnknownValueError:
        out.append(f"the endpoint it is bound to (vpcEndpointIds) is not known at this preview: {UNKNOWN_DOCUMENT}")
    else:
        if not endpoints:
            out.append("not bound to a VPC endpoint (vpcEndpointIds)")
    read = read_statements(res)
    if read is None:
        return [*out, f"the resource policy cannot be read: {UNKNOWN_DOCUMENT}"]
    policy = read
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
        if not stage.present("accessLogSettings", "destinationArn"):
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
        if not res.present("sourceArn"):
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
    return ["no dead-letter queue"] if _function(res) and not res.present("deadLetterConfig", "targetArn") else []


def lambda_concurrency(res: Res) -> Violations:
    if _function(res) and not (res.get("reservedConcurrentExecutions") or 0) > 0:
        return ["no reserved concurrency"]
    return []


def lambda_environment_cmk(res: Res) -> Violations:
    return ["environment not encrypted with a customer key"] if _function(res) and not res.present("kmsKeyArn") \
        else []


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
        defaults = [(c, rule.get("applyServerSideEncryptionByDefault", {})) for c in configs
                    for rule in as_list(c.get("rules"))]
        if bucket.tag("choju:role") == "access-logs":
            if not any(d.get("sseAlgorithm") in ("AES256", "aws:kms") for _, d in defaults):
                out.append((bucket.name, "the access-log bucket has no default encryption"))
            continue  # S3 server access logs can only be delivered to SSE-S3 buckets
        if not any(d.get("sseAlgorithm") == "aws:kms" and _customer_key(resources, c, d) for c, d in defaults):
            out.append((bucket.name, "default encryption is not SSE-KMS with a customer key"))
    return out


def _customer_key(resources: list[Res], config: Res, default: Any) -> bool:
    """A key id the program wrote, or one computed at preview from a customer key this stack declares (the
    engine's property dependency of `rules`): a computed id from anything else cannot be told from an AWS-managed
    key, so it is 'cannot decide', not compliant."""
    try:
        return bool(default.get("kmsMasterKeyId"))
    except UnknownValueError:
        keys = {r.name for r in resources if r.type == "aws:kms/key:Key"}
        if keys & set(config.deps.get("rules", ())):
            return True
        raise


def _bucket_policy(resources: list[Res], bucket: Res) -> list[dict[str, Any]] | None:
    """The statements of the bucket's policies; None when one cannot be read at preview."""
    found: list[dict[str, Any]] = []
    for policy in _attached(resources, "aws:s3/bucketPolicy:BucketPolicy", bucket):
        read = read_statements(policy)
        if read is None:
            return None
        found += read
    return found


def s3_tls_only(resources: list[Res]) -> StackViolations:
    out = []
    for bucket in _buckets(resources):
        policy = _bucket_policy(resources, bucket)
        if policy is None:
            out.append((bucket.name, f"the bucket policy cannot be read: {UNKNOWN_DOCUMENT}"))
        elif not any(s.get("Effect") == "Deny" and s.get("Condition", {}).get("Bool", {}).get(
                "aws:SecureTransport") in ("false", False) for s in policy):
            out.append((bucket.name, "the bucket policy does not deny non-TLS requests"))
    return out


# Where AWS services deliver into a bucket: (type, property naming the destination bucket). Such a bucket is written
# from outside the VPC by the service itself, so it cannot deny requests that do not come through the endpoint.
LOG_DESTINATIONS = (
    ("aws:cloudtrail/trail:Trail", "s3BucketName"),
    ("aws:s3/bucketLogging:BucketLogging", "targetBucket"),
    ("aws:ec2/flowLog:FlowLog", "logDestination"),
    ("aws:cfg/deliveryChannel:DeliveryChannel", "s3BucketName"),
    ("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "rules"),
)


def _delivered_into(resources: list[Res], bucket: Res) -> list[str]:
    """The resources of this stack that deliver into `bucket` (a trail, server access logging, flow logs, AWS
    Config, replication): by property dependency, which the engine records at preview too, else by the bucket's
    id, name or ARN appearing in the property (the mocks' recorded inputs)."""
    import json

    names = {_id(bucket), str(bucket.get("bucket") or ""), f"arn:aws:s3:::{bucket.get('bucket')}"} - {"",
                                                                                                    "arn:aws:s3:::"}
    found = []
    for r in resources:
        for kind, prop in LOG_DESTINATIONS:
            if r.type != kind:
                continue
            sources = r.deps.get(prop, ())
            if sources:
                if bucket.name in sources or bucket.urn in sources:
                    found.append(r.name)
                continue
            try:
                text = json.dumps(r.props.get(prop) if hasattr(r.props, "get") else None, default=str)
            except UnknownValueError:
                continue
            if any(f'"{n}"' in text or n + "/" in text for n in names):
                found.append(r.name)
    return found


def s3_vpce_only(resources: list[Res]) -> StackViolations:
    """Every bucket denies requests from outside this VPC's endpoint, but a bucket an AWS service of this stack
    delivers into (trail, access logs, flow logs, Config, replication) and that is tagged for it (`logs`,
    `replica`) and not a declared store: exempt by what it is for, never by its tag alone."""
    out = []
    for bucket in _buckets(resources):
        if bucket.tag("data-classification") in ENDPOINT_EXEMPT_CLASSES and not _declared_class(bucket) and \
                _delivered_into(resources, bucket):
            continue
        policy = _bucket_policy(resources, bucket)
        if policy is None:
            out.append((bucket.name, f"the bucket policy cannot be read: {UNKNOWN_DOCUMENT}"))
        elif not any(s.get("Effect") == "Deny" and "aws:SourceVpce" in s.get("Condition", {}).get(
                "StringNotEquals", {}) for s in policy):
            reason = " (no AWS service of this stack delivers into it, so its tag does not exempt it)" if \
                bucket.tag("data-classification") in ENDPOINT_EXEMPT_CLASSES else ""
            out.append((bucket.name, f"the bucket policy does not deny requests from outside the VPC endpoint{reason}"))
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
                            and res.present("serverSideEncryption", "kmsKeyArn")):
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
        open_principal = principal == "*" or (isinstance(principal, dict) and any(
            "*" in str(p) for p in as_list(principal.get("AWS"))))
        if s.get("Effect") == "Allow" and open_principal and not _names_the_caller(s.get("Condition") or {}):
            out.append(f"statement {s.get('Sid', '?')} allows any principal without a condition naming who")
    return out


# Condition keys that say who the caller is or where the call comes from (IAM User Guide, "AWS global condition
# context keys"; AWS KMS Developer Guide, "kms:CallerAccount"). A condition on anything else (aws:SecureTransport,
# kms:EncryptionContext…) is met by every caller who chooses to meet it.
CALLER_KEYS = frozenset(k.lower() for k in ("aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID",
                                             "aws:PrincipalOrgPaths", "kms:CallerAccount", "aws:SourceAccount",
                                             "aws:SourceArn", "aws:SourceVpce", "aws:SourceOrgID",
                                             "aws:userid"))
MATCHING_OPERATORS = ("StringEquals", "StringLike", "ArnEquals", "ArnLike", "StringEqualsIgnoreCase")


def _names_the_caller(condition: Any) -> bool:
    """Whether the condition restricts who may call, so that an Allow to `*` is not open to everyone
    (Checkov CKV_AWS_33, Prowler kms_key_not_publicly_accessible). Evasions refused: a condition on a key any
    caller satisfies, a wildcard value (`StringLike aws:PrincipalArn *`), `...IfExists` (met when the key is
    absent), a negated operator (`StringNotEquals` matches everyone but the listed) and `ForAnyValue:` (met by an
    empty set)."""
    for operator, pairs in (condition.items() if hasattr(condition, "items") else ()):
        if operator.endswith("IfExists") or "Not" in operator or operator.startswith("ForAnyValue:"):
            continue
        if operator.split(":")[-1] not in MATCHING_OPERATORS or not hasattr(pairs, "items"):
            continue
        for key, values in pairs.items():
            if key.lower() in CALLER_KEYS and as_list(values) and not any(
                    _only_wildcards(str(v)) for v in as_list(values)):
                return True
    return False


def _only_wildcards(value: str) -> bool:
    """Whether a value matches callers of any account: `*`, `vpce-*`, `arn:aws:iam::*:role/x` (anyone can create
    that role in their own account), `arn:aws:iam::111122223333:*`-style ARNs keep their account and pass."""
    parts = value.split(":")
    if value.startswith("arn:") and len(parts) >= 6:
        account, resource = parts[4], ":".join(parts[5:])
        return account.strip("*?") != account or account == "" or resource.strip("*?") == ""
    return "*" in value or "?" in value


def log_group_kms_retention(res: Res) -> Violations:
    if res.type != "aws:cloudwatch/logGroup:LogGroup":
        return []
    out = []
    if not res.present("kmsKeyId"):
        out.append("not encrypted with a customer key")
    if not (res.get("retentionInDays") or 0) > 0:
        out.append("no retention period")
    return out


def sns_encrypted(res: Res) -> Violations:
    return ["topic not encrypted with KMS"] if res.type == "aws:sns/topic:Topic" and not res.present(
        "kmsMasterKeyId") else []


def sqs_encrypted(res: Res) -> Violations:
    return ["queue not encrypted with a customer key"] if res.type == "aws:sqs/queue:Queue" and not res.present(
        "kmsMasterKeyId") else []


def data_classification_tag(res: Res) -> Violations:
    """The tag is one of the declared classes and, for a store of the storage declaration (shared/storage.py),
    the class declared there: the tag decides which stores the endpoint-only rule covers, so a misleading one
    must not pass."""
    if res.type not in STORAGE_TYPES:
        return []
    tag = res.tag("data-classification")
    if not tag:
        return ["no data-classification tag"]
    if tag not in CLASSIFICATIONS:
        return [f"data-classification {tag!r} is not one of {', '.join(sorted(CLASSIFICATIONS))}"]
    declared = _declared_class(res)
    if declared and tag != declared:
        return [f"tagged {tag!r}, but shared/storage.py declares this store {declared!r}"]
    return []


def _declared_class(res: Res) -> str | None:
    """The class shared/storage.py declares for this bucket or table, found by its physical name
    (`<prefix>-<name>`, the longest declared name that ends it)."""
    specs: tuple[Any, ...] = STORAGE.buckets if res.type == "aws:s3/bucket:Bucket" else \
        STORAGE.tables if res.type == "aws:dynamodb/table:Table" else ()
    if not specs:
        return None
    physical = str(res.get("bucket" if res.type == "aws:s3/bucket:Bucket" else "name") or "")
    matches = [spec for spec in specs if physical.endswith(f"-{spec.name}")]
    return max(matches, key=lambda spec: len(spec.name)).data_class.value if matches else None


# --- IAM -------------------------------------------------------------------------------------------------

IAM_POLICY_TYPES = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy",
                    "aws:iam/groupPolicy:GroupPolicy")


def _iam_policies(res: Res) -> list[dict[str, Any]] | None:
    """The statements of an identity policy; None when the document cannot be read at preview."""
    if res.type in IAM_POLICY_TYPES:
        if res.tag("choju:policy-kind") == "permission-boundary" or str(res.get("name", default="") or "").endswith(
                "-region-boundary"):
            return []  # a boundary caps permissions; its Allow * grants nothing by itself
        return read_statements(res)
    return []


def iam_no_wildcard_action(res: Res) -> Violations:
    out = iam_no_broad_managed_policy(res)
    policy = _iam_policies(res)
    if policy is None:
        return [*out, UNKNOWN_DOCUMENT]
    for s in policy:
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


# AWS-managed policies a stack may attach: the service-role policies the program needs (AWS Config, API Gateway's
# log push, AWS Backup). Any other AWS-managed policy is refused, by allow-list rather than deny-list:
# AdministratorAccess and PowerUserAccess grant `*` and `NotAction iam:*`, IAMFullAccess lets a role grant itself
# anything, and every `*FullAccess` grants `service:*` on every resource, none of which a document check of
# this stack sees (AWS Config IAM_NO_ADMIN_ACCESS... / IAM_POLICY_BLACKLISTED_CHECK, Prowler
# iam_aws_attached_policy_no_administrative_privileges, Checkov CKV_AWS_274).
AWS_MANAGED_ALLOWED = frozenset(f"arn:aws:iam::aws:policy/{name}" for name in (
    "service-role/AWS_ConfigRole", "service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    "service-role/AWSBackupServiceRolePolicyForBackup", "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup", "AWSBackupServiceRolePolicyForS3Restore"))
ATTACHMENTS = {"aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
               "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
               "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
               "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
               "aws:iam/role:Role": "managedPolicyArns",
               "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns"}


def iam_no_broad_managed_policy(res: Res) -> Violations:
    """An AWS-managed policy outside the allow-list, attached to a role, user or group."""
    prop = ATTACHMENTS.get(res.type)
    arns = [str(a) for a in as_list(res.get(prop))] if prop else []
    # the partition may be aws, aws-cn or aws-us-gov: compare from ":iam::aws:policy/"
    return [f"attaches the AWS-managed policy {arn.rsplit('/', 1)[-1]}" for arn in arns
            if ":iam::aws:policy/" in arn and "arn:aws" + arn[arn.index(":iam::"):] not in AWS_MANAGED_ALLOWED]


def iam_no_wildcard_resource_on_data(res: Res) -> Violations:
    policy = _iam_policies(res)
    if policy is None:
        return [UNKNOWN_DOCUMENT]
    out = []
    for s in policy:
        if s.get("Effect") != "Allow":
            continue
        sid = s.get("Sid", "?")
        if "*" in as_list(s.get("Resource")):
            data_actions = [a for a in as_list(s.get("Action")) if not str(a).startswith(NON_DATA_ACTION_PREFIXES)]
            if data_actions:
                out.append(f"statement {sid} grants {', '.join(map(str, data_actions))} on every resource")
            continue
        wildcard_keys = [str(r) for r in as_list(s.get("Resource")) if _any_key(str(r))]
        key_actions = [str(a) for a in as_list(s.get("Action")) if str(a).lower().startswith("kms:") or a == "*"]
        if wildcard_keys and key_actions and not _alias_scoped(s, wildcard_keys):
            out.append(f"statement {sid} grants {', '.join(key_actions)} on every key of "
                       f"{', '.join(wildcard_keys)}: name the keys' aliases (ForAnyValue:StringEquals "
                       "kms:ResourceAliases) with the key ARN's region and account")
    return out


def _any_key(arn: str) -> bool:
    """A KMS key ARN whose key id is a wildcard (`arn:aws:kms:ap-northeast-1:111122223333:key/*`)."""
    parts = arn.split(":", 5)
    return len(parts) == 6 and parts[2] == "kms" and parts[5].startswith("key/") and (
        "*" in parts[5] or "?" in parts[5])


def _alias_scoped(statement: dict[str, Any], resources: list[str]) -> bool:
    """Whether key use granted on `key/*` is limited to keys by alias, as AWS evaluates it (AWS KMS Developer
    Guide, "kms:ResourceAliases"): `ForAnyValue:StringEquals` (a key with none of the aliases, or with no alias at
    all, does not match; `ForAllValues:` would match a key with no alias) on concrete alias names (no `*` or `?`:
    `alias/*` is every key), and a key ARN with a concrete region and account, since an alias names a key only
    in its own account and region."""
    for arn in resources:
        region, account = arn.split(":")[3:5]
        if not region or not account.isdigit() or any(c in region for c in "*?"):
            return False
    condition = statement.get("Condition") or {}
    for operator, pairs in (condition.items() if hasattr(condition, "items") else ()):
        if operator != "ForAnyValue:StringEquals" or not hasattr(pairs, "items"):
            continue
        for key, values in pairs.items():
            names = [str(v) for v in as_list(values)]
            if key.lower() == "kms:resourcealiases" and names and all(
                    n.startswith("alias/") and len(n) > len("alias/") and not any(c in n for c in "*?")
                    for n in names):
                return True
    return False


def audit_log_append_only(resources: list[Res]) -> StackViolations:
    """PIA-III-2-c, III-3-f, III-8: every role may only append to the audit log, one role alone may seal it, and
    the table's own policy denies deletes to all (policies/audit_log_rules.py)."""
    from policies.audit_log_rules import judge_statements, judge_table_policy, table_arn_from

    table_policies = [r for r in resources if r.type == "aws:dynamodb/resourcePolicy:ResourcePolicy"]
    audit_tables = [r for r in resources if _table(r) and r.tag("data-classification") == "audit"]
    read = [(r, _iam_policies(r)) for r in resources if r.type in IAM_POLICY_TYPES]
    out: StackViolations = []
    if audit_tables:  # a policy no one can read may grant anything on the audit log
        out += [(r.name, UNKNOWN_DOCUMENT) for r, stmts in read if stmts is None]
    documents = [(r, stmts) for r, stmts in read if stmts]
    named = [str(x) for _, stmts in documents for st in stmts for x in as_list(st.get("Resource"))]
    named += [arn for p in table_policies if (arn := _known_string(p, "resourceArn"))]
    for table in audit_tables:
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
        own = [p for p in table_policies if table.name in p.deps.get("resourceArn", ())
               or _known_string(p, "resourceArn") == arn]
        policies = [read_statements(p) for p in own]
        if any(stmts is None for stmts in policies):
            out.append((table.name, f"the audit table's policy cannot be read: {UNKNOWN_DOCUMENT}"))
            continue
        verdicts = [judge_table_policy(stmts) for stmts in policies] or [judge_table_policy(None)]
        out += [(table.name, m) for m in min(verdicts, key=len)]
    return out


def _known_string(res: Res, prop: str) -> str | None:
    try:
        value = res.get(prop)
    except UnknownValueError:
        return None
    return str(value) if value is not None else None


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


FOUNDATION_STAGE = "choju:stage:Foundation"
# What the foundation stage (`choju:stage: foundation`, infra/program.py) may create: keys and the closed network.
FOUNDATION_TYPES = frozenset({
    FOUNDATION_STAGE, "choju:security:Keys", "choju:network:Network", "pulumi:pulumi:Stack", "pulumi:providers:aws",
    "aws:kms/key:Key", "aws:kms/alias:Alias", "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTable:RouteTable", "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/route:Route",
    "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:ec2/flowLog:FlowLog", "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy", "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    "aws:ec2/vpnGateway:VpnGateway", "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
    "aws:route53/resolverEndpoint:ResolverEndpoint"})


def foundation_only(resources: list[Res]) -> bool:
    """Whether this is the foundation stage of a new stack: the program says so (its marker) and the stack holds
    nothing but keys and network — no store, function, API or data. Only then may the trail and the detector,
    which the next stage creates, be missing; a marker beside anything else changes nothing."""
    return any(r.type == FOUNDATION_STAGE for r in resources) and all(r.type in FOUNDATION_TYPES for r in resources)


def cloudtrail_configured(resources: list[Res]) -> StackViolations:
    trails = [r for r in resources if r.type == "aws:cloudtrail/trail:Trail"]
    if not trails:
        return [] if _organisation_provides(resources, "cloudtrail") or foundation_only(resources) else [
            ("stack", "no trail, and the stack does not declare that the organisation provides one")]
    out = []
    for t in trails:
        for key, what in (("isMultiRegionTrail", "multi-region"), ("enableLogFileValidation", "log file validation")):
            if t.get(key) is not True:
                out.append((t.name, f"{what} is off"))
        if not t.present("kmsKeyId"):
            out.append((t.name, "not encrypted with KMS"))
        if not t.present("cloudWatchLogsGroupArn"):
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
        return [] if _organisation_provides(resources, "guardduty") or foundation_only(resources) else [
            ("stack", "no GuardDuty detector, and the stack does not declare that the organisation provides one")]
    enabled = {r.get("name") for r in resources
               if r.type == "aws:guardduty/detectorFeature:DetectorFeature" and r.get("status") == "ENABLED"}
    out = [(d.name, "the detector is disabled") for d in detectors if d.get("enable") is False]
    out += [(detectors[0].name, f"feature {f} is not enabled") for f in GUARDDUTY_FEATURES if f not in enabled]
    return out

