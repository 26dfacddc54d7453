"""Decide an AWS request against policy documents, as IAM evaluates them (the part of the policy language choju
and its reviewers write).

Why: mocks accept any document; AWS does not. A key policy CloudTrail cannot use, a bucket policy that locks
the deployer out, or an exemption that lets every role around the endpoint-only rule all look fine as JSON.
Tests and controls ask concrete questions instead — "may cloudtrail.amazonaws.com call kms:DescribeKey on this
key?", "is GetObject from outside the endpoint denied for a role that is not exempt?" — and this module
answers them with IAM's documented rules (IAM User Guide, "Policy evaluation logic" and "Condition
operators"):

- an explicit Deny wins; otherwise an Allow is needed; otherwise the request is implicitly denied;
- Action/NotAction and Resource/NotResource match with `*` and `?`, actions case-insensitively;
- a condition key missing from the request makes a positive operator false and a negated one (`...Not...`)
  true; `...IfExists` is true when the key is missing; `Null` tests presence; several values of a positive
  operator are OR-ed, of a negated operator AND-ed; `ForAnyValue:`/`ForAllValues:` qualify multi-valued keys;
- a principal `arn:aws:iam::<account>:root` (or the bare account id) delegates to the account: every
  principal of that account whose IAM policies allow the call. Where a question is "could anyone in the
  account do this", that delegation counts as granted (the worst case, an IAM administrator).
- a request on a KMS key (`key_request`) carries `kms:ResourceAliases`, the aliases of that key, as AWS KMS sets it
  for operations on a key (AWS KMS Developer Guide, "kms:ResourceAliases"): a multivalued key, so a policy tests
  it with `ForAnyValue:`/`ForAllValues:`; aliases belong to the key's account and region, so an alias condition
  never matches a key elsewhere; operations that name no key (CreateKey, ListAliases, GenerateRandom) have none.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ALLOW", "DENY", "IMPLICIT", "Request", "decide", "grants", "key_request", "statement_applies"]

ALLOW, DENY, IMPLICIT = "allow", "deny", "implicit-deny"
NEGATED = ("StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike",
           "NotIpAddress", "NumericNotEquals", "DateNotEquals")


@dataclass(frozen=True)
class Request:
    """One call: who makes it, what it does to which resource, and its request context."""

    action: str
    resource: str = "*"
    principal: str = ""  # an IAM ARN (role, user, root) or a service principal such as "cloudtrail.amazonaws.com"
    context: Mapping[str, Any] = field(default_factory=dict)  # condition keys -> a value or a list of values

    @property
    def is_service(self) -> bool:
        return self.principal.endswith(".amazonaws.com")

    @property
    def account(self) -> str | None:
        parts = self.principal.split(":")
        return parts[4] if len(parts) > 4 and parts[0] == "arn" else None

    def keys(self) -> dict[str, Any]:
        """The request context, with the principal keys AWS sets itself (aws:PrincipalArn, aws:PrincipalAccount,
        aws:PrincipalServiceName), lower-cased: condition keys are case-insensitive."""
        out: dict[str, Any] = {}
        if self.is_service:
            out["aws:principalservicename"] = self.principal
        elif self.principal:
            out["aws:principalarn"] = self.principal
            if self.account:
                out["aws:principalaccount"] = self.account
        out.update({k.lower(): v for k, v in self.context.items()})
        return out


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _like(pattern: str, value: str, case: bool = True) -> bool:
    """IAM's wildcard match: `*` any run of characters, `?` one character, nothing else special."""
    if not case:
        pattern, value = pattern.lower(), value.lower()
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


def _principal_matches(principal: Any, request: Request) -> tuple[bool, bool]:
    """(matches, through account delegation)."""
    if principal == "*":
        return True, False
    if not isinstance(principal, Mapping):
        return False, False
    if request.is_service:
        return any(_like(str(s), request.principal) for s in _list(principal.get("Service"))), False
    for entry in _list(principal.get("AWS")):
        entry = str(entry)
        if entry == "*":
            return True, False
        account = entry if entry.isdigit() else (entry.split(":")[4] if entry.endswith(":root") else None)
        if account is not None:
            if request.account == account:
                return True, request.principal != f"arn:aws:iam::{account}:root"
            continue
        if _like(entry, request.principal):
            return True, False
    return False, False


def _condition_holds(condition: Mapping[str, Any], keys: Mapping[str, Any]) -> bool:
    for operator, block in condition.items():
        for key, expected in block.items():
            if not _operator_holds(operator, key.lower(), [str(v) for v in _list(expected)], keys):
                return False
    return True


def _operator_holds(operator: str, key: str, expected: list[str], keys: Mapping[str, Any]) -> bool:
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    present = key in keys and keys[key] is not None
    if base == "Null":
        return (not present) == (expected[0].lower() == "true")
    if not present:
        if qualifier == "ForAllValues":
            return True
        return if_exists or base in NEGATED
    actual = [str(v).lower() if isinstance(v, bool) else str(v) for v in _list(keys[key])]
    if qualifier == "ForAnyValue":
        return any(_single(base, value, expected) for value in actual)
    if qualifier == "ForAllValues":
        return all(_single(base, value, expected) for value in actual)
    return _single(base, actual[0], expected) if actual else base in NEGATED


