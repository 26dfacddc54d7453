"""Customer-managed KMS keys (data, my-number, logs) with narrow key policies (BLEA's pattern: service
principals only under an encryption-context or source condition; no unconditioned `*`).

The My Number key separates administration from use (AWS SRA; PIA-III-3-d): it delegates nothing to the account
root, so no IAM administrator of the account can use it, grant it or change its policy. Its administrator is one
named role (`choju:keyAdminRoleArn`, by default the role deploying the stack), which may manage the key but not
use it and not create grants; only the declared My Number workflow roles may use it. The administrator keeps
kms:PutKeyPolicy because AWS requires it (CreateKey's policy-lockout safety check) and because the policy lists
the workflow roles; every PutKeyPolicy is routed to the security topic (infra/monitoring.py).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.arns import role_arn, trail_arn
from infra.documents import json_output
from infra.settings import StackSettings
from shared.storage import STORAGE

__all__ = ["KEY_ADMIN_ACTIONS", "MYNUMBER_ADMIN_ACTIONS", "USE_ACTIONS", "Keys", "key_policy", "mynumber_roles"]

KEY_ADMIN_ACTIONS = [
    "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
    "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
]
# The My Number key's administrator: everything to manage the key, nothing to use it or to hand it out
# (no kms:CreateGrant, no cryptographic operation).
MYNUMBER_ADMIN_ACTIONS = [
    "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:ListAliases",
    "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:PutKeyPolicy", "kms:EnableKey",
    "kms:DisableKey", "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:RotateKeyOnDemand",
    "kms:UpdateKeyDescription", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:RevokeGrant",
    "kms:RetireGrant", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
]
USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
CRYPTO_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:GenerateMac",
                  "kms:VerifyMac", "kms:Sign", "kms:Verify", "kms:DeriveSharedSecret"]


def mynumber_roles(settings: StackSettings) -> list[str]:
    """The roles (API, batch trigger, chunk worker) whose own needs declare the My Number key (a job's trigger that
    only plans, e.g. the deletion sweep's, is not among them)."""
    from infra.workloads import deployed_functions

    return [f"{settings.name_prefix}-{fn.label}" for fn in deployed_functions() if "mynumber" in fn.needs.keys]


def key_policy(name: str, settings: StackSettings, account_id: Any, key_admin: Any = None) -> dict[str, Any]:
    """The key policy of the `name` key; `key_admin` is the My Number key's administrator role ARN."""
    if name == "mynumber":
        return _mynumber_policy(settings, account_id, key_admin)
    root = pulumi.Output.concat("arn:aws:iam::", account_id, ":root")
    region = settings.region
    statements: list[dict[str, Any]] = [
        {"Sid": "KeyAdministration", "Effect": "Allow", "Principal": {"AWS": root}, "Action": KEY_ADMIN_ACTIONS,
         "Resource": "*"},
        {"Sid": "UseThroughIamInThisAccount", "Effect": "Allow", "Principal": {"AWS": root}, "Action": USE_ACTIONS,
         "Resource": "*"},
    ]
    if name == "logs":
        statements.append(
            {"Sid": "CloudWatchLogs", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
             "Action": USE_ACTIONS, "Resource": "*",
             "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                       pulumi.Output.concat("arn:aws:logs:", region, ":", account_id, ":*")}}})
        if settings.create_cloudtrail:
            statements += cloudtrail_statements(settings, account_id)
    if name == "data":
        statements.append({
            "Sid": "AlarmAndEventPublishing", "Effect": "Allow",
            "Principal": {"Service": ["events.amazonaws.com", "cloudwatch.amazonaws.com"]},
            "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}})
        if settings.creates("macie"):
            statements.append(macie_statement(account_id))
    return {"Version": "2012-10-17", "Statement": statements}


def macie_statement(account_id: Any) -> dict[str, Any]:
    """Macie reads objects under the data key with its service-linked role, whose own policy has no KMS
    permission, so the key policy must allow it (Macie User Guide, "Allowing Macie to use a customer managed
    AWS KMS key"). The role is created when Macie is enabled, after the key: KMS refuses a policy naming a
    principal that does not exist yet, so it is matched by aws:PrincipalArn under `*`, limited to this account."""
    from infra.account_controls import macie_service_role

    return {"Sid": "MacieDiscovery", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt",
            "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalArn": macie_service_role(account_id),
                                                            "kms:CallerAccount": account_id}}}


def cloudtrail_statements(settings: StackSettings, account_id: Any) -> list[dict[str, Any]]:
    """The sections AWS requires for a trail's key (CloudTrail User Guide, "Configure AWS KMS key policies for
    CloudTrail"): encrypt under the trail's encryption context, describe the key (a call that carries no
    encryption context, so it must not be conditioned on one), and decrypt, which CloudTrail needs when the
    trail's bucket uses an S3 Bucket Key (ours does). Each is limited to this stack's trail by aws:SourceArn."""
    trail = trail_arn(settings.region, account_id, settings.name_prefix)
    source = {"StringEquals": {"aws:SourceArn": trail}}
    principal = {"Service": "cloudtrail.amazonaws.com"}
    return [
        {"Sid": "CloudTrailEncryptLogs", "Effect": "Allow", "Principal": principal, "Action": "kms:GenerateDataKey*",
         "Resource": "*", "Condition": {**source, "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
                                                                 pulumi.Output.concat("arn:aws:cloudtrail:*:",
                                                                                      account_id, ":trail/*")}}},
        {"Sid": "CloudTrailDescribeKey", "Effect": "Allow", "Principal": principal, "Action": "kms:DescribeKey",
         "Resource": "*", "Condition": source},
        {"Sid": "CloudTrailDecryptForBucketKey", "Effect": "Allow", "Principal": principal, "Action": "kms:Decrypt",
         "Resource": "*", "Condition": source},
    ]


def _mynumber_policy(settings: StackSettings, account_id: Any, key_admin: Any) -> dict[str, Any]:
    if key_admin is None:
        raise ValueError("the My Number key needs its administrator role (choju:keyAdminRoleArn)")
    users = [role_arn(account_id, r) for r in mynumber_roles(settings)]
    root = pulumi.Output.concat("arn:aws:iam::", account_id, ":root")
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "KeyAdministrationByTheNamedRoleOnly", "Effect": "Allow", "Principal": {"AWS": key_admin},
         "Action": MYNUMBER_ADMIN_ACTIONS, "Resource": "*"},
        # Root as principal with a PrincipalArn condition: the roles need not exist when the key is created, and
        # a role recreated under the same name keeps working. Their IAM policies must also allow the use.
        {"Sid": "UseByMyNumberWorkflowsOnly", "Effect": "Allow", "Principal": {"AWS": root}, "Action": USE_ACTIONS,
         "Resource": "*", "Condition": {"ArnLike": {"aws:PrincipalArn": users}}},
        {"Sid": "DenyUseByAnyoneElse", "Effect": "Deny", "Principal": "*", "Action": CRYPTO_ACTIONS, "Resource": "*",
         "Condition": {"ArnNotLike": {"aws:PrincipalArn": users}}},
        {"Sid": "DenyGrants", "Effect": "Deny", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*"},
    ]}


class Keys(pulumi.ComponentResource):
    """data, mynumber and logs keys: rotation on, aliases from the storage declaration."""

    def __init__(self, name: str, settings: StackSettings, account_id: Any, key_admin: Any = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:security:Keys", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.keys: dict[str, aws.kms.Key] = {}
        for spec in STORAGE.keys:
            key = aws.kms.Key(
                f"{name}-{spec.name}", description=f"choju {spec.name}: {spec.purpose}", enable_key_rotation=True,
                rotation_period_in_days=365, deletion_window_in_days=30,
                policy=json_output(key_policy(spec.name, settings, account_id, key_admin)),
                tags={**settings.tags, "choju:key": spec.name}, opts=child)
            aws.kms.Alias(f"{name}-{spec.name}-alias", name=spec.alias(settings.name_prefix), target_key_id=key.key_id,
                          opts=child)
            self.keys[spec.name] = key
        self.register_outputs({k: v.arn for k, v in self.keys.items()})

    def arn(self, name: str) -> pulumi.Output[str]:
        return self.keys[name].arn
