"""Apply a 住基異動 file from a registered counterparty (PIA-I-1-b, III-2-d, III-2-i; design rules 8, 9).

The file is read from the exchange bucket as a stream, once, to validate every row before anything is applied
and to cut it into chunks of byte ranges. Rows that fail go to a reject report (row, field, reason; never a
value). A file with rejects is applied for its valid rows only when the counterparty's registration allows
partial application. The chunks then run through the batch framework (shared/batch): one message each, any
order, checkpointed. The rows of a person who appears in more than one chunk keep their file order: the later
rows wait in a second stage that starts when the first is through. The same file (by content hash) is one job:
sending it again changes nothing, and a job that stopped half-way is resumed.

The resident register is the authoritative source for these fields, and the file arrives system to system
from the register's own (double-checked) process, so rows are applied without a second human confirmation;
every application is audited per file, and each affected person's record carries the file and row it came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from functions.intake.rules.resident_changes import (
    ChangeCode,
    FileRefused,
    ParsedFile,
    Reject,
    content_hash,
    normalised,
    scan,
    split_records,
)
from functions.intake.services.resident_apply import apply_changes, changes_in_range
from shared.adapters.audit_log import AuditEvent
from shared.adapters.objects import put_reject_report
from shared.batch import Chunk, Job, JobState, Plan, get_job, refuse, resume, start
from shared.batch.local import run_job_here
from shared.domain.counterparties import Counterparty, registered
from shared.domain.person import InvalidChange, validate_values
from shared.observability import count
from shared.runtime import Runtime

__all__ = ["IMPORT", "ImportReport", "ParsedFile", "ResidentImport", "import_resident_changes", "import_resident_file",
           "import_resident_path", "plan_import", "run_import_here"]

KIND, QUEUE = "resident-changes-inbound", "resident-import-chunks"
# ~2,000 rows: 20 BatchGetItem and ~160 BatchWriteItem requests, a few seconds in Lambda against a 300 s
# time-out; the benchmark reports the longest chunk (docs/batch.md).
ROWS_PER_CHUNK = 2000


@dataclass
class ImportReport:
    counterparty: str
    file_hash: str
    status: str  # "applied" | "partially-applied" | "refused" | "already-applied" | "running" | "failed"
    rows: int = 0
    applied: int = 0
    rejected: int = 0
    events: int = 0
    reject_report_key: str | None = None
    job_id: str | None = None
    rejects: list[dict[str, Any]] = field(default_factory=list)


def job_id_of(file_hash: str) -> str:
    return f"resident-import-{file_hash[:24]}"


# --- planning -------------------------------------------------------------------------------------------------

@dataclass
class _Planner:
    """Cuts the scanned rows into stage-1 byte ranges; a person's rows after their first chunk go to stage 2."""

    stage1: list[dict[str, Any]] = field(default_factory=list)
    later: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)  # person -> (row, start, end)
    first_chunk: dict[str, int] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    rows: int = 0
    end: int = 0

    row_chunk: dict[int, int] = field(default_factory=dict)

    def drop(self, reject: Reject, person_id: str) -> None:
        """Reject a row found wanting after the scan (unknown person, older than the record)."""
        self.rejects.append(reject)
        later = self.later.get(person_id, [])
        if any(r[0] == reject.row for r in later):
            self.later[person_id] = [r for r in later if r[0] != reject.row]
        else:
            self.stage1[self.row_chunk[reject.row]]["skip"].append(reject.row)

    def add(self, row: int, start: int, end: int, person_id: str | None, rejects: Iterable[Reject]) -> None:
        self.rows += 1
        if not self.stage1 or self.stage1[-1]["rows"] >= ROWS_PER_CHUNK:
            if self.stage1:
                self.stage1[-1]["end"] = start
            self.stage1.append({"start": start, "end": end, "first_row": row, "skip": [], "rows": 0})
        chunk, index = self.stage1[-1], len(self.stage1) - 1
        chunk["rows"] += 1
        self.end = end
        rejected = list(rejects)
        if rejected or person_id is None:
            self.rejects.extend(rejected)
            chunk["skip"].append(row)
            return
        self.row_chunk[row] = index
        if self.first_chunk.setdefault(person_id, index) != index:
            chunk["skip"].append(row)
            self.later.setdefault(person_id, []).append((row, start, end))

    def stages(self) -> list[list[dict[str, Any]]]:
        if self.stage1:
            self.stage1[-1]["end"] = self.end
        first = [{k: v for k, v in c.items() if k != "rows"} for c in self.stage1]
        second: list[dict[str, Any]] = []
        batch: list[tuple[int, int, int]] = []
        for rows in self.later.values():  # a person's later rows stay together, in file order
            if not rows:
                continue
            if batch and len(batch) + len(rows) > ROWS_PER_CHUNK:
                second.append(_span(batch))
                batch = []
            batch.extend(rows)
        if batch:
            second.append(_span(batch))
        return [first, second] if second else [first]


