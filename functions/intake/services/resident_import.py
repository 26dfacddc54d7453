"""Apply a 住基異動 file from a registered counterparty (PIA-I-1-b, III-2-d, III-2-i; design rules 8, 9).

The whole file is validated before anything is applied. Rows that fail go to a reject report (row, field,
reason; never a value). A file with rejects is applied for its valid rows only when the counterparty's
registration allows partial application. The same file (by content hash) is applied once; a run that stopped
half-way resumes after the last row it recorded.

The resident register is the authoritative source for these fields, and the file arrives system to system
from the register's own (double-checked) process, so rows are applied without a second human confirmation;
every application is audited per file, and each affected person's record carries the file and row it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from functions.intake.rules.eligibility_events import eligibility_update
from functions.intake.rules.resident_changes import ParsedFile, Reject, ResidentChange, parse_file
from shared.adapters.audit_log import AuditEvent
from shared.adapters.objects import put_reject_report
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.counterparties import KOUIKI_RENGO, registered
from shared.domain.mynumber import parse_my_number
from shared.domain.person import derived_fields, validate_values
from shared.observability import count
from shared.runtime import Runtime

PROGRESS_EVERY = 100


@dataclass
class ImportReport:
    counterparty: str
    file_hash: str
    status: str  # "applied" | "partially-applied" | "refused" | "already-applied"
    rows: int = 0
    applied: int = 0
    rejected: int = 0
    events: int = 0
    reject_report_key: str | None = None
    rejects: list[dict[str, Any]] = field(default_factory=list)


def import_resident_changes(rt: Runtime, counterparty_code: str, content: bytes, staff_id: str = "system",
                            progress: Any = None) -> ImportReport:
    """Validate then apply; raises UnknownCounterparty or FileRefused before touching anything."""
    counterparty = registered(counterparty_code, "resident-changes")
    file_hash = hashlib.sha256(content).hexdigest()
    files = rt.records("inbound-files")
    seen = files.get(file_hash)
    if seen and seen.get("status") in ("applied", "partially-applied", "refused"):
        return ImportReport(counterparty.code, file_hash, "already-applied", rows=int(seen.get("rows", 0)),
                            applied=int(seen.get("applied", 0)), rejected=int(seen.get("rejected", 0)))
    parsed = parse_file(content, counterparty.encoding)
    report = ImportReport(counterparty.code, file_hash, "applied", rows=parsed.rows, rejected=len(parsed.rejects),
                          rejects=[asdict(r) for r in parsed.rejects])
    if parsed.rejects:
        report.reject_report_key = _write_reject_report(rt, counterparty.code, file_hash, parsed.rejects)
        if not counterparty.allow_partial:
            report.status = "refused"
            _record(rt, file_hash, report, done=len(parsed.changes))
            _audit(rt, staff_id, report)
            return report
        report.status = "partially-applied"
    start = int((seen or {}).get("progress", 0))
    for position, change in enumerate(parsed.changes[start:], start=start):
        report.events += _apply(rt, change, file_hash)
        if (position + 1) % PROGRESS_EVERY == 0:
            _progress(rt, file_hash, position + 1)
            if progress:
                progress(position + 1, len(parsed.changes))
    report.applied = len(parsed.changes)
    count("ResidentRowsImported", report.applied - start)
    _record(rt, file_hash, report, done=len(parsed.changes))
    _audit(rt, staff_id, report)
    return report


def _apply(rt: Runtime, change: ResidentChange, file_hash: str) -> int:
    """Apply one row (idempotently) and queue its eligibility event; returns the number of events queued."""
    reference = f"{file_hash[:16]}:{change.row}"
    persons = rt.repository(PersonRepository)
    while True:
        record = persons.get(change.person_id)
        if record and record.get("last_import_ref") == reference:
            return 0  # applied before a restart
        updates, event = eligibility_update(change, record)
        values = {**change.values, **updates}
        validate_values(values)
        new = {**(record or {}), **values, "person_id": change.person_id, "last_import_ref": reference,
               "version": int((record or {}).get("version", 0)) + 1, "updated_at": rt.clock().isoformat()}
        new.setdefault("suspended", False)
        if change.my_number:
            number = parse_my_number(change.my_number)
            new["mynumber_enc"], new["mynumber_index"] = rt.vault.encrypt(number), rt.vault.blind_index(number)
        new.update(derived_fields(new))
        items = [persons.write_item(new, change.person_id, int((record or {}).get("version", 0)))]
        if event:
            items.append(rt.repository(TransferQueue).enqueue_item(
                kind=event, counterparty=KOUIKI_RENGO, entity_id=change.person_id, reference=reference,
                at=rt.clock(), queue_id=f"RC{reference.replace(':', '-')}",
                summary={"change": change.code.value, "change_date": change.change_date.isoformat(),
                         **{k: v for k, v in updates.items() if k.startswith("eligibility_")}}))
        if rt.transact(items):
            return 1 if event else 0
        # Someone changed the person meanwhile (a counter confirmation): read again and re-apply.


def _write_reject_report(rt: Runtime, counterparty: str, file_hash: str, rejects: list[Reject]) -> str:
    return put_reject_report(rt.objects("exchange"), counterparty, rt.clock(), file_hash,
                             [(r.row, r.field, r.reason) for r in rejects])


def _progress(rt: Runtime, file_hash: str, done: int) -> None:
    rt.records("inbound-files").put(
        {"file_hash": file_hash, "status": "applying", "progress": done, "updated_at": rt.clock().isoformat()})


def _record(rt: Runtime, file_hash: str, report: ImportReport, done: int) -> None:
    rt.records("inbound-files").put({
        "file_hash": file_hash, "counterparty": report.counterparty, "status": report.status, "rows": report.rows,
        "applied": report.applied, "rejected": report.rejected, "progress": done,
        "reject_report_key": report.reject_report_key, "updated_at": rt.clock().isoformat()})


def _audit(rt: Runtime, staff_id: str, report: ImportReport) -> None:
    rt.audit.append(AuditEvent(staff_id, "import.resident-changes", "success" if report.status != "refused"
                               else "refused", target=f"file:{report.file_hash[:16]}",
                               purpose="住基異動の反映 (PIA-I-1-b)",
                               detail={"counterparty": report.counterparty, "status": report.status,
                                       "rows": str(report.rows), "applied": str(report.applied),
                                       "rejected": str(report.rejected)}))


__all__ = ["ImportReport", "ParsedFile", "import_resident_changes"]
