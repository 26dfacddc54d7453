"""Create every declared table, bucket, queue and key (design rule 1) in an AWS endpoint: moto locally, in tests.

Production storage comes from the Pulumi program, which reads the same declaration. Idempotent: running it
against storage that already exists changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from shared.runtime import Runtime
from shared.storage import RETENTION_CLASSES, STORAGE, BucketSpec, KeySpec, QueueSpec, TableSpec


def bootstrap_storage(runtime: Runtime) -> None:
    for key in STORAGE.keys:
        ensure_key(runtime, key)
    for table in STORAGE.tables:
        ensure_table(runtime, table)
    for bucket in STORAGE.buckets:
        ensure_bucket(runtime, bucket)
    for queue in STORAGE.queues:
        ensure_queue(runtime, queue)


DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum: time to read the reason and redrive


def ensure_queue(runtime: Runtime, spec: QueueSpec) -> None:
    """The fan-out queue and its dead-letter queue, encrypted, with the redrive the Pulumi program declares."""
    sqs = runtime.clients.client("sqs")
    prefix = runtime.settings.name_prefix
    encrypted = {"KmsMasterKeyId": runtime.key_alias("data"), "KmsDataKeyReusePeriodSeconds": "300"}
    dead = sqs.create_queue(QueueName=spec.dead_letter_name(prefix), Attributes={
        **encrypted, "MessageRetentionPeriod": str(DEAD_LETTER_RETENTION_SECONDS)})["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.create_queue(QueueName=spec.physical_name(prefix), Attributes={
        **encrypted, "VisibilityTimeout": str(spec.visibility_timeout_seconds),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_arn,
                                     "maxReceiveCount": spec.redrive_receive_count})},
        tags={"data-classification": spec.data_class.value})


def ensure_key(runtime: Runtime, spec: KeySpec) -> str:
    kms = runtime.clients.client("kms")
    alias = spec.alias(runtime.settings.name_prefix)
    for page in kms.get_paginator("list_aliases").paginate():
        for existing in page["Aliases"]:
            if existing["AliasName"] == alias and existing.get("TargetKeyId"):
                return str(existing["TargetKeyId"])
    key_id = kms.create_key(Description=spec.purpose, Tags=[{"TagKey": "choju:key", "TagValue": spec.name}])[
        "KeyMetadata"
    ]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id)
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    return str(key_id)


def _attribute_definitions(spec: TableSpec) -> list[dict[str, str]]:
    keys = {spec.partition_key}
    if spec.sort_key:
        keys.add(spec.sort_key)
    for index in spec.indexes:
        keys.add(index.partition_key)
        if index.sort_key:
            keys.add(index.sort_key)
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in sorted(keys)]


def _key_schema(partition: tuple[str, str], sort: tuple[str, str] | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": partition[0], "KeyType": "HASH"}]
    if sort:
        schema.append({"AttributeName": sort[0], "KeyType": "RANGE"})
    return schema


def ensure_table(runtime: Runtime, spec: TableSpec) -> None:
    db = runtime.clients.client("dynamodb")
    name = spec.physical_name(runtime.settings.name_prefix)
    if name in _all_tables(db):
        return
    request: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": _attribute_definitions(spec),
        "KeySchema": _key_schema(spec.partition_key, spec.sort_key),
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": runtime.key_alias("data")},
        "DeletionProtectionEnabled": True,
        "Tags": [{"Key": "data-classification", "Value": spec.data_class.value}],
    }
    if spec.indexes:
        request["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.partition_key, index.sort_key),
                "Projection": {"ProjectionType": index.projection},
            }
            for index in spec.indexes
        ]
    db.create_table(**request)
    if spec.ttl_attribute:
        db.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute}
        )
    db.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )


def _all_tables(db: Any) -> set[str]:
    return {name for page in db.get_paginator("list_tables").paginate() for name in page["TableNames"]}


def ensure_bucket(runtime: Runtime, spec: BucketSpec) -> None:
    s3 = runtime.clients.client("s3")
    name = spec.physical_name(runtime.settings.name_prefix)
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if name in existing:
        return
    s3.create_bucket(
        Bucket=name,
        CreateBucketConfiguration={"LocationConstraint": runtime.settings.region},
        ObjectLockEnabledForBucket=spec.object_lock,
    )
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": runtime.key_alias("data"),
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    if spec.versioning or spec.object_lock:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    if spec.object_lock:
        days = RETENTION_CLASSES[spec.retention].days or 1
        s3.put_object_lock_configuration(
            Bucket=name,
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": days}},
            },
        )
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "data-classification",
                                                            "Value": spec.data_class.value}]})
