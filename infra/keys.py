"""Customer-managed KMS keys (data, my-number, logs) with narrow key policies (BLEA's pattern: service
principals only under an encryption-context or source condition; no unconditioned `*`)."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.documents import json_output
from infra.settings import StackSettings
from shared.storage import STORAGE

KEY_ADMIN_ACTIONS = [
    "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
    "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
]
USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]


def role_arn(account_id: Any, name: str) -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:iam::", account_id, ":role/", name)


def mynumber_roles(settings: StackSettings) -> list[str]:
    """The roles (API and batch) of the workflows that declare the My Number key."""
    from infra.workloads import deployed_functions

    return [f"{settings.name_prefix}-{fn.label}" for fn in deployed_functions()
            if "mynumber" in fn.workflow.role_needs.keys]


def key_policy(name: str, settings: StackSettings, account_id: Any) -> dict[str, Any]:
    root = pulumi.Output.concat("arn:aws:iam::", account_id, ":root")
    region = settings.region
    statements: list[dict[str, Any]] = [
        {"Sid": "KeyAdministration", "Effect": "Allow", "Principal": {"AWS": root}, "Action": KEY_ADMIN_ACTIONS,
         "Resource": "*"},
    ]
    if name == "mynumber":
        # Only the roles of workflows that handle My Numbers may use it; IAM policies alone cannot widen that.
        statements.append({
            "Sid": "UseByMyNumberWorkflowsOnly", "Effect": "Allow", "Principal": {"AWS": root}, "Action": USE_ACTIONS,
            "Resource": "*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": [role_arn(account_id, r) for r in mynumber_roles(settings)]}},
        })
        return {"Version": "2012-10-17", "Statement": statements}
    statements.append({"Sid": "UseThroughIamInThisAccount", "Effect": "Allow", "Principal": {"AWS": root},
                       "Action": USE_ACTIONS, "Resource": "*"})
    if name == "logs":
        statements += [
            {"Sid": "CloudWatchLogs", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
             "Action": USE_ACTIONS, "Resource": "*",
             "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                       pulumi.Output.concat("arn:aws:logs:", region, ":", account_id, ":*")}}},
            {"Sid": "CloudTrail", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": ["kms:GenerateDataKey*", "kms:DescribeKey", "kms:Decrypt"], "Resource": "*",
             "Condition": {"StringEquals": {"aws:SourceAccount": account_id},
                           "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
                                          pulumi.Output.concat("arn:aws:cloudtrail:*:", account_id, ":trail/*")}}},
        ]
    if name == "data":
        statements.append({
            "Sid": "AlarmAndEventPublishing", "Effect": "Allow",
            "Principal": {"Service": ["events.amazonaws.com", "cloudwatch.amazonaws.com"]},
            "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}})
    return {"Version": "2012-10-17", "Statement": statements}


class Keys(pulumi.ComponentResource):
    """data, mynumber and logs keys: rotation on, aliases from the storage declaration."""

    def __init__(self, name: str, settings: StackSettings, account_id: Any,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:security:Keys", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.keys: dict[str, aws.kms.Key] = {}
        for spec in STORAGE.keys:
            key = aws.kms.Key(
                f"{name}-{spec.name}", description=f"choju {spec.name}: {spec.purpose}", enable_key_rotation=True,
                rotation_period_in_days=365, deletion_window_in_days=30,
                policy=json_output(key_policy(spec.name, settings, account_id)),
                tags={**settings.tags, "choju:key": spec.name}, opts=child)
            aws.kms.Alias(f"{name}-{spec.name}-alias", name=spec.alias(settings.name_prefix), target_key_id=key.key_id,
                          opts=child)
            self.keys[spec.name] = key
        self.register_outputs({k: v.arn for k, v in self.keys.items()})

    def arn(self, name: str) -> pulumi.Output[str]:
        return self.keys[name].arn
