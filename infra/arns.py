"""ARNs computed from names the program chooses, instead of read from the created resource.

Why: a policy document built from `bucket.arn` or `table.arn` is unknown during `pulumi preview` of a first
deployment, so no control can read it then. The ARN of a named resource follows from its name (AWS General
Reference, "Amazon Resource Names"), so documents built from these helpers are known at preview.
"""

from __future__ import annotations

from typing import Any

import pulumi

__all__ = ["bucket_arn", "key_use_statement", "log_group_arn", "parameter_arn", "queue_arn", "regional_arn",
           "role_arn", "table_arn", "topic_arn", "trail_arn"]


def regional_arn(service: str, region: str, account_id: Any, resource: str) -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:", service, ":", region, ":", account_id, ":", resource)


def bucket_arn(bucket: str) -> str:
    return f"arn:aws:s3:::{bucket}"


def role_arn(account_id: Any, name: str) -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:iam::", account_id, ":role/", name)


def table_arn(region: str, account_id: Any, name: str) -> pulumi.Output[str]:
    return regional_arn("dynamodb", region, account_id, f"table/{name}")


def queue_arn(region: str, account_id: Any, name: str) -> pulumi.Output[str]:
    return regional_arn("sqs", region, account_id, name)


def topic_arn(region: str, account_id: Any, name: str) -> pulumi.Output[str]:
    return regional_arn("sns", region, account_id, name)


def log_group_arn(region: str, account_id: Any, name: str) -> pulumi.Output[str]:
    return regional_arn("logs", region, account_id, f"log-group:{name}")


def trail_arn(region: str, account_id: Any, name: str) -> pulumi.Output[str]:
    return regional_arn("cloudtrail", region, account_id, f"trail/{name}")


def parameter_arn(region: str, account_id: Any, name: str) -> pulumi.Output[str]:
    """`name` starts with "/" (hierarchical parameters); the ARN has no second slash."""
    return regional_arn("ssm", region, account_id, f"parameter{name}")


def key_use_statement(sid: str, actions: list[str], region: str, account_id: Any, aliases: list[str]) -> dict[str, Any]:
    """Use of customer keys granted by alias, not by key ARN: a key ARN carries the id AWS generates on creation,
    so a policy naming it is unknown at the first preview. `kms:ResourceAliases` (AWS KMS Developer Guide,
    "ABAC for AWS KMS": a multivalued key, so `ForAnyValue:`) holds the aliases of the key a request uses; aliases
    live in the key's own account and region, so the statement covers exactly this account's keys in `region`
    that carry one of `aliases`. Each key's policy still decides who may use it (the My Number key's names its
    workflow roles)."""
    return {"Sid": sid, "Effect": "Allow", "Action": actions,
            "Resource": regional_arn("kms", region, account_id, "key/*"),
            "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": sorted(aliases)}}}
