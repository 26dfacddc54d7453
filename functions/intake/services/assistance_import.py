"""Apply the 福祉 department's 生活保護 異動 file (issue 12 item 5; PIA-I-1-b, III-2-d, III-2-i; design rule 9;
`rules/public_assistance.py`, docs/intake.md "生活保護 異動").

Only the registered 保護課 may send it (`fukushi-hogo`, kind `public-assistance`, never partially applied).
Before anything is applied the whole file is read, every record checked and the persons it names read
(BatchGetItem): one error refuses the whole file, naming every record, byte and field. Applied or refused the file
leaves its `inbound-files` record and its audit event (`import.public-assistance`); a refused file sent again is
refused again, an applied one answers `already-applied`. The file's identity is the SHA-256 of its records without
line ends (a CR LF and a bare copy are one file).

The file is small by nature — the 保護 開始・停止・廃止 of one day among the city's 後期 population, tens of records —
so it is applied in one process, not on the batch framework: each person written with a version condition
(re-read and re-applied on a race with a counter change), carrying `last_assistance_ref` (file and record) and
the event it raised, then the events queued for the 広域連合 under ids derived from file and record. A run
stopped half-way and sent again skips the persons already applied and queues their events again under the same
ids: nothing is applied or queued twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from functions.intake.rules.public_assistance import (
    WHAT,
    AssistanceRow,
    against_record,
    assistance_update,
    read_assistance,
)
from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.counterparties import KOUIKI_RENGO, registered
from shared.domain.errors import Conflict
from shared.domain.fixed_width import FileRejected
from shared.observability import count
from shared.runtime import Runtime

__all__ = ["COUNTERPARTY", "FILE_KIND", "AssistanceReport", "file_identity", "import_public_assistance"]

COUNTERPARTY, FILE_KIND = "fukushi-hogo", "public-assistance"
FILE_PREFIX = "seikatsuhogo"  # inbound/fukushi-hogo/seikatsuhogo-<hash>.dat
ATTEMPTS = 3
PURPOSE = "生活保護 異動の反映 (適用除外, 法第51条第1号; PIA-I-1-b)"


@dataclass
class AssistanceReport:
    file_hash: str
    status: str  # "applied" | "refused" | "already-applied"
    rows: int = 0
    applied: int = 0
    events: int = 0
    errors: list[dict[str, Any]] | None = None


def file_identity(content: bytes) -> str:
    """SHA-256 of the records without line ends: the same records with or without CR LF are one file."""
    return hashlib.sha256(content.replace(b"\r\n", b"")).hexdigest()


def _ref_of(file_hash: str, row: AssistanceRow) -> str:
    return f"{file_hash[:16]}:{row.record}"


def _event(file_hash: str, row: AssistanceRow, kind: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"queue_id": f"PA{file_hash[:16]}-{row.record}", "kind": kind, "reference": _ref_of(file_hash, row),
            "summary": {"change": f"生活保護{row.action}", "change_date": row.day.isoformat(),
                        **{k: record.get(k) for k in ("eligibility_status", "eligibility_acquired_on",
                                                      "eligibility_lost_on", "eligibility_change_reason")}}}


def _apply_one(rt: Runtime, person: dict[str, Any], row: AssistanceRow, file_hash: str,
               ) -> tuple[dict[str, Any], dict[str, Any] | None]:
    updated, kind = assistance_update(person, row)
    event = _event(file_hash, row, kind, updated) if kind else None
    return {**updated, "last_assistance_ref": _ref_of(file_hash, row),
            "last_assistance_event": json.dumps(event, ensure_ascii=False, sort_keys=True) if event else None,
            "version": int(person.get("version", 0)) + 1, "updated_at": rt.clock().isoformat()}, event


def _apply(rt: Runtime, rows: list[AssistanceRow], persons: dict[str, dict[str, Any]], file_hash: str,
           ) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    repository, applied, events = rt.repository(PersonRepository), 0, []
    for row in rows:
        person = persons[row.person_id]
        for _ in range(ATTEMPTS):
            if person.get("last_assistance_ref") == _ref_of(file_hash, row):  # applied by an earlier run
                replay = json.loads(person.get("last_assistance_event") or "null")
                if replay:
                    events.append((row.person_id, replay))
                break
            record, event = _apply_one(rt, person, row, file_hash)
            if repository.put_if_version(record, int(person.get("version", 0))):
                applied += 1
                if event:
                    events.append((row.person_id, event))
                break
            fresh = repository.get(row.person_id)
            assert fresh is not None
            person = fresh
        else:
            raise Conflict(f"{row.person_id} kept changing while the 生活保護 異動 was applied")
    return applied, events


def _record(rt: Runtime, report: AssistanceReport, reason: str | None = None) -> None:
    rt.records("inbound-files").put({
        "file_hash": report.file_hash, "kind": FILE_KIND, "counterparty": COUNTERPARTY, "status": report.status,
        "rows": report.rows, "applied": report.applied, "rejected": len(report.errors or []), "job_id": None,
        "reason": reason, "updated_at": rt.clock().isoformat()})


def _audit(rt: Runtime, staff_id: str, report: AssistanceReport) -> None:
    outcome = "refused" if report.status == "refused" else "success"
    rt.audit.append(AuditEvent(staff_id, f"import.{FILE_KIND}", outcome, target=f"file:{report.file_hash[:16]}",
                               purpose=PURPOSE,
                               detail={"counterparty": COUNTERPARTY, "status": report.status,
                                       "rows": str(report.rows), "applied": str(report.applied),
                                       "events": str(report.events), "errors": str(len(report.errors or []))}))


def import_public_assistance(rt: Runtime, content: bytes, staff_id: str = "system",
                             stored: bool = False) -> AssistanceReport:
    """Validate the file whole and apply it; a file that breaks a rule is recorded, audited and raised
    (FileRejected) with nothing applied. A file given by hand (the CLI) is first stored under
    inbound/fukushi-hogo/; one that arrived there (`stored`, the S3 trigger) is not written again — its own
    notification would start the import once more."""
    registered(COUNTERPARTY, FILE_KIND)
    file_hash = file_identity(content)
    if not stored:
        rt.objects("exchange").put(f"inbound/{COUNTERPARTY}/{FILE_PREFIX}-{file_hash[:16]}.dat", content,
                                   "application/octet-stream")
    known = rt.records("inbound-files").get(file_hash)
    if known is not None and known.get("status") == "applied":
        report = AssistanceReport(file_hash, "already-applied", int(known.get("rows", 0)))
        _audit(rt, staff_id, report)
        return report
    try:
        rows = read_assistance(content)
        persons = {r["person_id"]: r for r in rt.batch_get("persons", [{"person_id": r.person_id} for r in rows])}
        # a run stopped half-way is sent again: its applied persons are checked as they were before it
        pending = [r for r in rows if persons.get(r.person_id, {}).get("last_assistance_ref") != _ref_of(file_hash, r)]
        errors = [e for r in pending if (e := against_record(persons.get(r.person_id), r)) is not None]
        if errors:
            raise FileRejected(errors, WHAT)
    except FileRejected as refused:
        report = AssistanceReport(file_hash, "refused", errors=[e.as_json() for e in refused.record_errors])
        _record(rt, report, refused.detail)
        _audit(rt, staff_id, report)
        raise
    applied, events = _apply(rt, rows, persons, file_hash)
    writer, queue_table, now = rt.batch_writer(), rt.table_name("transfer-queue"), rt.clock()
    for person_id, event in events:  # persons first: an event is queued only for a change that is stored
        writer.put(queue_table, TransferQueue.record(kind=event["kind"], counterparty=KOUIKI_RENGO,
                                                     entity_id=person_id, reference=event["reference"], at=now,
                                                     queue_id=event["queue_id"], summary=event["summary"]))
    writer.flush()
    report = AssistanceReport(file_hash, "applied", len(rows), applied, len(events))
    _record(rt, report)
    _audit(rt, staff_id, report)
    count("PublicAssistanceApplied", applied)
    return report
