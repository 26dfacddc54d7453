"""The key policies, asked what AWS would answer (policies/access.py): CloudTrail can use the logs key, and no
principal outside the My Number workflow roles can use the My Number key or give itself the use of it
(PIA-III-3-d, PIA-III-7-d)."""

from __future__ import annotations

import pytest

from infra.keys import CRYPTO_ACTIONS, KEY_ADMIN_ACTIONS, mynumber_roles
from infra.mocks import run_program_with_stack, stack_config
from policies.access import ALLOW, Request, decide
from tests.infra.conftest import Declared

TRAIL_CONTEXT = "kms:EncryptionContext:aws:cloudtrail:arn"


def _policy(stack: Declared, key: str) -> dict:
    return stack.policy(stack.one("kms/key:Key", f"keys-{key}"))


def _account(stack: Declared) -> str:
    return stack.one("kms/key:Key", "keys-data").inputs["policy"].split("arn:aws:iam::")[1][:12]


def cloudtrail_requests(account: str, trail: str) -> dict[str, Request]:
    """What CloudTrail sends to KMS for a trail (CloudTrail User Guide, "How AWS CloudTrail uses AWS KMS"):
    CreateTrail/UpdateTrail describe the key (no encryption context), log delivery generates data keys under
    the trail's encryption context, and with an S3 Bucket Key it decrypts."""
    source = {"aws:SourceArn": trail, "aws:SourceAccount": account}
    return {
        "describe": Request("kms:DescribeKey", "*", "cloudtrail.amazonaws.com", source),
        "encrypt": Request("kms:GenerateDataKey", "*", "cloudtrail.amazonaws.com", {**source, TRAIL_CONTEXT: trail}),
        "decrypt": Request("kms:Decrypt", "*", "cloudtrail.amazonaws.com", source),
    }


def test_cloudtrail_can_describe_encrypt_and_decrypt_with_the_logs_key(dev: Declared) -> None:
    account = _account(dev)
    trail = f"arn:aws:cloudtrail:ap-northeast-1:{account}:trail/choju-dev"
    assert dev.one("cloudtrail/trail:Trail").inputs["name"] == "choju-dev"
    policy = _policy(dev, "logs")
    assert {name: decide([policy], r) for name, r in cloudtrail_requests(account, trail).items()} == dict.fromkeys(
        ("describe", "encrypt", "decrypt"), ALLOW)
    other = "arn:aws:cloudtrail:ap-northeast-1:999999999999:trail/theirs"
    assert all(decide([policy], r) != ALLOW for r in cloudtrail_requests("999999999999", other).values())


def test_a_describe_permission_under_an_encryption_context_is_refused(dev: Declared) -> None:
    """Negative twin: the statement this stack had before (DescribeKey only under the trail's encryption
    context) — DescribeKey carries no encryption context, so CloudTrail would be refused."""
    account = _account(dev)
    trail = f"arn:aws:cloudtrail:ap-northeast-1:{account}:trail/choju-dev"
    old = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                          "Action": ["kms:GenerateDataKey*", "kms:DescribeKey", "kms:Decrypt"], "Resource": "*",
                          "Condition": {"StringEquals": {"aws:SourceAccount": account},
                                        "StringLike": {TRAIL_CONTEXT: f"arn:aws:cloudtrail:*:{account}:trail/*"}}}]}
    assert decide([old], cloudtrail_requests(account, trail)["describe"]) != ALLOW


def test_the_logs_key_has_no_cloudtrail_statement_when_the_organisation_trail_is_used(prod: Declared) -> None:
    assert not any("CloudTrail" in s.get("Sid", "") for s in _policy(prod, "logs")["Statement"])


# --- the My Number key ------------------------------------------------------------------------------------

# What would let a principal read My Numbers: using the key, granting it, or rewriting its policy.
ESCALATIONS = ("kms:Decrypt", "kms:CreateGrant", "kms:PutKeyPolicy", "kms:ReEncryptFrom")


def who_can(policy: dict, account: str, principals: list[str]) -> dict[str, set[str]]:
    """For each escalation, the principals the key policy lets do it — counting the account root's delegation as
    granted (an IAM administrator of the account can allow itself anything in IAM)."""
    return {action: {p for p in principals if decide([policy], Request(action, "*", p)) == ALLOW}
            for action in ESCALATIONS}


def candidates(account: str, prefix: str, admin: str) -> list[str]:
    return [f"arn:aws:iam::{account}:role/{r}" for r in (
        f"{prefix}-intake", f"{prefix}-transfer", f"{prefix}-platform", f"{prefix}-assessment",
        f"{prefix}-break-glass", "OrganizationAccountAccessRole", "AWSReservedSSO_AdministratorAccess_1a2b",
        "deployer-ci", f"{prefix}-s3-replication")] + [admin, f"arn:aws:iam::{account}:root",
                                                      f"arn:aws:iam::{account}:user/admin",
                                                      "arn:aws:iam::999999999999:role/choju-dev-intake",
                                                      "dynamodb.amazonaws.com", "cloudtrail.amazonaws.com"]


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_only_the_workflow_roles_can_obtain_my_numbers(name: str, request: pytest.FixtureRequest) -> None:
    """Nobody but the My Number workflow roles can decrypt, create a grant or re-encrypt from the key; the one
    named administrator can change the policy (AWS's lockout check requires it), and nothing else."""
    stack: Declared = request.getfixturevalue(name)
    account, prefix = _account(stack), f"choju-{name}"
    policy = _policy(stack, "mynumber")
    admin = next(s for s in policy["Statement"] if s["Sid"] == "KeyAdministrationByTheNamedRoleOnly")
    admin_arn = admin["Principal"]["AWS"]
    assert admin_arn == (f"arn:aws:iam::{account}:role/deployer" if name == "dev"
                         else "arn:aws:iam::111122223333:role/choju-prod-deployer")
    users = {f"arn:aws:iam::{account}:role/{r}" for r in mynumber_roles(stack.stack.settings)}
    found = who_can(policy, account, [*candidates(account, prefix, admin_arn), *users])
    assert found == {"kms:Decrypt": users, "kms:ReEncryptFrom": users, "kms:CreateGrant": set(),
                     "kms:PutKeyPolicy": {admin_arn}}
    assert not set(admin["Action"]) & {"kms:CreateGrant", *CRYPTO_ACTIONS}


