"""What a second `pulumi up` or a `pulumi refresh` meets: the deployer keeps access to the buckets it manages,
and resources are created in the order AWS accepts (PIA-II-6-b). Ordering is read from what the program tells
the engine (explicit and property dependencies)."""

from __future__ import annotations

import pytest

from infra.storage import DATA_ACTIONS
from policies.access import ALLOW, DENY, Request, decide
from tests.infra.conftest import Declared

DEPLOYER = "arn:aws:iam::123456789012:role/deployer"
FUNCTION = "arn:aws:iam::123456789012:role/choju-dev-intake"


def _bucket_policy(stack: Declared, logical: str) -> dict:
    return stack.policy(stack.named(f"storage-{logical}-policy"))


def _from_outside(action: str, resource: str, principal: str = DEPLOYER) -> Request:
    return Request(action, resource, principal, {"aws:SecureTransport": True})


@pytest.mark.parametrize("logical", ["documents", "audit", "exchange"])
def test_the_deployer_can_still_read_the_bucket_it_manages_from_outside(dev: Declared, logical: str) -> None:
    """HeadBucket (s3:ListBucket) and configuration reads are not denied outside the endpoint; objects are."""
    policy = _bucket_policy(dev, logical)
    bucket = f"arn:aws:s3:::choju-dev-{logical}"
    for action in ("s3:ListBucket", "s3:GetBucketVersioning", "s3:GetBucketPolicy", "s3:GetEncryptionConfiguration",
                   "s3:PutBucketTagging"):
        assert decide([policy], _from_outside(action, bucket)) != DENY, action
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions"):
        resource = bucket if action.startswith("s3:List") else f"{bucket}/persons/1.pdf"
        assert decide([policy], _from_outside(action, resource)) == DENY, action


def test_objects_are_reachable_through_the_endpoint_only(dev: Declared) -> None:
    policy = _bucket_policy(dev, "documents")
    inside = Request("s3:GetObject", "arn:aws:s3:::choju-dev-documents/x", FUNCTION,
                     {"aws:SecureTransport": True, "aws:SourceVpce": "network-s3-id"})
    assert decide([policy], inside) != DENY
    assert decide([policy], Request("s3:GetObject", "arn:aws:s3:::choju-dev-documents/x", FUNCTION,
                                    {"aws:SecureTransport": True})) == DENY


def test_the_policy_of_before_locked_the_deployer_out_on_refresh() -> None:
    """Negative twin: denying s3:ListBucket* outside the endpoint (as before) denies HeadBucket to the deployer."""
    old = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": ["s3:GetObject*", "s3:ListBucket*"],
                          "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                          "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-1"]}}}]}
    assert decide([old], _from_outside("s3:ListBucket", "arn:aws:s3:::b")) == DENY
    assert not any(a.startswith("s3:ListBucket") and a.endswith("*") for a in DATA_ACTIONS)


def test_functions_are_created_after_their_role_policy(stack: Declared) -> None:
    """CreateFunction with a VPC configuration checks the role may create network interfaces."""
    policies = {p.name: p for p in stack.of("iam/rolePolicy:RolePolicy")}
    for fn in stack.of("lambda/function:Function"):
        assert fn.depends_on(policies[fn.name]), fn.name


def test_replication_waits_for_versioning_at_both_ends_and_for_its_permissions(stack: Declared) -> None:
    for config in stack.of("s3/bucketReplicationConfig:BucketReplicationConfig"):
        logical = config.name.removeprefix("replication-").removesuffix("-osaka-config")
        source = stack.named(f"storage-{logical}-versioning")
        replica = stack.named(f"replication-{logical}-osaka-versioning")
        permissions = stack.named(f"replication-{logical}-osaka-replication")
        assert config.depends_on(source) and config.depends_on(replica) and config.depends_on(permissions)


def test_the_dependency_check_catches_a_missing_order(dev: Declared) -> None:
    """Negative twin: a replication configuration recorded without the engine dependency is caught."""
    from dataclasses import replace

    config = dev.of("s3/bucketReplicationConfig:BucketReplicationConfig")[0]
    source = dev.named("storage-audit-versioning")
    assert not replace(config, dependencies=(), property_dependencies={}).depends_on(source)


def test_object_lock_waits_for_versioning(stack: Declared) -> None:
    lock = stack.named("storage-audit-object-lock")
    assert lock.depends_on(stack.named("storage-audit-versioning"))


# --- the break-glass role --------------------------------------------------------------------------------

def test_the_break_glass_role_has_its_documented_permission_set_and_nothing_more(dev: Declared) -> None:
    from infra.break_glass import break_glass_policy

    policy = dev.policy(dev.one("iam/rolePolicy:RolePolicy", "break-glass"))
    assert [s["Sid"] for s in policy["Statement"]] == [s["Sid"] for s in break_glass_policy(
        dev.stack.settings, "123456789012")["Statement"]]
    identity = [policy]
    role = "arn:aws:iam::123456789012:role/choju-dev-break-glass"

    def may(action: str, resource: str, **context: object) -> bool:
        return decide(identity, Request(action, resource, role, context), resource_policy=False) == ALLOW

    assert may("s3:PutBucketPolicy", "arn:aws:s3:::choju-dev-documents")
    assert may("s3:GetObjectVersion", "arn:aws:s3:::choju-dev-documents/a.pdf")
    table = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/choju-dev-persons"
    assert may("dynamodb:RestoreTableToPointInTime", table)
    assert may("kms:Decrypt", "arn:aws:kms:ap-northeast-1:123456789012:key/k",
               **{"kms:ResourceAliases": ["alias/choju-dev-data"]})
    assert not may("kms:Decrypt", "arn:aws:kms:ap-northeast-1:123456789012:key/m",
                   **{"kms:ResourceAliases": ["alias/choju-dev-mynumber"]})
    for action, resource in (("s3:DeleteObject", "arn:aws:s3:::choju-dev-documents/a.pdf"),
                             ("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/a"),
                             ("iam:AttachRolePolicy", "arn:aws:iam::123456789012:role/choju-dev-break-glass"),
                             ("kms:PutKeyPolicy", "arn:aws:kms:ap-northeast-1:123456789012:key/m"),
                             ("dynamodb:Scan", "arn:aws:dynamodb:ap-northeast-1:123456789012:table/choju-dev-persons"),
                             ("iam:PassRole", "arn:aws:iam::123456789012:role/choju-dev-intake")):
        assert not may(action, resource), action


def test_the_break_glass_role_needs_mfa_or_a_named_operator(dev: Declared) -> None:
    role = dev.one("iam/role:Role", "break-glass")
    trust = dev.policy(role, "assumeRolePolicy")
    someone = Request("sts:AssumeRole", "*", "arn:aws:iam::123456789012:role/AnyAdmin")
    assert decide([trust], someone) != ALLOW
    assert decide([trust], Request("sts:AssumeRole", "*", "arn:aws:iam::123456789012:user/ops",
                                   {"aws:MultiFactorAuthPresent": True, "aws:MultiFactorAuthAge": 120})) == ALLOW
    assert role.inputs["maxSessionDuration"] == 3600
