"""Every declared table and bucket (shared/storage.py), hardened: CMK encryption, PITR, deletion protection,
the four public-access blocks, TLS-only and endpoint-only bucket policies, access logs, lifecycle, and Object
Lock on the audit bucket. Data stores are retained when the stack is destroyed."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.arns import bucket_arn, table_arn
from infra.documents import json_output
from infra.settings import StackSettings
from shared.storage import PITR_RECOVERY_DAYS, RETENTION_CLASSES, STORAGE, BucketSpec, DataClass, TableSpec

KEEP = {"retain_on_delete": True}
# Tables whose items identify people (PIA-II-2-a): their resource policy admits data calls only through the VPC.
PERSONAL_DATA = frozenset({DataClass.SPECIFIC_PERSONAL, DataClass.PERSONAL, DataClass.STAFF, DataClass.AUDIT})


# Reading, writing and deleting data, and listing versions and uploads; bucket configuration stays with IAM, so
# the deployment role can still manage the bucket from outside the VPC without being able to read what is in it.
# s3:ListBucket is not among them: it is also the permission of HeadBucket, which Pulumi calls on every refresh
# and update of a bucket (S3 API Reference, HeadBucket: "you must have the s3:ListBucket permission"); denying
# it outside the endpoint would lock the deployer out. Object keys (listed with it) carry ids, never personal data.
DATA_ACTIONS = ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:ListBucketVersions",
                "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:RestoreObject",
                "s3:ReplicateObject", "s3:ReplicateDelete"]


def tls_only_statement(bucket_arn: Any) -> dict[str, Any]:
    """Deny every request without TLS (S3 User Guide, "Enforce encryption in transit"; CIS 2.1.1)."""
    return {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def tls_and_endpoint_policy(bucket_arn: Any, endpoint_ids: list[Any], exempt_role_arns: list[Any]) -> dict[str, Any]:
    """Deny plain HTTP, and deny data access that does not come through this VPC's endpoints unless it is made
    by an exempt role (the operator's break-glass role, S3 replication)."""
    objects = pulumi.Output.concat(bucket_arn, "/*")
    return {"Version": "2012-10-17", "Statement": [
        tls_only_statement(bucket_arn),
        {"Sid": "DenyOutsideTheVpcEndpoint", "Effect": "Deny", "Principal": "*", "Action": DATA_ACTIONS,
         "Resource": [bucket_arn, objects],
         "Condition": {"StringNotEquals": {"aws:SourceVpce": endpoint_ids},
                       "ArnNotEquals": {"aws:PrincipalArn": exempt_role_arns}}},
    ]}


# Every call that reads or changes items, or copies a table out (an export to S3 is an exfiltration path).
TABLE_DATA_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
                      "dynamodb:ConditionCheckItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                      "dynamodb:BatchWriteItem", "dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert",
                      "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete", "dynamodb:ExportTableToPointInTime",
                      "dynamodb:GetRecords", "dynamodb:GetShardIterator"]


def table_endpoint_statement(table_arn: Any, endpoint_ids: list[Any], exempt_role_arns: list[Any]) -> dict[str, Any]:
    """A table's guard: data calls only through this VPC's DynamoDB endpoint, as for buckets, so a leaked function
    credential is useless outside the VPC (DynamoDB Developer Guide, "Using resource-based policies",
    aws:SourceVpce). Management calls (DescribeTable on refresh) stay with IAM."""
    return {"Sid": "DenyOutsideTheVpcEndpoint", "Effect": "Deny", "Principal": "*", "Action": TABLE_DATA_ACTIONS,
            "Resource": [table_arn, pulumi.Output.concat(table_arn, "/*")],
            "Condition": {"StringNotEquals": {"aws:SourceVpce": endpoint_ids},
                          "ArnNotEquals": {"aws:PrincipalArn": exempt_role_arns}}}


