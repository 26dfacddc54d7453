"""Physical names AWS requires to be unique, checked on both example stacks (mocks accept duplicates; AWS
refuses the second resource, or — for settings that are one per bucket, detector or region — the two
resources overwrite each other on every update).

Scopes follow AWS: IAM names are unique per account, S3 bucket names per partition, most other names per
account and region; the explicit Osaka provider puts its resources in a region of their own.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from infra.mocks import Recorded
from tests.infra.conftest import Declared

GLOBAL = "global"
# type -> the input holding its physical name, and whether that name is unique per account (GLOBAL) or per region.
PHYSICAL: dict[str, tuple[str, str]] = {
    "aws:iam/role:Role": ("name", GLOBAL),
    "aws:iam/policy:Policy": ("name", GLOBAL),
    "aws:iam/user:User": ("name", GLOBAL),
    "aws:s3/bucket:Bucket": ("bucket", GLOBAL),
    "aws:lambda/function:Function": ("name", "regional"),
    "aws:lambda/layerVersion:LayerVersion": ("layerName", "regional"),
    "aws:sqs/queue:Queue": ("name", "regional"),
    "aws:sns/topic:Topic": ("name", "regional"),
    "aws:cloudwatch/logGroup:LogGroup": ("name", "regional"),
    "aws:cloudwatch/eventRule:EventRule": ("name", "regional"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", "regional"),
    "aws:dynamodb/table:Table": ("name", "regional"),
    "aws:kms/alias:Alias": ("name", "regional"),
    "aws:backup/vault:Vault": ("name", "regional"),
    "aws:backup/plan:Plan": ("name", "regional"),
    "aws:cloudtrail/trail:Trail": ("name", "regional"),
    "aws:ssm/parameter:Parameter": ("name", "regional"),
    "aws:apigateway/restApi:RestApi": ("name", "regional"),  # AWS allows repeats; operators could not tell them apart
    "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig": ("name", "regional"),
    "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup": ("name", "regional"),
    "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList": ("name", "regional"),
    "aws:route53/resolverEndpoint:ResolverEndpoint": ("name", "regional"),
    "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan": ("protectedResource", "regional"),
    "aws:cfg/rule:Rule": ("name", "regional"),
    "aws:accessanalyzer/analyzer:Analyzer": ("analyzerName", "regional"),
}
# Settings that exist once per owner: a second resource for the same owner silently replaces the first.
PER_OWNER: dict[str, str] = {
    "aws:s3/bucketPolicy:BucketPolicy": "bucket",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "bucket",
    "aws:s3/bucketVersioning:BucketVersioning": "bucket",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "bucket",
    "aws:s3/bucketLogging:BucketLogging": "bucket",
    "aws:s3/bucketNotification:BucketNotification": "bucket",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "bucket",
    "aws:dynamodb/resourcePolicy:ResourcePolicy": "resourceArn",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "backupVaultName",
    "aws:sns/topicPolicy:TopicPolicy": "arn",
    "aws:apigateway/restApiPolicy:RestApiPolicy": "restApiId",
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": "functionName",
}
# Settings that exist once per account and region.
SINGLETONS = (
    "aws:apigateway/account:Account", "aws:guardduty/detector:Detector",
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "aws:ebs/encryptionByDefault:EncryptionByDefault",
    "aws:macie2/account:Account",
    "aws:securityhub/account:Account", "aws:cfg/recorder:Recorder", "aws:cfg/deliveryChannel:DeliveryChannel",
    "aws:backup/regionSettings:RegionSettings", "aws:ebs/defaultKmsKey:DefaultKmsKey",
)


def _region(resource: Recorded, providers: dict[str, str]) -> str:
    if resource.provider and "::" in resource.provider:
        return providers.get(resource.provider.split("::")[-2], "ap-northeast-1")
    return "ap-northeast-1"


def collisions(resources: list[Recorded]) -> dict[str, list[str]]:
    """Every name, owner or singleton two resources share, by type."""
    providers = {r.name: r.inputs.get("region", "") for r in resources if r.type == "pulumi:providers:aws"}
    seen: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in resources:
        region = _region(r, providers)
        if r.type in PHYSICAL:
            key, scope = PHYSICAL[r.type]
            value = r.inputs.get(key)
            if key == "protectedResource" and isinstance(value, dict):
                value = value.get("s3Bucket", {}).get("bucketName")
            if value:
                seen[(r.type, GLOBAL if scope == GLOBAL else region, str(value))].append(r.name)
        elif r.type in PER_OWNER and r.inputs.get(PER_OWNER[r.type]):
            seen[(r.type, region, str(r.inputs[PER_OWNER[r.type]]))].append(r.name)
        elif r.type in SINGLETONS:
            seen[(r.type, region, "the account")].append(r.name)
        elif r.type == "aws:guardduty/detectorFeature:DetectorFeature":
            seen[(r.type, region, f"{r.inputs.get('detectorId')}/{r.inputs.get('name')}")].append(r.name)
        seen[("urn", r.type, r.engine_urn or r.name)].append(r.name)  # the engine's own identity of a resource
    return {f"{typ} {value} ({scope})": names for (typ, scope, value), names in seen.items() if len(names) > 1}


def test_physical_names_are_unique(stack: Declared) -> None:
    assert collisions(stack.resources) == {}


def _twin(stack: Declared, type_: str, predicate) -> list[Recorded]:
    original = next(r for r in stack.of(type_) if predicate(r))
    return [*stack.resources, original.__class__(original.type, original.name + "-twin", dict(original.inputs),
                                                  original.provider, original.name + "-twin")]


@pytest.mark.parametrize("type_, predicate", [
    ("iam/role:Role", lambda r: r.inputs.get("name", "").endswith("-intake")),
    ("s3/bucket:Bucket", lambda r: r.inputs.get("bucket", "").endswith("-documents")),
    ("dynamodb/table:Table", lambda r: r.inputs.get("name", "").endswith("-persons")),
    ("kms/alias:Alias", lambda r: r.inputs.get("name", "").endswith("-mynumber")),
    ("lambda/function:Function", lambda r: True),
    ("sqs/queue:Queue", lambda r: True),
    ("cloudwatch/logGroup:LogGroup", lambda r: True),
    ("s3/bucketPolicy:BucketPolicy", lambda r: True),
    ("apigateway/account:Account", lambda r: True),
], ids=["role", "bucket", "table", "alias", "function", "queue", "log group", "second bucket policy",
        "second API Gateway account setting"])
def test_the_check_catches_a_shared_name(dev: Declared, type_: str, predicate) -> None:
    """Negative twin: the same name, owner or singleton declared twice is caught."""
    found = collisions(_twin(dev, type_, predicate))
    assert len(found) == 1 and all(len(names) == 2 for names in found.values()), found


def test_the_same_name_in_osaka_is_another_resource(dev: Declared) -> None:
    """Regional names repeat across regions: a Tokyo and an Osaka alias of one name do not collide."""
    osaka = next(r for r in dev.of("kms/alias:Alias") if "osaka" in (r.provider or ""))
    tokyo = osaka.__class__(osaka.type, "tokyo-copy", dict(osaka.inputs), None, "tokyo-copy")
    assert collisions([*dev.resources, tokyo]) == {}