def _span(rows: list[tuple[int, int, int]]) -> dict[str, Any]:
    ordered = sorted(rows)
    return {"start": ordered[0][1], "end": max(r[2] for r in ordered), "first_row": ordered[0][0],
            "only": [r[0] for r in ordered]}


def _hashing(records: Iterable[tuple[int, int, bytes]], hasher: Any) -> Iterator[tuple[int, int, bytes]]:
    for record in records:
        hasher.update(normalised(record[2]))
        yield record


# Rows that create a person; any other row needs a person already known (in the table or created earlier in the
# file by a row that was not rejected).
CREATING = (ChangeCode.MOVE_IN, ChangeCode.BIRTH, ChangeCode.NON_RESIDENT_REGISTRATION)


def _check_against_records(rt: Runtime, planner: _Planner, waiting: dict[int, tuple[str, str]]) -> None:
    """Reject rows for an unknown 宛名コード (or whose 転入 was rejected) and rows older than the person's last
    change (an older file never overwrites newer data): BatchGetItem over the persons the rows name."""
    ids = {person_id for person_id, _ in waiting.values()}
    known = {r["person_id"]: r for r in rt.batch_get("persons", [{"person_id": p} for p in ids],
                                                     projection=("person_id", "changed_on"))}
    for row, (person_id, changed_on) in sorted(waiting.items()):
        record = known.get(person_id)
        if record is None:
            planner.drop(Reject(row, "atena_code", "unknown 宛名コード (no such person, or its 転入 was rejected)"),
                         person_id)
        elif record.get("changed_on") and changed_on < record["changed_on"]:
            planner.drop(Reject(row, "change_date", "older than the person's last recorded change"), person_id)


def plan_import(rt: Runtime, counterparty: Counterparty, key: str, staff_id: str) -> tuple[Plan, list[Reject]]:
    """Read the file once: its hash, every row validated (raises FileRefused for a bad encoding or header),
    and its chunks. Nothing is written."""
    hasher, planner = hashlib.sha256(), _Planner()
    seen: set[str] = set()
    created: set[str] = set()
    waiting: dict[int, tuple[str, str]] = {}  # row -> (person, change date) to check against the table
    for scanned in scan(_hashing(split_records(rt.objects("exchange").stream(key)), hasher), counterparty.encoding,
                        seen=seen):
        rejects = list(scanned.rejects)
        change = scanned.change
        if change is not None:
            try:
                validate_values(change.values)
            except InvalidChange as invalid:
                rejects.append(Reject(scanned.row, "*", invalid.detail))
        if change is not None and not rejects:
            if change.code in CREATING:
                created.add(change.person_id)
            elif change.person_id not in created:
                waiting[scanned.row] = (change.person_id, change.change_date.isoformat())
        planner.add(scanned.row, scanned.start, scanned.end,
                    change.person_id if change and not rejects else None, rejects)
    _check_against_records(rt, planner, waiting)
    planner.rejects.sort(key=lambda r: r.row)
    file_hash = hasher.hexdigest()
    params = {"counterparty": counterparty.code, "key": key, "encoding": counterparty.encoding,
              "file_hash": file_hash, "staff_id": staff_id}
    plan = Plan(job_id_of(file_hash), KIND, QUEUE, planner.stages(), params=params, rows=planner.rows,
                counts={"rejected": len(planner.rejects)}, started_by=staff_id)
    return plan, planner.rejects


