"""Apply the 広域連合's 被保険者情報 file (PIA-I-1-b, II-3-b, III-2-d, III-2-i; design rules 8, 9;
`rules/kouiki_results.py`, docs/intake.md "広域連合 被保険者情報").

Only the registered 広域連合 may send it (`kouiki-rengo`, kind `eligibility-results`, never partially applied).
Before anything is applied the whole file is read and every record checked, and the persons it names are read
(BatchGetItem): a layout error, an unknown 宛名コード or a 判定年度 older than the one on record refuses the whole
file, naming every record. Applied or refused, the file leaves its `inbound-files` record and its audit event
(`import.eligibility-results`); a refused file sent again is refused again.

The file's identity is the SHA-256 of its records without line ends (a CR LF and a bare copy are one file): the
same records are applied once, on the batch framework (shared/batch) under a job id derived from that hash —
sending them again answers `already-applied`. Each chunk writes its discrepancies (ids derived from file and
record) before its persons, and each person applied remembers the file and record (`last_kouiki_ref`), so a
chunk run again after a crash applies nothing twice and loses no discrepancy.

A row that changes an insured person's 負担割合 or 被保険者番号 (the first one, assigned after a card was made at the
75th birthday without it) issues a `change` 資格確認書 (rules/certificates.needs_new_card),
effective from the day the 割合 holds (rules/kouiki_results.ratio_effective_on), as the 住基 import does for a
転居 or 氏名変更: under an id derived from the file and record, 交付年月日 the job's start day, written before the
person, so a chunk run again writes the same card again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from functions.intake.rules.certificates import needs_new_card
from functions.intake.rules.kouiki_results import (
    DATA,
    WHAT,
    ResultRow,
    older_than_record,
    ratio_effective_on,
    read_results,
    reconcile,
)
from shared.adapters.audit_log import AuditEvent
from shared.adapters.change_requests import ChangeRequestStore
from shared.adapters.persons import PersonRepository
from shared.batch import Chunk, Job, JobState, Plan, get_job, start
from shared.batch.local import run_job_here
from shared.domain.calendar import date_in_japan
from shared.domain.changes import Status
from shared.domain.counterparties import KOUIKI_RENGO, registered
from shared.domain.errors import Conflict
from shared.domain.fixed_width import FileRejected, RecordError
from shared.domain.person import validate_values
from shared.lazy import lazy_module
from shared.observability import count
from shared.runtime import Runtime

# Loaded with the first change card: the issuance service brings the batch framework and printing.
certificates = lazy_module("functions.intake.services.certificates")

__all__ = ["FILE_PREFIX", "KIND", "KOUIKI_IMPORT", "KouikiReport", "change_card_id", "discrepancy_id", "file_identity",
           "import_kouiki_file", "import_kouiki_results", "is_results_key", "report_of"]

KIND, QUEUE, FILE_KIND = "kouiki-results-inbound", "kouiki-results-chunks", "eligibility-results"
FILE_PREFIX = "hihokensha"  # inbound/kouiki-rengo/hihokensha-<作成日>.dat
ROWS_PER_CHUNK = 2000  # 20 BatchGetItem and ~160 BatchWriteItem requests, as the 住基 import's chunks
ATTEMPTS = 3
PURPOSE = "広域連合 被保険者情報の反映と突合 (PIA-I-1-b, II-3-b)"


@dataclass
class KouikiReport:
    file_hash: str
    status: str  # "applied" | "refused" | "already-applied" | "running" | "failed"
    rows: int = 0
    applied: int = 0
    discrepancies: int = 0
    job_id: str | None = None
    errors: list[dict[str, Any]] | None = None


def is_results_key(key: str) -> bool:
    """An exchange-bucket key of a 被保険者情報 file (the other files of the 広域連合 go elsewhere)."""
    parts = key.split("/")
    return len(parts) == 3 and parts[:2] == ["inbound", KOUIKI_RENGO] and parts[2].startswith(FILE_PREFIX)


def file_identity(content: bytes) -> str:
    """SHA-256 of the records without line ends: the same records with or without CR LF are one file."""
    return hashlib.sha256(content.replace(b"\r\n", b"")).hexdigest()


def discrepancy_id(file_hash: str, record: int, field: str) -> str:
    return f"KD{file_hash[:16]}-{record}-{field}"


def change_card_id(person_id: str, file_hash: str, record: int) -> str:
    return f"QC-{person_id}-change-{file_hash[:16]}-{record}"


def _job_id(file_hash: str) -> str:
    return f"kouiki-results-{file_hash[:24]}"


# --- validation and planning -----------------------------------------------------------------------------------

def _against_records(rt: Runtime, rows: list[ResultRow]) -> None:
    """Every person the file names exists, and no row carries a 判定年度 older than the one on record."""
    known = {r["person_id"]: r for r in rt.batch_get("persons", [{"person_id": r.person_id} for r in rows],
                                                     projection=("person_id", "copayment_year"))}
    start_of = {f.name: f.start for f in DATA.fields}
    errors = []
    for row in rows:
        person = known.get(row.person_id)
        if person is None:
            errors.append(RecordError(row.record, start_of["atena_code"], "atena_code", "unknown 宛名コード"))
        elif older_than_record(person, row):
            errors.append(RecordError(row.record, start_of["ratio_year"], "ratio_year",
                                      "older than the 判定年度 on record (an older file never overwrites newer data)"))
    if errors:
        raise FileRejected(errors, WHAT)


def _plan(content: bytes, key: str, file_hash: str, rows: int, staff_id: str) -> Plan:
    chunks = [{"first": n, "last": min(n + ROWS_PER_CHUNK, rows)} for n in range(0, rows, ROWS_PER_CHUNK)] or \
        [{"first": 0, "last": 0}]
    return Plan(_job_id(file_hash), KIND, QUEUE, [chunks], params={"key": key, "file_hash": file_hash,
                                                                   "staff_id": staff_id}, rows=rows,
                started_by=staff_id)


# --- the job kind ----------------------------------------------------------------------------------------------

def _pending(rt: Runtime, ids: set[str]) -> set[str]:
    return {r.entity_id for r in rt.repository(ChangeRequestStore).with_status(Status.PENDING)
            if r.entity == "person"} & ids


def _applied(rt: Runtime, person: dict[str, Any], row: ResultRow, ref: str) -> dict[str, Any]:
    updates, _ = reconcile(person, row)
    validate_values(updates)
    return {**person, **updates, "last_kouiki_ref": ref, "version": int(person.get("version", 0)) + 1,
            "updated_at": rt.clock().isoformat()}


def _change_card(rt: Runtime, before: dict[str, Any], after: dict[str, Any], row: ResultRow, created_on: date,
                 file_hash: str, issued_on: date) -> dict[str, Any] | None:
    """A new 負担割合 or 被保険者番号 for an insured person: a `change` card from the day the 割合 holds (for a new
    number with the same 割合, the file's date: the 8/1 of its 判定年度 has passed)."""
    if not needs_new_card(before, {"copayment_ratio": after.get("copayment_ratio"),
                                   "insured_number": after.get("insured_number"),
                                   "eligibility_status": after.get("eligibility_status")}):
        return None
    changed_on = ratio_effective_on(row, created_on)
    return {"certificate_id": change_card_id(row.person_id, file_hash, row.record), "version": 1,
            **certificates.certificate_values(after, "change", issued_on, changed_on, changed_on,
                                              rt.settings.insurer_number)}


def _issued_on(job: Job) -> date:
    """交付年月日 of the job's change cards: the day the job started (a chunk run again makes the same card)."""
    return date_in_japan(datetime.fromisoformat(job.started_at))


class KouikiImport:
    """The chunks of a 被保険者情報 import, as the batch framework runs them."""

    name, queue = KIND, QUEUE

    def apply(self, rt: Runtime, job: Job, chunk: Chunk) -> dict[str, int]:
        file_hash = job.params["file_hash"]
        results = read_results(rt.objects("exchange").get(job.params["key"]))
        rows = results.rows[chunk.spec["first"]:chunk.spec["last"]]
        issued_on = _issued_on(job)
        persons = {r["person_id"]: r for r in rt.batch_get("persons", [{"person_id": r.person_id} for r in rows])}
        pending = _pending(rt, set(persons))
        found: list[dict[str, Any]] = []
        cards: list[dict[str, Any]] = []
        written: list[tuple[ResultRow, dict[str, Any]]] = []
        now = rt.clock().isoformat()
        for row in rows:
            person, ref = persons[row.person_id], f"{file_hash[:16]}:{row.record}"
            _, discrepancies = reconcile(person, row)
            found += [{"discrepancy_id": discrepancy_id(file_hash, row.record, d.field), "person_id": row.person_id,
                       "field": d.field, "label": d.label, "city_value": d.city, "kouiki_value": d.kouiki,
                       "basis": d.basis, "check": "PIA-II-3-b", "insured_number": row.insured_number,
                       "source": f"{KOUIKI_RENGO}:{file_hash[:16]}:{row.record}", "status": "open", "version": 1,
                       "created_at": now} for d in discrepancies]
            if person.get("last_kouiki_ref") != ref:
                record = _applied(rt, person, row, ref)
                written.append((row, record))
                card = _change_card(rt, person, record, row, results.created_on, file_hash, issued_on)
                if card:
                    cards.append(card)
        writer = rt.batch_writer()
        table = rt.table_name("eligibility-discrepancies")
        known = rt.records("eligibility-discrepancies").get_many(d["discrepancy_id"] for d in found)
        for item in found:
            if item["discrepancy_id"] not in known:  # a clerk may have resolved it already: never reopened
                writer.put(table, item)
        cards_table = rt.table_name("certificates")
        for card in cards:
            writer.put(cards_table, card)
        writer.flush()  # discrepancies and cards first: a person marked applied always has them stored
        persons_table = rt.table_name("persons")
        for row, record in written:
            if row.person_id in pending:
                self._write_checked(rt, row, record, f"{file_hash[:16]}:{row.record}",
                                    lambda before, after, r=row: _change_card(rt, before, after, r, results.created_on,
                                                                              file_hash, issued_on))
            else:
                writer.put(persons_table, record)
        writer.flush()
        count("KouikiResultsApplied", len(written))
        return {"applied": len(rows), "discrepancies": len(found), "cards": len(cards)}

    @staticmethod
    def _write_checked(rt: Runtime, row: ResultRow, record: dict[str, Any], ref: str,
                       card_of: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any] | None]) -> None:
        """A person with a pending counter change: written alone with a version condition, read again on a race
        (and its change card made again from the person as it now stands, written before it)."""
        persons = rt.repository(PersonRepository)
        for _ in range(ATTEMPTS):
            if persons.put_if_version(record, int(record["version"]) - 1):
                return
            current = persons.get(row.person_id)
            assert current is not None
            record = _applied(rt, current, row, ref)
            card = card_of(current, record)
            if card:
                rt.records("certificates").put(card)
        raise Conflict(f"{row.person_id} kept changing while the 広域連合's 被保険者情報 was applied")

    def finish(self, rt: Runtime, job: Job, succeeded: bool) -> dict[str, Any]:
        report = report_of(job, "applied" if succeeded else "failed")
        _record(rt, report)
        _audit(rt, job.params.get("staff_id", "system"), report)
        return asdict(report)