def test_the_policy_this_key_had_before_lets_any_iam_administrator_in(dev: Declared) -> None:
    """Negative twin: administration delegated to the account root (kms:Create*, kms:Put*) lets every IAM
    administrator grant itself Decrypt or rewrite the policy — the check above catches it."""
    account = _account(dev)
    root = f"arn:aws:iam::{account}:root"
    old = {"Statement": [
        {"Sid": "KeyAdministration", "Effect": "Allow", "Principal": {"AWS": root}, "Action": KEY_ADMIN_ACTIONS,
         "Resource": "*"},
        {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": root}, "Action": ["kms:Decrypt"], "Resource": "*",
         "Condition": {"ArnLike": {"aws:PrincipalArn": [f"arn:aws:iam::{account}:role/choju-dev-intake"]}}}]}
    admin = f"arn:aws:iam::{account}:role/AWSReservedSSO_AdministratorAccess_1a2b"
    found = who_can(old, account, [admin])
    assert admin in found["kms:CreateGrant"] and admin in found["kms:PutKeyPolicy"]


def test_a_key_administrator_other_than_the_deployer_stops_the_preview() -> None:
    """KMS refuses a key policy its creator could not change later; the program says so before anything is
    created (the mocks deploy as another role than the configured administrator)."""
    config = {**stack_config("dev"), "choju:keyAdminRoleArn": "arn:aws:iam::123456789012:role/someone-else"}
    with pytest.raises(Exception, match="keyAdminRoleArn"):
        run_program_with_stack("dev", config, deployer="arn:aws:iam::123456789012:role/deployer")


def test_every_key_change_of_the_my_number_key_reaches_the_security_topic(stack: Declared) -> None:
    import json

    rules = {r.name: json.loads(r.inputs["eventPattern"]) for r in stack.of("cloudwatch/eventRule:EventRule")
             if "eventPattern" in r.inputs}
    events = set(rules["monitoring-tampering-kms"]["detail"]["eventName"])
    assert {"PutKeyPolicy", "DisableKey", "ScheduleKeyDeletion"} <= events


def test_no_role_but_the_workflow_roles_can_decrypt_with_the_my_number_key(stack: Declared) -> None:
    """Every role policy of the stack, and the key policy, asked together as IAM evaluates them: a role may
    decrypt with the My Number key only if its own policy allows it (by alias) and the key policy allows it; that
    holds for the My Number workflow roles and for no other role the stack creates."""
    from policies.access import key_request

    account, prefix = _account(stack), stack.stack.settings.name_prefix
    key_policy = _policy(stack, "mynumber")
    key = f"arn:aws:kms:ap-northeast-1:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    users = {f"{prefix}-{r.removeprefix(prefix + '-')}" for r in mynumber_roles(stack.stack.settings)}
    may = set()
    role_policies = stack.of("iam/rolePolicy:RolePolicy")
    assert len(role_policies) > 20
    for resource in role_policies:
        document = stack.policy(resource)
        for role_name in _role_names(stack, resource):
            role = f"arn:aws:iam::{account}:role/{role_name}"
            request = key_request("kms:Decrypt", key, role, [f"alias/{prefix}-mynumber"])
            if decide([document], request, resource_policy=False) == ALLOW and decide([key_policy], request) == ALLOW:
                may.add(role_name)
    assert may == users


def test_a_grant_on_every_key_without_the_alias_condition_would_reach_the_my_number_key(dev: Declared) -> None:
    """Negative twin: the same role policy granting kms:Decrypt on key/* without the alias condition (or with a
    wildcard alias) covers the My Number key; the policy pack refuses both
    (tests/policies/test_evasions.py)."""
    from policies.access import key_request

    key = "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    role = "arn:aws:iam::123456789012:role/choju-dev-assessment"
    request = key_request("kms:Decrypt", key, role, ["alias/choju-dev-mynumber"])
    bare = {"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
                           "Resource": "arn:aws:kms:ap-northeast-1:123456789012:key/*"}]}
    wildcard = {"Statement": [{**bare["Statement"][0], "Condition": {
        "ForAnyValue:StringLike": {"kms:ResourceAliases": ["alias/*"]}}}]}
    named = {"Statement": [{**bare["Statement"][0], "Condition": {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/choju-dev-data"]}}}]}
    assert decide([bare], request, resource_policy=False) == ALLOW
    assert decide([wildcard], request, resource_policy=False) == ALLOW
    assert decide([named], request, resource_policy=False) != ALLOW


def _role_names(stack: Declared, role_policy) -> list[str]:
    """The physical names of the role a role policy is attached to (its `role` input is the role's id, which the
    mocks name `<resource>-id`; a role without a name gets its resource name)."""
    role_id = str(role_policy.inputs.get("role", ""))
    roles = [r for r in stack.of("iam/role:Role") if f"{r.name}-id" == role_id or r.inputs.get("name") == role_id]
    return [str(r.inputs.get("name") or r.name) for r in roles] or [role_id]