def _write_reject_report(rt: Runtime, counterparty: str, file_hash: str, rejects: list[Reject]) -> str:
    return put_reject_report(rt.objects("exchange"), counterparty, rt.clock(), file_hash,
                             [(r.row, r.field, r.reason) for r in rejects])


# --- the job kind ------------------------------------------------------------------------------------------------

class ResidentImport:
    """The chunks of a 住基異動 file import, as the batch framework runs them."""

    name, queue = KIND, QUEUE

    def apply(self, rt: Runtime, job: Job, chunk: Chunk) -> dict[str, int]:
        changes = changes_in_range(rt, job.params, chunk.spec)
        counts = apply_changes(rt, changes, job.params["file_hash"][:16], datetime.fromisoformat(job.started_at))
        count("ResidentRowsImported", counts["applied"] - counts["skipped"])
        return counts

    def finish(self, rt: Runtime, job: Job, succeeded: bool) -> dict[str, Any]:
        report = _report(job, status=_status(job, succeeded))
        _record(rt, report)
        _audit(rt, job.params.get("staff_id", "system"), report)
        return {k: v for k, v in asdict(report).items() if k != "rejects"}


IMPORT = ResidentImport()


def _status(job: Job, succeeded: bool | None = None) -> str:
    """What the import says about a job; `succeeded` is given while the job is closing."""
    if job.state is JobState.REFUSED:
        return "refused"
    if succeeded is None and job.state in (JobState.SUCCEEDED, JobState.FAILED):
        succeeded = job.state is JobState.SUCCEEDED
    if succeeded is None:
        return "running"
    if not succeeded:
        return "failed"
    return "partially-applied" if job.counts.get("rejected") else "applied"


def _report(job: Job, rejects: list[Reject] | None = None, already: bool = False,
            status: str | None = None) -> ImportReport:
    return ImportReport(job.params["counterparty"], job.params["file_hash"],
                        "already-applied" if already else status or _status(job), rows=job.rows,
                        applied=job.counts.get("applied", 0), rejected=job.counts.get("rejected", 0),
                        events=job.counts.get("events", 0), reject_report_key=job.params.get("reject_report_key"),
                        job_id=job.job_id, rejects=[asdict(r) for r in rejects or []])


def _record(rt: Runtime, report: ImportReport) -> None:
    rt.records("inbound-files").put({
        "file_hash": report.file_hash, "counterparty": report.counterparty, "status": report.status,
        "rows": report.rows, "applied": report.applied, "rejected": report.rejected, "job_id": report.job_id,
        "reject_report_key": report.reject_report_key, "updated_at": rt.clock().isoformat()})


def _audit(rt: Runtime, staff_id: str, report: ImportReport) -> None:
    outcome = {"refused": "refused", "failed": "failure"}.get(report.status, "success")
    rt.audit.append(AuditEvent(staff_id, "import.resident-changes", outcome, target=f"file:{report.file_hash[:16]}",
                               purpose="住基異動の反映 (PIA-I-1-b)",
                               detail={"counterparty": report.counterparty, "status": report.status,
                                       "rows": str(report.rows), "applied": str(report.applied),
                                       "rejected": str(report.rejected), "job": report.job_id or "-"}))


def _again(rt: Runtime, job: Job, staff_id: str) -> ImportReport:
    """The same rows sent again: a refused file is refused again (and audited again); an applied one is
    `already-applied`; a running one reports its progress."""
    if job.state is JobState.REFUSED:
        report = _report(job)
        _audit(rt, staff_id, report)
        return report
    return _report(job, already=job.finished)