KOUIKI_IMPORT = KouikiImport()


def report_of(job: Job, status: str | None = None) -> KouikiReport:
    if status is None:
        status = {JobState.SUCCEEDED: "applied", JobState.FAILED: "failed"}.get(job.state, "running")
    return KouikiReport(job.params["file_hash"], status, job.rows, job.counts.get("applied", 0),
                        job.counts.get("discrepancies", 0), job.job_id)


def _record(rt: Runtime, report: KouikiReport, reason: str | None = None) -> None:
    rt.records("inbound-files").put({
        "file_hash": report.file_hash, "kind": FILE_KIND, "counterparty": KOUIKI_RENGO, "status": report.status,
        "rows": report.rows, "applied": report.applied, "rejected": len(report.errors or []),
        "job_id": report.job_id, "reason": reason, "updated_at": rt.clock().isoformat()})


def _audit(rt: Runtime, staff_id: str, report: KouikiReport) -> None:
    outcome = {"refused": "refused", "failed": "failure"}.get(report.status, "success")
    rt.audit.append(AuditEvent(staff_id, f"import.{FILE_KIND}", outcome, target=f"file:{report.file_hash[:16]}",
                               purpose=PURPOSE,
                               detail={"counterparty": KOUIKI_RENGO, "status": report.status, "rows": str(report.rows),
                                       "applied": str(report.applied), "discrepancies": str(report.discrepancies),
                                       "errors": str(len(report.errors or [])), "job": report.job_id or "-"}))