def harden_bucket(name: str, bucket: aws.s3.Bucket, key_arn: pulumi.Input[str] | None,
                  child: pulumi.ResourceOptions, sse_algorithm: str = "aws:kms") -> aws.s3.BucketVersioning:
    """The side-by-side resources every bucket gets (pulumi-aws v7 splits them from the bucket); returns the
    versioning, which replication and Object Lock must wait for."""
    aws.s3.BucketPublicAccessBlock(f"{name}-pab", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                                   ignore_public_acls=True, restrict_public_buckets=True, opts=child)
    aws.s3.BucketOwnershipControls(f"{name}-ownership", bucket=bucket.id,
                                   rule={"object_ownership": "BucketOwnerEnforced"}, opts=child)
    versioning = aws.s3.BucketVersioning(f"{name}-versioning", bucket=bucket.id,
                                         versioning_configuration={"status": "Enabled"}, opts=child)
    default = {"sse_algorithm": sse_algorithm, **({"kms_master_key_id": key_arn} if key_arn is not None else {})}
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-sse", bucket=bucket.id,
        rules=[{"apply_server_side_encryption_by_default": default, "bucket_key_enabled": key_arn is not None}],
        opts=child)
    return versioning


def log_bucket(resource: str, physical: str, key_arn: pulumi.Input[str], access_logs: aws.s3.Bucket,
               settings: StackSettings, parent: pulumi.Resource) -> aws.s3.Bucket:
    """A bucket services deliver logs into (trail, Config): hardened under the logs key, retained on destroy,
    its own access logged under its physical name's suffix."""
    child = pulumi.ResourceOptions(parent=parent)
    bucket = aws.s3.Bucket(resource, bucket=physical, tags={**settings.tags, "data-classification": "logs"},
                           opts=pulumi.ResourceOptions(parent=parent, **KEEP))
    harden_bucket(resource, bucket, key_arn, child)
    aws.s3.BucketLogging(f"{resource}-logging", bucket=bucket.id, target_bucket=access_logs.id,
                         target_prefix=f"{physical.rsplit('-', 1)[-1]}/", opts=child)
    return bucket


