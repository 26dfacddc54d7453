"""What each role may do to the audit log, and the table's own policy (design rule 7; PIA-III-2-c, III-3-f, III-8).

IAM cannot require a ConditionExpression: no condition key exposes it, and PutItem may always replace a whole
item (DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained access control"). So "put new events
only" is enforced as far as IAM reaches, and the rest is detected:
- every function: PutItem alone (no UpdateItem, DeleteItem, BatchWriteItem, PartiQL), only into event partitions
  (`dynamodb:LeadingKeys` "<day>#<shard>", never the chain's head), only with event attributes
  (`dynamodb:Attributes`: never `hash`, `prev_hash`, `sealed_at`, so it cannot forge a sealed record), and never
  reading an old item back (`dynamodb:ReturnValues` NONE). A put that replaced a sealed event would remove its
  seq and hash, which `verify` reports as a deleted record.
- the sealer: UpdateItem of the seal and head attributes only (`dynamodb:Attributes`), never reading an old item
  back; no PutItem, no DeleteItem; digests: PutObject with retention, never delete.
- the table's resource policy denies deleting items to every principal, and updating them to all but the sealer.
IAM requires `dynamodb:Attributes` lists to name every key attribute of the table and its indexes, so `target`,
`seq` and `chain` appear in both lists; changing them breaks a sealed record's hash.
"""

from __future__ import annotations

from typing import Any

import pulumi

from shared.domain.audit_events import APPEND_ATTRIBUTES, EVENT_PARTITION_PATTERN, SEAL_UPDATE_ATTRIBUTES

__all__ = ["DENIED_TO_ALL", "append_statement", "read_statement", "resource_policy", "seal_statements"]

DENIED_TO_ALL = ["dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLDelete",
                 "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate"]


def _with_indexes(table_arn: Any) -> list[Any]:
    return [table_arn, pulumi.Output.concat(table_arn, "/index/*")]


def append_statement(table_arn: Any) -> dict[str, Any]:
    """Every function: put a new event, nothing else."""
    return {"Sid": "AppendAuditEvents", "Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": table_arn,
            "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [EVENT_PARTITION_PATTERN]},
                          "ForAllValues:StringEquals": {"dynamodb:Attributes": list(APPEND_ATTRIBUTES)},
                          "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}}}


def read_statement(table_arn: Any) -> dict[str, Any]:
    """Functions that read the log (auditors' routes, disclosures): through keys and indexes, never a scan."""
    return {"Sid": "ReadAuditLog", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
            "Resource": _with_indexes(table_arn)}


def seal_statements(table_arn: Any, bucket_arn: Any) -> list[dict[str, Any]]:
    """The sealer: find and re-read what is pending, update the seal and head attributes, anchor digests."""
    return [
        {"Sid": "ReadAuditLog", "Effect": "Allow",
         "Action": ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
         "Resource": _with_indexes(table_arn)},
        {"Sid": "SealAuditEvents", "Effect": "Allow", "Action": ["dynamodb:UpdateItem"], "Resource": table_arn,
         "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": list(SEAL_UPDATE_ATTRIBUTES)},
                       "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}}},
        {"Sid": "AnchorAuditDigests", "Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectRetention"],
         "Resource": pulumi.Output.concat(bucket_arn, "/digests/*")},
    ]


def resource_policy(table_arn: Any, sealer_role_arn: Any) -> dict[str, Any]:
    """The audit table's own policy: no one deletes an event, no one but the sealer updates one."""
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "NoOneDeletesAuditEvents", "Effect": "Deny", "Principal": "*", "Action": DENIED_TO_ALL,
         "Resource": table_arn},
        {"Sid": "OnlyTheSealerUpdates", "Effect": "Deny", "Principal": "*", "Action": ["dynamodb:UpdateItem"],
         "Resource": table_arn, "Condition": {"ArnNotEquals": {"aws:PrincipalArn": sealer_role_arn}}},
    ]}