# --- entry points ----------------------------------------------------------------------------------------------

def import_kouiki_file(rt: Runtime, key: str, staff_id: str = "system") -> KouikiReport:
    """Validate a 被保険者情報 file in the exchange bucket and start its job; a file that breaks a rule is
    recorded, audited and raised (FileRejected) with nothing applied."""
    registered(KOUIKI_RENGO, FILE_KIND)
    content = rt.objects("exchange").get(key)
    file_hash = file_identity(content)
    existing = get_job(rt, _job_id(file_hash))
    if existing is not None and existing.state is not JobState.PLANNING:
        return KouikiReport(file_hash, "already-applied" if existing.finished else "running", existing.rows,
                            existing.counts.get("applied", 0), existing.counts.get("discrepancies", 0),
                            existing.job_id)
    try:
        results = read_results(content)
        _against_records(rt, results.rows)
    except FileRejected as refused:
        report = KouikiReport(file_hash, "refused", errors=[e.as_json() for e in refused.record_errors])
        _record(rt, report, refused.detail)
        _audit(rt, staff_id, report)
        raise
    return report_of(start(rt, KOUIKI_IMPORT, _plan(content, key, file_hash, len(results.rows), staff_id)))


def import_kouiki_results(rt: Runtime, content: bytes, staff_id: str = "system",
                          progress: Callable[[Job], None] | None = None) -> KouikiReport:
    """Store a file under inbound/kouiki-rengo/ and import it, running its chunks in this process (local mode,
    the CLI, tests)."""
    file_hash = file_identity(content)
    key = f"inbound/{KOUIKI_RENGO}/{FILE_PREFIX}-{file_hash[:16]}.dat"
    rt.objects("exchange").put(key, content, "application/octet-stream")
    report = import_kouiki_file(rt, key, staff_id)
    if report.status != "running":
        return report
    assert report.job_id is not None
    return report_of(run_job_here(rt, KOUIKI_IMPORT, report.job_id, progress))

