"""The audit log is append-only (design rule 7; PIA-III-2-c, III-3-f, III-8): the rule both checks apply — the
pre-deployment one to the program's policies, the auditor to a live account's — on plain policy statements.

A policy statement that allows writing the audit table passes only if it is one of:
- PutItem restricted to event partitions (`dynamodb:LeadingKeys`), to event attributes (`dynamodb:Attributes`,
  never `hash`, `prev_hash` or `sealed_at`) and to ReturnValues NONE: appending (IAM cannot require the
  put's own condition, see infra/audit_log.py);
- UpdateItem restricted to the seal attributes: sealing, which one policy alone may grant.
DeleteItem, BatchWriteItem and PartiQL writes are never allowed. The table's resource policy must deny deletes
to every principal and updates to every principal but one.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any

from policies.model import as_list
from shared.domain.audit_events import APPEND_ATTRIBUTES, EVENT_PARTITION_PATTERN, SEAL_UPDATE_ATTRIBUTES

__all__ = ["AuditGrant", "judge_statements", "judge_table_policy", "table_arn_from"]

WRITES = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
          "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete")
NEVER = ("dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate",
         "dynamodb:PartiQLDelete")
MUST_DENY_TO_ALL = ("dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLDelete")


class AuditGrant:
    """What one policy lets its role do to the audit table: findings, and whether it may seal."""

    def __init__(self) -> None:
        self.findings: list[str] = []
        self.seals = False


def _matches(pattern: str, value: str) -> bool:
    return fnmatchcase(value.lower(), str(pattern).lower())


def _covers(resources: Any, table_arn: str) -> bool:
    return any(_matches(r, table_arn) for r in as_list(resources))


def _granted(statement: dict[str, Any], candidates: Iterable[str]) -> list[str]:
    return [c for c in candidates if any(_matches(a, c) for a in as_list(statement.get("Action")))]


def _values(statement: dict[str, Any], operators: tuple[str, ...], key: str) -> list[str] | None:
    for operator in operators:
        found = (statement.get("Condition") or {}).get(operator, {}).get(key)
        if found is not None:
            return [str(v) for v in as_list(found)]
    return None


def _append_findings(statement: dict[str, Any], sid: str) -> list[str]:
    out = []
    partitions = _values(statement, ("ForAllValues:StringLike", "ForAllValues:StringEquals"), "dynamodb:LeadingKeys")
    if not partitions or any(p != EVENT_PARTITION_PATTERN for p in partitions):
        out.append(f"statement {sid} puts audit items outside the event partitions ({EVENT_PARTITION_PATTERN})")
    attributes = _values(statement, ("ForAllValues:StringEquals",), "dynamodb:Attributes")
    if attributes is None or not set(attributes) <= set(APPEND_ATTRIBUTES):
        out.append(f"statement {sid} may put audit items with attributes other than an event's (a forged seal)")
    if _values(statement, ("StringEqualsIfExists", "StringEquals"), "dynamodb:ReturnValues") != ["NONE"]:
        out.append(f"statement {sid} may read an overwritten audit item back (ReturnValues is not NONE)")
    return out


def judge_statements(statements: Iterable[dict[str, Any]], table_arn: str) -> AuditGrant:
    """The Allow statements of one policy, judged for what they let their role write to the audit table."""
    grant = AuditGrant()
    for statement in statements:
        if statement.get("Effect") != "Allow" or not _covers(statement.get("Resource"), table_arn):
            continue
        sid = statement.get("Sid", "?")
        actions = _granted(statement, WRITES)
        never = [a for a in actions if a in NEVER]
        if never:
            grant.findings.append(f"statement {sid} lets the role delete or rewrite audit events ({', '.join(never)})")
        if "dynamodb:UpdateItem" in actions:
            attributes = _values(statement, ("ForAllValues:StringEquals",), "dynamodb:Attributes")
            if attributes is None or not set(attributes) <= set(SEAL_UPDATE_ATTRIBUTES):
                grant.findings.append(f"statement {sid} lets the role update audit events beyond their seal")
            else:
                grant.seals = True
        if "dynamodb:PutItem" in actions:
            grant.findings += _append_findings(statement, sid)
    return grant


def judge_table_policy(statements: Iterable[dict[str, Any]] | None) -> list[str]:
    """The audit table's resource policy: deletes denied to all, updates to all but one principal."""
    listed = list(statements or [])
    everyone = [s for s in listed if s.get("Effect") == "Deny" and s.get("Principal") in ("*", {"AWS": "*"})]
    out = []
    if not any(set(MUST_DENY_TO_ALL) <= set(_granted(s, MUST_DENY_TO_ALL)) and not s.get("Condition")
               for s in everyone):
        out.append("the audit table's policy does not deny deleting events to every principal")
    if not any("dynamodb:UpdateItem" in _granted(s, ("dynamodb:UpdateItem",)) and any(
            "aws:PrincipalArn" in (s.get("Condition") or {}).get(op, {}) for op in ("ArnNotEquals",
                                                                                    "StringNotEquals"))
               for s in everyone):
        out.append("the audit table's policy does not deny updates to every principal but the sealer")
    return out


def table_arn_from(texts: Iterable[str], table_name: str) -> str:
    """The table's ARN as the policies spell it (any of `texts` that names it), or one in its shape."""
    suffix = f":table/{table_name}"
    for text in texts:
        if isinstance(text, str) and text.endswith(suffix) and "*" not in text:
            return text
    return f"arn:aws:dynamodb:ap-northeast-1:000000000000{suffix}"
