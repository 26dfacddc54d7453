"""The operator's emergency role: the one principal exempt from the endpoint-only bucket policies, for when
those policies (or the network) lock everyone out, and for restoring data.

Its permission set is written down here and nowhere else (docs/operators.md prints it): repair a bucket policy,
read and restore object versions, restore a table to a point in time or from a backup, decrypt with the data key,
and read the trail and logs to investigate. Nothing else: no IAM, no key administration, no deletion, and no use
of the My Number key (its key policy refuses every principal but the workflow roles). Every assumption of the
role raises an alarm (infra/monitoring.py, `break-glass-use`). Assumable only with MFA by this account's
principals, or by the principals `choju:breakGlassTrustedPrincipals` names (an IAM Identity Center permission
set's role, whose sessions carry no MFA key but were authenticated with MFA by the organisation).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.arns import regional_arn, role_arn
from infra.documents import json_output
from infra.settings import StackSettings

__all__ = ["break_glass_policy", "break_glass_role", "break_glass_role_name"]


def break_glass_role_name(settings: StackSettings) -> str:
    """The organisation's role (choju:breakGlassRoleArn) or the one this stack creates."""
    if settings.break_glass_role_arn:
        return settings.break_glass_role_arn.rsplit("/", 1)[1]
    return f"{settings.name_prefix}-break-glass"


def break_glass_policy(settings: StackSettings, account_id: Any) -> dict[str, Any]:
    prefix, region = settings.name_prefix, settings.region
    buckets = [f"arn:aws:s3:::{prefix}-*"]
    objects = [f"arn:aws:s3:::{prefix}-*/*"]
    tables = [regional_arn("dynamodb", r, account_id, f"table/{prefix}-*") for r in (region, settings.replica_region)]
    restored = regional_arn("dynamodb", region, account_id, f"table/{prefix}-*-restored*")
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "RepairBucketPolicies", "Effect": "Allow",
         "Action": ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"], "Resource": buckets},
        {"Sid": "ReadAndRestoreObjectVersions", "Effect": "Allow",
         "Action": ["s3:ListBucket", "s3:ListBucketVersions", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
         "Resource": buckets + objects},
        {"Sid": "RestoreTables", "Effect": "Allow",
         "Action": ["dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:ListBackups",
                    "dynamodb:DescribeBackup", "dynamodb:RestoreTableToPointInTime",
                    "dynamodb:RestoreTableFromBackup"], "Resource": tables},
        # A restore writes into its new table (DynamoDB Developer Guide, "IAM policy to restore a table").
        {"Sid": "WriteRestoredTables", "Effect": "Allow",
         "Action": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem",
                    "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchWriteItem"], "Resource": [restored]},
        {"Sid": "RestoreBackups", "Effect": "Allow",
         "Action": ["backup:ListRecoveryPointsByBackupVault", "backup:DescribeRecoveryPoint",
                    "backup:StartRestoreJob", "backup:DescribeRestoreJob"],
         "Resource": [regional_arn("backup", r, account_id, f"backup-vault:{prefix}-*")
                      for r in (region, settings.replica_region)]
         + [regional_arn("backup", r, account_id, "recovery-point:*") for r in (region, settings.replica_region)]},
        {"Sid": "PassTheBackupRoleToRestores", "Effect": "Allow", "Action": "iam:PassRole",
         "Resource": role_arn(account_id, f"{prefix}-backup"),
         "Condition": {"StringEquals": {"iam:PassedToService": "backup.amazonaws.com"}}},
        {"Sid": "DecryptWithTheDataKey", "Effect": "Allow",
         "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
         "Resource": regional_arn("kms", region, account_id, "key/*"),
         "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": [f"alias/{prefix}-data"]}}},
        {"Sid": "Investigate", "Effect": "Allow",
         "Action": ["logs:FilterLogEvents", "logs:GetLogEvents", "logs:StartQuery", "logs:GetQueryResults"],
         "Resource": regional_arn("logs", region, account_id, "log-group:*choju*")},
        {"Sid": "LookUpTrailEvents", "Effect": "Allow", "Action": ["cloudtrail:LookupEvents"], "Resource": "*"},
    ]}


def break_glass_role(settings: StackSettings, account_id: Any) -> pulumi.Output[str]:
    """The role's ARN: the organisation's (choju:breakGlassRoleArn, granted the permission set above by the
    organisation) or one created here."""
    if settings.break_glass_role_arn:
        return pulumi.Output.from_input(settings.break_glass_role_arn)
    trusted = list(settings.break_glass_trusted_principals)
    statements: list[dict[str, Any]] = [{
        "Sid": "ThisAccountWithMfa", "Effect": "Allow",
        "Principal": {"AWS": pulumi.Output.concat("arn:aws:iam::", account_id, ":root")}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"},
                      "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}]
    if trusted:
        statements.append({"Sid": "NamedOperators", "Effect": "Allow",
                           "Principal": {"AWS": pulumi.Output.concat("arn:aws:iam::", account_id, ":root")},
                           "Action": "sts:AssumeRole", "Condition": {"ArnLike": {"aws:PrincipalArn": trusted}}})
    role_name = break_glass_role_name(settings)
    role = aws.iam.Role("break-glass", name=role_name, max_session_duration=3600,
                        assume_role_policy=json_output({"Version": "2012-10-17", "Statement": statements}),
                        tags={**settings.tags, "choju:role": "break-glass"})
    aws.iam.RolePolicy("break-glass", role=role.id, policy=json_output(break_glass_policy(settings, account_id)),
                       opts=pulumi.ResourceOptions(parent=role))
    # By name, not role.arn: the bucket and table policies that exempt it stay known at preview (a condition
    # value need not name an existing role).
    return role_arn(account_id, role_name)
