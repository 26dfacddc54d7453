"""Copies only in Osaka (PIA-II-6-a, II-6-b): replica buckets under an Osaka key, and daily table backups
copied to an Osaka vault. Nothing is placed in any other region."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.arns import bucket_arn, key_use_statement, role_arn
from infra.documents import assume_role, json_output
from infra.providers import regional_provider
from infra.settings import StackSettings
from infra.storage import KEEP, harden_bucket, tls_only_statement
from shared.storage import BACKUP_RETENTION_DAYS, STORAGE

BACKUP_DAYS = BACKUP_RETENTION_DAYS  # the window the 廃棄証明書 states (functions/deletion)
# AWS managed policies of AWS Backup's service role: tables (and other services), and S3 buckets.
BACKUP_POLICIES = {
    "backup": "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "restore": "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "s3-backup": "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "s3-restore": "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
}


def osaka_alias(settings: StackSettings) -> str:
    return f"alias/{settings.name_prefix}-osaka-replica"


class Replication(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, account_id: Any, buckets: dict[str, aws.s3.Bucket],
                 tables: dict[str, aws.dynamodb.Table], data_key_arn: pulumi.Input[str],
                 eraser_role_arns: list[Any] | None = None,
                 versioning: dict[str, aws.s3.BucketVersioning] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:storage:Replication", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.account_id = account_id
        self.erasers = list(eraser_role_arns or [])  # delete versions here too: replication never carries that
        self.osaka = regional_provider(f"{name}-osaka", settings, settings.replica_region, opts=child)
        in_osaka = pulumi.ResourceOptions(parent=self, provider=self.osaka)
        root = pulumi.Output.concat("arn:aws:iam::", account_id, ":root")
        self.osaka_key = aws.kms.Key(
            f"{name}-osaka-key", description="choju replicas and backups in Osaka", enable_key_rotation=True,
            deletion_window_in_days=30, policy=json_output({"Version": "2012-10-17", "Statement": [
                {"Sid": "ThisAccountThroughIam", "Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*",
                 "Resource": "*"}]}), tags={**settings.tags, "choju:key": "osaka-replica"}, opts=in_osaka)
        aws.kms.Alias(f"{name}-osaka-key-alias", name=osaka_alias(settings),
                      target_key_id=self.osaka_key.key_id, opts=in_osaka)
        self.role = aws.iam.Role(f"{name}-s3-replication", name=f"{settings.name_prefix}-s3-replication",
                                 assume_role_policy=json_output(assume_role("s3.amazonaws.com", account_id)),
                                 tags=settings.tags, opts=child)
        self.replicas: dict[str, aws.s3.Bucket] = {}
        self.versioning = versioning or {}
        for spec in STORAGE.buckets:
            if spec.replicate_to_secondary:
                self._replicate(name, settings, spec.name, spec.object_lock, buckets[spec.name], data_key_arn,
                                in_osaka, child)
        self._backups(name, settings, account_id, tables, buckets, data_key_arn, child, in_osaka)
        self.register_outputs({"replicas": {k: v.bucket for k, v in self.replicas.items()}})

    def _replicate(self, name: str, settings: StackSettings, logical: str, object_lock: bool,
                   source: aws.s3.Bucket, data_key_arn: pulumi.Input[str], in_osaka: pulumi.ResourceOptions,
                   child: pulumi.ResourceOptions) -> None:
        resource = f"{name}-{logical}-osaka"
        replica = aws.s3.Bucket(resource, bucket=STORAGE.bucket(logical).replica_name(settings.name_prefix),
                                object_lock_enabled=object_lock or None,
                                tags={**settings.tags, "data-classification": "replica", "choju:replica-of": logical},
                                opts=pulumi.ResourceOptions(parent=self, provider=self.osaka, **KEEP))
        replica_versioning = harden_bucket(resource, replica, self.osaka_key.arn, in_osaka)
        # Documents built from names (infra/arns.py) and key aliases: known at the first preview.
        spec = STORAGE.bucket(logical)
        source_arn = bucket_arn(spec.physical_name(settings.name_prefix))
        replica_arn = bucket_arn(spec.replica_name(settings.name_prefix))
        role = role_arn(self.account_id, f"{settings.name_prefix}-s3-replication")
        aws.s3.BucketPolicy(f"{resource}-policy", bucket=replica.id, policy=json_output({
            "Version": "2012-10-17", "Statement": [
                tls_only_statement(replica_arn),
                {"Sid": "DenyAllButReplication", "Effect": "Deny", "Principal": "*", "Action": ["s3:PutObject"],
                 "Resource": pulumi.Output.concat(replica_arn, "/*"),
                 "Condition": {"ArnNotEquals": {"aws:PrincipalArn": role}}},
                {"Sid": "DeleteOnlyByReplicationAndErasure", "Effect": "Deny", "Principal": "*",
                 "Action": ["s3:DeleteObject*"], "Resource": pulumi.Output.concat(replica_arn, "/*"),
                 "Condition": {"ArnNotEquals": {"aws:PrincipalArn": [role, *self.erasers]}}}]}),
            opts=in_osaka)
        self.replicas[logical] = replica
        permissions = aws.iam.RolePolicy(f"{resource}-replication", role=self.role.id, policy=json_output({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                 "Resource": source_arn},
                {"Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                                               "s3:GetObjectVersionTagging", "s3:GetObjectRetention",
                                               "s3:GetObjectLegalHold"],
                 "Resource": pulumi.Output.concat(source_arn, "/*")},
                {"Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                                               "s3:ObjectOwnerOverrideToBucketOwner"],
                 "Resource": pulumi.Output.concat(replica_arn, "/*")},
                key_use_statement("DecryptSources", ["kms:Decrypt"], settings.region, self.account_id,
                                  [STORAGE.key("data").alias(settings.name_prefix)]),
                key_use_statement("EncryptReplicas", ["kms:Encrypt", "kms:GenerateDataKey"], settings.replica_region,
                                  self.account_id, [osaka_alias(settings)]),
            ]}), opts=child)
        aws.s3.BucketReplicationConfig(f"{resource}-config", bucket=source.id, role=self.role.arn, rules=[{
            "id": f"{logical}-to-osaka", "status": "Enabled", "filter": {},
            "delete_marker_replication": {"status": "Disabled"},
            "source_selection_criteria": {"sse_kms_encrypted_objects": {"status": "Enabled"}},
            "destination": {"bucket": replica.arn, "storage_class": "STANDARD",
                            "encryption_configuration": {"replica_kms_key_id": self.osaka_key.arn}},
        # S3 refuses a replication configuration until versioning is on at both ends (S3 User Guide,
        # "Requirements for live replication"), and replication needs its role's permissions.
        }], opts=pulumi.ResourceOptions(parent=self, depends_on=[
            replica_versioning, permissions, *([self.versioning[logical]] if logical in self.versioning else [])]))

    def _backups(self, name: str, settings: StackSettings, account_id: Any, tables: dict[str, aws.dynamodb.Table],
                 buckets: dict[str, aws.s3.Bucket], data_key_arn: pulumi.Input[str], child: pulumi.ResourceOptions,
                 in_osaka: pulumi.ResourceOptions) -> None:
        """Daily backups of every table and of the long-lived buckets, copied to Osaka, in vaults under Vault Lock
        (AWS Backup Developer Guide, "AWS Backup Vault Lock"): not even the account's administrators can delete a
        recovery point early. In compliance mode the lock becomes immutable after its grace period."""
        # Copying DynamoDB backups to another region needs AWS Backup's advanced DynamoDB features (full
        # management), and S3 needs its opt-in (AWS Backup Developer Guide, "Advanced DynamoDB backup";
        # "Cross-Region copy" feature table). Both regions: the copy is restored in Osaka.
        for region_opts, suffix in ((child, ""), (in_osaka, "-osaka")):
            aws.backup.RegionSettings(f"{name}-region-settings{suffix}",
                                      resource_type_opt_in_preference={"DynamoDB": True, "S3": True},
                                      resource_type_management_preference={"DynamoDB": True}, opts=region_opts)
        tokyo = aws.backup.Vault(f"{name}-vault", name=f"{settings.name_prefix}-tables", kms_key_arn=data_key_arn,
                                 tags=settings.tags, opts=child)
        osaka = aws.backup.Vault(f"{name}-vault-osaka", name=f"{settings.name_prefix}-tables-osaka",
                                 kms_key_arn=self.osaka_key.arn, tags=settings.tags, opts=in_osaka)
        grace = 3 if settings.backup_vault_lock == "compliance" else None  # governance: no grace, removable
        for vault, opts_, suffix in ((tokyo, child, ""), (osaka, in_osaka, "-osaka")):
            aws.backup.VaultLockConfiguration(f"{name}-vault-lock{suffix}", backup_vault_name=vault.name,
                                              min_retention_days=BACKUP_DAYS, max_retention_days=BACKUP_DAYS * 12,
                                              changeable_for_days=grace, opts=opts_)
        plan = aws.backup.Plan(f"{name}-plan", name=f"{settings.name_prefix}-tables", rules=[{
            "rule_name": "daily-with-osaka-copy", "target_vault_name": tokyo.name,
            "schedule": "cron(0 18 * * ? *)", "lifecycle": {"delete_after": BACKUP_DAYS},
            "copy_actions": [{"destination_vault_arn": osaka.arn, "lifecycle": {"delete_after": BACKUP_DAYS}}],
        }], tags=settings.tags, opts=child)
        # Named: the break-glass role passes it to restore jobs, and the endpoint-only bucket and table policies
        # exempt it (infra/account_controls.py exempt_service_roles).
        role = aws.iam.Role(f"{name}-backup", name=f"{settings.name_prefix}-backup", assume_role_policy=json_output(
            assume_role("backup.amazonaws.com", account_id)), tags=settings.tags, opts=child)
        attachments = [aws.iam.RolePolicyAttachment(f"{name}-backup-{suffix}", role=role.name, policy_arn=arn,
                                                    opts=child) for suffix, arn in BACKUP_POLICIES.items()]
        backed_up = [buckets[b.name].arn for b in STORAGE.buckets if b.replicate_to_secondary]
        aws.backup.Selection(f"{name}-tables", name=f"{settings.name_prefix}-tables", plan_id=plan.id,
                             iam_role_arn=role.arn, resources=[t.arn for t in tables.values()] + backed_up,
                             opts=pulumi.ResourceOptions(parent=self, depends_on=attachments))
