"""What both assessment imports share (design rule 9; PIA-III-2-d, III-2-i): a registered sender, one
application per file (by content hash), validation of every record before anything is applied, a reject report
in the exchange bucket (row, field, reason; never a value), and one audit event per file.

A file with rejects is applied for its valid records only when the sender's registration allows it;
otherwise nothing of it is applied and it is `refused`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from shared.adapters.audit_log import AuditEvent
from shared.adapters.objects import put_reject_report
from shared.domain.counterparties import Counterparty, registered
from shared.domain.fixed_width import Reject
from shared.runtime import Runtime

__all__ = ["ImportReport", "Validated", "run_import"]


@dataclass
class ImportReport:
    kind: str
    counterparty: str
    file_hash: str
    status: str  # "applied" | "partially-applied" | "refused" | "already-applied"
    fiscal_year: int | None = None
    rows: int = 0
    applied: int = 0
    rejected: int = 0
    reject_report_key: str | None = None
    rejects: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Validated:
    """What a kind of file hands back after reading and checking every record (nothing applied yet)."""

    fiscal_year: int
    rows: list[Any]
    rejects: list[Reject]
    count: int


def run_import(rt: Runtime, *, kind: str, counterparty_code: str, content: bytes, staff_id: str, purpose: str,
               validate: Callable[[Counterparty, bytes], Validated],
               apply: Callable[[int, list[Any], str], dict[str, int]]) -> ImportReport:
    """Validate then apply; UnknownCounterparty or FileRefused are raised before anything is touched."""
    counterparty = registered(counterparty_code, kind)
    file_hash = hashlib.sha256(content).hexdigest()
    files = rt.records("inbound-files")
    seen = files.get(file_hash)
    if seen and seen.get("status") in ("applied", "partially-applied", "refused"):
        return ImportReport(kind, counterparty.code, file_hash, "already-applied", seen.get("fiscal_year"),
                            int(seen.get("rows", 0)), int(seen.get("applied", 0)), int(seen.get("rejected", 0)))
    checked = validate(counterparty, content)
    report = ImportReport(kind, counterparty.code, file_hash, "applied", checked.fiscal_year, checked.count,
                          rejected=len(checked.rejects), rejects=[asdict(r) for r in checked.rejects])
    if checked.rejects:
        report.reject_report_key = _reject_report(rt, counterparty.code, file_hash, checked.rejects)
        report.status = "partially-applied" if counterparty.allow_partial else "refused"
    if report.status != "refused":
        report.summary = apply(checked.fiscal_year, checked.rows, file_hash)
        report.applied = len(checked.rows)
    files.put({"file_hash": file_hash, "kind": kind, "counterparty": counterparty.code, "status": report.status,
               "fiscal_year": checked.fiscal_year, "rows": report.rows, "applied": report.applied,
               "rejected": report.rejected, "reject_report_key": report.reject_report_key,
               "updated_at": rt.clock().isoformat()})
    rt.audit.append(AuditEvent(staff_id, f"import.{kind}", "refused" if report.status == "refused" else "success",
                               target=f"file:{file_hash[:16]}", purpose=purpose,
                               detail={"counterparty": counterparty.code, "status": report.status,
                                       "fiscal_year": str(checked.fiscal_year), "rows": str(report.rows),
                                       "applied": str(report.applied), "rejected": str(report.rejected),
                                       **{k: str(v) for k, v in report.summary.items()}}))
    return report


def _reject_report(rt: Runtime, counterparty: str, file_hash: str, rejects: list[Reject]) -> str:
    return put_reject_report(rt.objects("exchange"), counterparty, rt.clock(), file_hash,
                             [(r.row, r.field, r.reason) for r in rejects])
