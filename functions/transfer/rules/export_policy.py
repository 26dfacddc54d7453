"""What each counterparty may receive, per purpose (PIA-III-2-b, III-3-b).

Every outbound file or response goes through `filter_rows`: fields come from the allow-list entry for
(counterparty, purpose); the My Number passes only where the entry allows it; people whose use is suspended
are left out and named in the report (PIA-IV-1). An unknown counterparty or purpose is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from shared.domain.counterparties import KOUIKI_RENGO
from shared.domain.errors import Invalid


@dataclass(frozen=True)
class ExportRule:
    counterparty: str
    purpose: str
    fields: tuple[str, ...]
    my_number: bool
    basis: str


EXPORT_RULES: dict[tuple[str, str], ExportRule] = {
    (r.counterparty, r.purpose): r
    for r in (
        ExportRule(KOUIKI_RENGO, "eligibility",
                   ("person_id", "insured_number", "household_id", "name", "name_kana", "birth_date", "sex",
                    "address", "postal_code", "resident_status"),
                   my_number=True,
                   basis="PIA-II-5-a: 届出 and 住基 changes to the 広域連合 over the dedicated line"),
        ExportRule("shiminzei-ka", "annual-benefit-premium",
                   ("person_id", "insured_number", "name", "birth_date", "address"),
                   my_number=False,
                   basis="PIA-II-5-b; PIA-III-2-b: 庁内連携 files carry no 個人番号"),
        ExportRule("chiiki-seisaku-ka", "resident-register-reconciliation",
                   ("person_id", "name", "name_kana", "birth_date", "address", "resident_status"),
                   my_number=False,
                   basis="PIA-II-3-b 住基 vs 届書; PIA-III-2-b"),
    )
}


class ExportRefused(Invalid):
    code = "export-not-allowed"
    title = "Export not allowed"


@dataclass
class ExportResult:
    rule: ExportRule
    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped_suspended: list[str] = field(default_factory=list)


def rule_for(counterparty: str, purpose: str) -> ExportRule:
    rule = EXPORT_RULES.get((counterparty, purpose))
    if rule is None:
        raise ExportRefused(f"no approved export of {purpose!r} to {counterparty!r} (PIA-III-3-b)")
    return rule


def narrowed(rule: ExportRule, approved: Collection[str]) -> ExportRule:
    """The rule as a データ使用承認 allows it: only the fields both name, the My Number only when the approval names
    it (PIA-III-5-a: every export passes the export filter of its approval)."""
    return replace(rule, fields=tuple(f for f in rule.fields if f in approved),
                   my_number=rule.my_number and "my_number" in approved)


def filter_rows(records: Iterable[dict[str, Any]], counterparty: str, purpose: str,
                decrypt_my_number: Callable[[str], str], approved: Collection[str] | None = None) -> ExportResult:
    rule = rule_for(counterparty, purpose)
    if approved is not None:
        rule = narrowed(rule, approved)
    result = ExportResult(rule)
    for record in records:
        if record.get("suspended"):
            result.skipped_suspended.append(record["person_id"])
            continue
        row = {name: record.get(name) for name in rule.fields}
        if rule.my_number and record.get("mynumber_enc"):
            row["my_number"] = decrypt_my_number(record["mynumber_enc"])
        result.rows.append(row)
    return result