def _refused_whole(rt: Runtime, counterparty: str, key: str, staff_id: str, refused: FileRefused) -> None:
    digest = hashlib.sha256()
    for piece in rt.objects("exchange").stream(key):
        digest.update(piece)
    report = ImportReport(counterparty, digest.hexdigest(), "refused")
    rt.records("inbound-files").put({"file_hash": report.file_hash, "counterparty": counterparty,
                                     "status": "refused", "reason": refused.detail, "rows": 0, "applied": 0,
                                     "rejected": 0, "updated_at": rt.clock().isoformat()})
    _audit(rt, staff_id, report)


# --- entry points ------------------------------------------------------------------------------------------------

def import_resident_file(rt: Runtime, counterparty_code: str, key: str, staff_id: str = "system") -> ImportReport:
    """Validate a file in the exchange bucket and start its job (the chunks run on the queue's workers);
    raises UnknownCounterparty or FileRefused before anything is written."""
    counterparty = registered(counterparty_code, "resident-changes")
    try:
        plan, rejects = plan_import(rt, counterparty, key, staff_id)
    except FileRefused as refused:  # unreadable as a whole: still recorded and audited (design rule 9)
        _refused_whole(rt, counterparty.code, key, staff_id, refused)
        raise
    existing = get_job(rt, plan.job_id)
    if existing is not None and existing.state is not JobState.PLANNING:
        return _again(rt, existing, staff_id)
    if rejects:
        report_key = _write_reject_report(rt, counterparty.code, plan.params["file_hash"], rejects)
        plan = Plan(plan.job_id, plan.kind, plan.queue, plan.stages, {**plan.params, "reject_report_key": report_key},
                    plan.rows, plan.counts, plan.started_by)
        if not counterparty.allow_partial:
            job = refuse(rt, plan, {"status": "refused", "rejected": len(rejects)})
            report = _report(job, rejects)
            _record(rt, report)
            _audit(rt, staff_id, report)
            return report
    return _report(start(rt, IMPORT, plan), rejects)


def import_resident_changes(rt: Runtime, counterparty_code: str, content: bytes, staff_id: str = "system",
                            progress: Callable[[Job], None] | None = None) -> ImportReport:
    """Import a file given as bytes and run its chunks in this process (local mode, tests)."""
    return _import_here(rt, counterparty_code, content_hash([content]),
                        lambda key: rt.objects("exchange").put(key, content, "text/csv"), staff_id, progress)


def import_resident_path(rt: Runtime, counterparty_code: str, path: Path, staff_id: str = "system",
                         progress: Callable[[Job], None] | None = None) -> ImportReport:
    """Import a local file of any size (`choju import-resident-changes`): hashed and uploaded as a stream."""
    with path.open("rb") as source:
        file_hash = content_hash(iter(lambda: source.read(1 << 20), b""))

    def upload(key: str) -> None:
        with path.open("rb") as source:
            rt.objects("exchange").put_file(key, source, "text/csv")

    return _import_here(rt, counterparty_code, file_hash, upload, staff_id, progress)


def _import_here(rt: Runtime, counterparty_code: str, file_hash: str, upload: Callable[[str], None], staff_id: str,
                 progress: Callable[[Job], None] | None) -> ImportReport:
    """Store the file under inbound/<counterparty>/ and import it, running the chunks in this process; the same
    file again is `already-applied`, and a job that stopped half-way is resumed."""
    counterparty = registered(counterparty_code, "resident-changes")
    existing = get_job(rt, job_id_of(file_hash))
    if existing is not None and existing.finished:
        return _again(rt, existing, staff_id)
    if existing is None or existing.state is JobState.PLANNING:
        key = f"{counterparty.inbound_prefix}{file_hash[:16]}.csv"
        upload(key)
        report = import_resident_file(rt, counterparty.code, key, staff_id)
        if report.status != "running":
            return report
    else:
        resume(rt, existing.job_id)
        report = _report(existing)
    return run_import_here(rt, report, progress)


def run_import_here(rt: Runtime, report: ImportReport, progress: Callable[[Job], None] | None = None
                    ) -> ImportReport:
    """Run a started import's chunks in this process until it is finished (or stops making progress)."""
    assert report.job_id is not None
    job = run_job_here(rt, IMPORT, report.job_id, progress)
    return _report(job, [Reject(**r) for r in report.rejects])
