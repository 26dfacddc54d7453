"""Policy documents, built as plain dicts so tests and the policy pack read them as they are."""

from __future__ import annotations

import json
from typing import Any

import pulumi

from shared.domain.regions import ALLOWED_REGIONS

# Services whose APIs are global (served from us-east-1) and must stay usable under a region guardrail.
GLOBAL_SERVICE_ACTIONS = (
    "iam:*", "sts:*", "organizations:*", "route53:*", "cloudfront:*", "support:*", "budgets:*", "health:*",
    "ce:*", "trustedadvisor:*", "account:*", "waf:*", "globalaccelerator:*", "kms:ListAliases",
)


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


def json_output(document: Any) -> pulumi.Output[str]:
    """A policy document that may contain Outputs, as a JSON string Output."""
    return pulumi.Output.from_input(document).apply(to_json)


def region_boundary() -> dict[str, Any]:
    """Permission boundary: allow what the role's own policy allows, deny anything outside Japan."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AllowWithinRolePolicies", "Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "DenyOutsideJapan", "Effect": "Deny", "NotAction": list(GLOBAL_SERVICE_ACTIONS), "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:RequestedRegion": sorted(ALLOWED_REGIONS)}}},
        ],
    }


def region_scp() -> dict[str, Any]:
    """The organisation guardrail for the administrator to attach (the workload account cannot)."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyAllOutsideJapan",
            "Effect": "Deny",
            "NotAction": list(GLOBAL_SERVICE_ACTIONS),
            "Resource": "*",
            "Condition": {
                "StringNotEquals": {"aws:RequestedRegion": sorted(ALLOWED_REGIONS)},
                "ArnNotLike": {"aws:PrincipalARN": ["arn:aws:iam::*:role/OrganizationAccountAccessRole",
                                                     "arn:aws:iam::*:role/AWSControlTowerExecution"]},
            },
        }],
    }


def assume_role(service: str, account_id: Any = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if account_id is not None:
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": account_id}}
    return {"Version": "2012-10-17", "Statement": [statement]}