def _single(base: str, value: str, expected: list[str]) -> bool:
    negated = base in NEGATED
    positive = {"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
                "StringNotLike": "StringLike", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike",
                "NotIpAddress": "IpAddress", "NumericNotEquals": "NumericEquals",
                "DateNotEquals": "DateEquals"}.get(base, base)
    matched = any(_matches(positive, value, e) for e in expected)
    return not matched if negated else matched


def _matches(operator: str, value: str, expected: str) -> bool:
    if operator == "StringEquals":
        return value == expected
    if operator == "StringEqualsIgnoreCase":
        return value.lower() == expected.lower()
    if operator in ("StringLike", "ArnLike", "ArnEquals"):  # ArnEquals and ArnLike both take wildcards
        return _like(expected, value)
    if operator == "Bool":
        return value.lower() == expected.lower()
    if operator == "IpAddress":
        try:
            return ipaddress.ip_address(value) in ipaddress.ip_network(expected, strict=False)
        except ValueError:
            return False
    if operator == "NumericEquals":
        return float(value) == float(expected)
    if operator == "NumericLessThan":
        return float(value) < float(expected)
    if operator == "NumericLessThanEquals":
        return float(value) <= float(expected)
    if operator == "NumericGreaterThan":
        return float(value) > float(expected)
    if operator == "NumericGreaterThanEquals":
        return float(value) >= float(expected)
    raise ValueError(f"condition operator {operator} is not modelled; add it before relying on the answer")


def statement_applies(statement: Mapping[str, Any], request: Request,
                      resource_policy: bool = True) -> tuple[bool, bool]:
    """Whether the statement covers the request: (applies, only through account delegation)."""
    delegated = False
    if resource_policy:
        if "Principal" in statement:
            matches, delegated = _principal_matches(statement["Principal"], request)
            if not matches:
                return False, False
        elif "NotPrincipal" in statement:
            matches, _ = _principal_matches(statement["NotPrincipal"], request)
            if matches:
                return False, False
        else:
            return False, False
    if "Action" in statement:
        if not any(_like(str(a), request.action, case=False) for a in _list(statement["Action"])):
            return False, False
    elif any(_like(str(a), request.action, case=False) for a in _list(statement.get("NotAction"))):
        return False, False
    if "Resource" in statement:
        if not any(_like(str(r), request.resource) for r in _list(statement["Resource"])):
            return False, False
    elif "NotResource" in statement and any(_like(str(r), request.resource) for r in _list(statement["NotResource"])):
        return False, False
    if not _condition_holds(statement.get("Condition") or {}, request.keys()):
        return False, False
    return True, delegated


def decide(documents: Iterable[Mapping[str, Any] | None], request: Request, *, resource_policy: bool = True,
           delegation_grants: bool = True) -> str:
    """ALLOW, DENY (explicit) or IMPLICIT for `request` under `documents` (all of one kind: resource policies,
    or identity policies with `resource_policy=False`). With `delegation_grants`, an Allow to the account root
    counts as granted to the requesting principal of that account (its IAM policies may allow anything)."""
    allowed = False
    for document in documents:
        for statement in _list((document or {}).get("Statement")):
            applies, delegated = statement_applies(statement, request, resource_policy)
            if not applies:
                continue
            if statement.get("Effect") == "Deny":
                return DENY
            if statement.get("Effect") == "Allow" and (delegation_grants or not delegated):
                allowed = True
    return ALLOW if allowed else IMPLICIT


def grants(documents: Iterable[Mapping[str, Any] | None], request: Request, **options: Any) -> bool:
    return decide(documents, request, **options) == ALLOW


# KMS operations that act on no key, so their requests carry no kms:ResourceAliases.
KEYLESS_KMS_ACTIONS = frozenset(a.lower() for a in (
    "kms:CreateKey", "kms:ListAliases", "kms:ListKeys", "kms:GenerateRandom", "kms:CreateCustomKeyStore",
    "kms:DescribeCustomKeyStores", "kms:ListRetirableGrants", "kms:ConnectCustomKeyStore",
    "kms:DisconnectCustomKeyStore", "kms:DeleteCustomKeyStore", "kms:UpdateCustomKeyStore"))


def key_request(action: str, key_arn: str, principal: str, aliases: Iterable[str] = (),
                context: Mapping[str, Any] | None = None) -> Request:
    """A call on the KMS key `key_arn` whose aliases are `aliases` (names such as "alias/choju-dev-mynumber"), as
    AWS KMS evaluates it: the request context holds kms:ResourceAliases, the key's aliases (none: the key has no
    alias, and every positive `ForAnyValue:` condition on it fails)."""
    keys: dict[str, Any] = dict(context or {})
    if action.lower() not in KEYLESS_KMS_ACTIONS:
        keys["kms:ResourceAliases"] = [str(a) for a in aliases] or None
    return Request(action, key_arn, principal, keys)