class Storage(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, data_key_arn: pulumi.Input[str],
                 endpoint_ids: list[Any], exempt_role_arns: list[Any], table_endpoint_ids: list[Any] | None = None,
                 tables_with_own_policy: tuple[str, ...] = (), opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:storage:Storage", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.settings = settings
        self.versioning: dict[str, aws.s3.BucketVersioning] = {}
        self.tables: dict[str, aws.dynamodb.Table] = {
            spec.name: self._table(name, spec, data_key_arn) for spec in STORAGE.tables}
        # A table has one resource policy: a table whose policy another component writes (the audit log's, by
        # infra/workloads.py) gets the guard from `table_guards` and adds it there.
        self.table_guards: dict[str, dict[str, Any]] = {}
        # Documents name tables and buckets by the ARNs their physical names give (infra/arns.py), so the only
        # values unknown before anything exists are the endpoint ids: known from the second preview on, once the
        # foundation stage is deployed (docs/operators.md).
        account_id = aws.get_caller_identity_output().account_id
        for spec in STORAGE.tables:
            if table_endpoint_ids and spec.data_class in PERSONAL_DATA:
                table = self.tables[spec.name]
                arn = table_arn(settings.region, account_id, spec.physical_name(settings.name_prefix))
                self.table_guards[spec.name] = table_endpoint_statement(arn, table_endpoint_ids, exempt_role_arns)
                if spec.name not in tables_with_own_policy:
                    aws.dynamodb.ResourcePolicy(f"{name}-{spec.name}-policy", resource_arn=table.arn,
                                                policy=json_output({"Version": "2012-10-17",
                                                                    "Statement": [self.table_guards[spec.name]]}),
                                                opts=child)
        self.access_logs = aws.s3.Bucket(f"{name}-access-logs", bucket=f"{settings.name_prefix}-access-logs",
                                         tags={**settings.tags, "data-classification": "logs",
                                               "choju:role": "access-logs"},
                                         opts=pulumi.ResourceOptions(parent=self, **KEEP))
        # S3 server access logs can only be delivered to SSE-S3 buckets (AWS documentation); this bucket holds
        # request metadata, never personal data.
        harden_bucket(f"{name}-access-logs", self.access_logs, None, child, sse_algorithm="AES256")
        access_logs_arn = bucket_arn(f"{settings.name_prefix}-access-logs")
        aws.s3.BucketPolicy(f"{name}-access-logs-policy", bucket=self.access_logs.id, policy=json_output({
            "Version": "2012-10-17", "Statement": [
                tls_only_statement(access_logs_arn),
                {"Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
                 "Action": "s3:PutObject", "Resource": f"{access_logs_arn}/*",
                 "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}},
            ]}), opts=child)
        aws.s3.BucketLifecycleConfiguration(f"{name}-access-logs-lifecycle", bucket=self.access_logs.id, rules=[
            {"id": "expire-access-logs", "status": "Enabled", "filter": {},
             "expiration": {"days": settings.log_retention_days},
             "noncurrent_version_expiration": {"noncurrent_days": 30}}], opts=child)
        self.buckets: dict[str, aws.s3.Bucket] = {
            spec.name: self._bucket(name, spec, data_key_arn, endpoint_ids, exempt_role_arns)
            for spec in STORAGE.buckets}
        self.register_outputs({"tables": {k: v.name for k, v in self.tables.items()},
                               "buckets": {k: v.bucket for k, v in self.buckets.items()}})

    def _table(self, name: str, spec: TableSpec, key_arn: pulumi.Input[str]) -> aws.dynamodb.Table:
        keys = {spec.partition_key, *([spec.sort_key] if spec.sort_key else [])}
        for index in spec.indexes:
            keys |= {index.partition_key, *([index.sort_key] if index.sort_key else [])}
        return aws.dynamodb.Table(
            f"{name}-{spec.name}", name=spec.physical_name(self.settings.name_prefix), billing_mode="PAY_PER_REQUEST",
            hash_key=spec.partition_key[0], range_key=spec.sort_key[0] if spec.sort_key else None,
            attributes=[{"name": n, "type": t} for n, t in sorted(keys)],
            global_secondary_indexes=[{"name": i.name, "hash_key": i.partition_key[0],
                                       "range_key": i.sort_key[0] if i.sort_key else None,
                                       "projection_type": i.projection} for i in spec.indexes],
            ttl={"attribute_name": spec.ttl_attribute, "enabled": True} if spec.ttl_attribute else None,
            point_in_time_recovery={"enabled": True, "recovery_period_in_days": PITR_RECOVERY_DAYS},
            server_side_encryption={"enabled": True, "kms_key_arn": key_arn},
            deletion_protection_enabled=True,
            tags={**self.settings.tags, "data-classification": spec.data_class.value, "retention": spec.retention},
            opts=pulumi.ResourceOptions(parent=self, **KEEP))

    def _bucket(self, name: str, spec: BucketSpec, key_arn: pulumi.Input[str], endpoint_ids: list[Any],
                exempt_role_arns: list[Any]) -> aws.s3.Bucket:
        child = pulumi.ResourceOptions(parent=self)
        resource = f"{name}-{spec.name}"
        bucket = aws.s3.Bucket(resource, bucket=spec.physical_name(self.settings.name_prefix),
                               object_lock_enabled=spec.object_lock or None,
                               tags={**self.settings.tags, "data-classification": spec.data_class.value,
                                     "retention": spec.retention},
                               opts=pulumi.ResourceOptions(parent=self, **KEEP))
        self.versioning[spec.name] = harden_bucket(resource, bucket, key_arn, child)
        aws.s3.BucketPolicy(f"{resource}-policy", bucket=bucket.id, policy=json_output(
            tls_and_endpoint_policy(bucket_arn(spec.physical_name(self.settings.name_prefix)), endpoint_ids,
                                    exempt_role_arns)), opts=child)
        aws.s3.BucketLogging(f"{resource}-logging", bucket=bucket.id, target_bucket=self.access_logs.id,
                             target_prefix=f"{spec.name}/", opts=child)
        days = RETENTION_CLASSES[spec.retention].days
        rule: dict[str, Any] = {"id": f"retention-{spec.retention}", "status": "Enabled", "filter": {},
                                "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
                                "noncurrent_version_expiration": {"noncurrent_days": 30}}
        if days and not spec.object_lock:
            rule["expiration"] = {"days": days}
        aws.s3.BucketLifecycleConfiguration(f"{resource}-lifecycle", bucket=bucket.id, rules=[rule], opts=child)
        if spec.object_lock:
            aws.s3.BucketObjectLockConfiguration(
                f"{resource}-object-lock", bucket=bucket.id, object_lock_enabled="Enabled",
                rule={"default_retention": {"mode": "COMPLIANCE", "days": self.settings.audit_lock_days}},
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.versioning[spec.name]]))
        return bucket

    def table_arns(self, names: tuple[str, ...]) -> list[pulumi.Output[str]]:
        return [self.tables[n].arn for n in names]
