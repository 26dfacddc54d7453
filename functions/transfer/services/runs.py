"""Running a transfer job on the batch framework (design rule 8): approval, rows through the filter, the file,
the manifest, the ledger.

A run is one batch job (`shared.batch`) of one or more periods, oldest first (a catch-up), and perhaps a correction
file last. Each period is two stages: its chunks (one for a queue or extract source, eight scan segments for a
table), each writing its encoded records to a part object under the job's work prefix (a derived key: a replayed
chunk overwrites), then one assembling chunk that checks the approval again, joins the parts into the file,
compares it with what was sent and records the outcome. Stage n+1 is sent only when stage n is done, so periods go
in order and a crash resumes where it stopped (`choju jobs resume`, or the queue's own redelivery).

A period is sent once: the file's checksum is compared with the ledger's, an identical re-run is recorded as
"not-resent" and nothing is written, and a re-run that would send different content is refused (a correction
goes as a correction file, services/acks.py). PIA-III-5-a, III-2-b, III-2-h, IV-1.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from functions.transfer.rules.approvals import ApprovalRefused, choose_approval
from functions.transfer.rules.jobs import JOBS, MY_NUMBER, RECIPIENTS, TransferJob
from functions.transfer.rules.layouts import encode_rows, file_head, file_tail
from functions.transfer.rules.periods import Period
from functions.transfer.services.sources import chunk_specs, rows_of
from shared.adapters.audit_log import AuditEvent
from shared.adapters.transfer_ledger import SENT, TransferLedger, sent_entry_id
from shared.adapters.transfer_queue import TransferQueue
from shared.batch import Chunk, Job, Plan, start
from shared.batch.local import run_job_here
from shared.domain.errors import Conflict
from shared.domain.ids import new_id
from shared.runtime import Runtime
from shared.storage import RETENTION_CLASSES

__all__ = ["APPROVALS", "KINDS", "PeriodRun", "Refusal", "RunResult", "TransferChunks", "assemble", "file_key",
           "outcome", "plan_runs", "queue_of", "run_here", "run_period"]

APPROVALS = "transfer-approvals"
WORK = "work/transfer"


@dataclass
class RunResult:
    job: str
    period: str
    result: str  # sent | not-resent | refused
    rows: int = 0
    checksum: str | None = None
    key: str | None = None
    approval_id: str | None = None
    omitted: list[str] = field(default_factory=list)
    kept_by_law: int = 0
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"job": self.job, "period": self.period, "result": self.result, "rows": self.rows,
                "checksum": self.checksum, "key": self.key, "approval_id": self.approval_id,
                "omitted": len(self.omitted), "kept_by_law": self.kept_by_law, "reason": self.reason}


def file_key(job: TransferJob, period_key: str) -> str:
    """outbound/<recipient>/<job>/<period>/<job>_<period>.dat: the recipient's line picks it up from its prefix."""
    suffix = "csv" if job.layout == "csv" else "dat"
    return f"{RECIPIENTS[job.recipient].prefix}{job.name}/{period_key}/{job.name}_{period_key}.{suffix}"


def _kms(rt: Runtime, job: TransferJob) -> str | None:
    """Files with My Numbers go under the My Number key; others under the bucket's data key (design rule 5)."""
    return rt.key_alias("mynumber") if job.carries_my_number else None


def _project(rt: Runtime, job: TransferJob, row: Mapping[str, Any]) -> dict[str, Any]:
    """Only the job's columns leave (PIA-III-3-b); the number only for a job whose approval names it."""
    out = {c.field: row.get(c.field) for c in job.columns if c.field != MY_NUMBER}
    if job.carries_my_number and row.get("mynumber_enc"):
        out[MY_NUMBER] = rt.vault.decrypt(row["mynumber_enc"]).digits
    return out


class Refusal(NamedTuple):
    result: RunResult
    error: ApprovalRefused


def queue_of(job: TransferJob) -> str:
    """The job's declared chunk queue (shared/storage.py)."""
    return f"{job.name}-chunks"


@dataclass(frozen=True)
class PeriodRun:
    """One file of a run: a period (or a correction's label and the queue entries it resends)."""

    period: Period
    label: str
    approval_id: str
    specs: tuple[dict[str, Any], ...]

    def as_param(self) -> dict[str, Any]:
        return {"label": self.label, "first": self.period.first.isoformat(), "last": self.period.last.isoformat(),
                "frequency": self.period.frequency, "approval_id": self.approval_id, "parts": len(self.specs)}


def _period(param: Mapping[str, Any]) -> Period:
    return Period(date.fromisoformat(param["first"]), date.fromisoformat(param["last"]), param["frequency"])


def _work(job_id: str, job: TransferJob, label: str) -> str:
    return f"{WORK}/{job.name}/{label}/{job_id}"


def apply_chunk(rt: Runtime, job: TransferJob, period: Period, spec: Mapping[str, Any], work: str) -> dict[str, Any]:
    """One chunk: rows filtered for suspension of use, projected, encoded into a part object (same key on a
    re-run, so a replayed chunk overwrites rather than doubles)."""
    kept, omitted, kept_by_law, missing = [], [], 0, 0
    for row in rows_of(rt, job, period, spec):
        if row.get("missing"):
            missing += 1
            continue
        if row.get("suspended"):
            if job.required_by_law is None:
                omitted.append(row["person_id"])
                continue
            kept_by_law += 1
        kept.append(_project(rt, job, row))
    part = f"{work}/part-{spec['part']:05d}"
    rt.objects("exchange").put(part, encode_rows(job, kept), "application/octet-stream", kms_key=_kms(rt, job))
    summary = {"rows": len(kept), "omitted": omitted, "kept_by_law": kept_by_law, "missing": missing}
    rt.objects("exchange").put(f"{part}.json", json.dumps(summary).encode(), "application/json")
    return summary


def _assemble(rt: Runtime, job: TransferJob, period: Period, parts: int, work: str, label: str) -> tuple[bytes, dict]:
    totals: dict[str, Any] = {"rows": 0, "omitted": [], "kept_by_law": 0, "missing": 0}
    body = [file_head(job, label)]
    for number in range(1, parts + 1):
        name = f"{work}/part-{number:05d}"
        summary = json.loads(rt.objects("exchange").get(f"{name}.json"))
        body.append(rt.objects("exchange").get(name))
        for k in ("rows", "kept_by_law", "missing"):
            totals[k] += summary[k]
        totals["omitted"] += summary["omitted"]
    body.append(file_tail(job, totals["rows"]))
    return b"".join(body), totals


def _approvals(rt: Runtime, job: TransferJob) -> list[Mapping[str, Any]]:
    return [a for page in rt.records(APPROVALS).scan_segment(0, 1, "recipient", job.recipient) for a in page]


def _approval(rt: Runtime, job: TransferJob, period: Period, today: date) -> Mapping[str, Any]:
    return choose_approval(_approvals(rt, job), job, period.first, period.last, today)


def _ledger_entry(job: TransferJob, label: str, period: Period, result: str, at: str, staff: str,
                  **extra: Any) -> dict[str, Any]:
    return {"entry_id": extra.pop("entry_id", None) or new_id("TL"), "job": job.name, "period": label,
            "period_first": period.first.isoformat(), "period_last": period.last.isoformat(),
            "recipient": job.recipient, "fields": list(job.fields), "result": result, "recorded_at": at,
            "run_by": staff, **extra}


def _outcome_id(batch_job: str, label: str) -> str:
    """The ledger entry of a run's outcome other than "sent" (derived: a replayed chunk records nothing twice)."""
    return f"RUN#{batch_job}#{label}"


def _refuse(rt: Runtime, job: TransferJob, period: Period, label: str, staff: str, request_id: str,
            refused: Exception, code: str, entry_id: str | None = None) -> RunResult:
    at = rt.clock().isoformat()
    if rt.repository(TransferLedger).record(_ledger_entry(job, label, period, "refused", at, staff, reason=code,
                                                          detail=str(refused)[:300], entry_id=entry_id)):
        rt.audit.append(AuditEvent(staff, "transfer.refused", "refused", target=job.name, purpose=job.title[:200],
                                   request_id=request_id, detail={"period": label, "code": code}))
    return RunResult(job.name, label, "refused", reason=code)


def plan_runs(rt: Runtime, job: TransferJob, periods: list[tuple[Period, str, list[dict[str, Any]] | None]],
              today: date, staff: str, request_id: str, job_id: str | None = None,
              ) -> tuple[Plan | None, Refusal | None]:
    """Check each period's approval, oldest first: a refusal is ledgered and audited and stops the list there
    (a catch-up resumes from that period next time). Returns the plan of the periods allowed (None if none) and
    the refusal, if any."""
    runs: list[PeriodRun] = []
    refused: Refusal | None = None
    for period, label, specs in periods:
        try:
            approval = _approval(rt, job, period, today)
        except ApprovalRefused as refusal:
            refused = Refusal(_refuse(rt, job, period, label, staff, request_id, refusal, refusal.code), refusal)
            break
        runs.append(PeriodRun(period, label, str(approval["approval_id"]), tuple(specs or chunk_specs(job))))
    if not runs:
        return None, refused
    stages: list[list[dict[str, Any]]] = []
    for index, planned in enumerate(runs):
        stages.append([{**spec, "run": index} for spec in planned.specs])
        queue_ids = sorted(i for spec in planned.specs for i in spec.get("queue_ids", ()))
        stages.append([{"run": index, "assemble": True, **({"queue_ids": queue_ids} if queue_ids else {})}])
    plan = Plan(job_id or new_id(f"transfer-{job.name}-{runs[0].label}-", 8), job.name, queue_of(job), stages,
                params={"job": job.name, "today": today.isoformat(), "staff": staff, "request_id": request_id[:100],
                        "runs": [r.as_param() for r in runs]}, started_by=staff)
    return plan, refused


class TransferChunks:
    """The chunks of one transfer job (shared.batch.JobKind): parts, then the file of each period."""

    def __init__(self, job: TransferJob) -> None:
        self.job = job
        self.name, self.queue = job.name, queue_of(job)

    def apply(self, rt: Runtime, batch: Job, chunk: Chunk) -> dict[str, int]:
        param = batch.params["runs"][chunk.spec["run"]]
        period, label = _period(param), param["label"]
        work = _work(batch.job_id, self.job, label)
        if not chunk.spec.get("assemble"):
            summary = apply_chunk(rt, self.job, period, chunk.spec, work)
            return {"rows": summary["rows"], "omitted": len(summary["omitted"]),
                    "kept_by_law": summary["kept_by_law"], "missing": summary["missing"]}
        result = assemble(rt, self.job, batch, param)
        if result.result != "refused":
            queue = rt.repository(TransferQueue)
            for queue_id in chunk.spec.get("queue_ids", ()):  # a correction's rows leave the ready list
                queue.settle(queue_id, self.job.recipient, label)
        return {result.result.replace("-", "_"): 1}

    def finish(self, rt: Runtime, batch: Job, succeeded: bool) -> dict[str, Any]:
        """Each period's outcome as the ledger holds it (entries named by the job id: no personal data here)."""
        results = [outcome(rt, self.job, batch, param).as_dict() for param in batch.params["runs"]]
        return {"job": self.job.name, "runs": results}


def assemble(rt: Runtime, job: TransferJob, batch: Job, param: Mapping[str, Any]) -> RunResult:
    """The last step of a period, once its parts are written: the approval checked again (a revocation during the
    run stops the file), the parts joined, the checksum compared with the ledger's, the file, manifest and ledger
    written. Safe to run again: a file this job sent already is left as it is, and other outcomes have derived
    ledger ids (recorded once)."""
    period, label = _period(param), param["label"]
    staff, request_id = batch.params["staff"], batch.params["request_id"]
    today = date.fromisoformat(batch.params["today"])
    outcome_id = _outcome_id(batch.job_id, label)
    try:
        approval = _approval(rt, job, period, today)
    except ApprovalRefused as refused:
        return _refuse(rt, job, period, label, staff, request_id, refused, refused.code, entry_id=outcome_id)
    work = _work(batch.job_id, job, label)
    body, totals = _assemble(rt, job, period, int(param["parts"]), work, label)
    checksum = hashlib.sha256(body).hexdigest()
    key = file_key(job, label)
    ledger = rt.repository(TransferLedger)
    result = RunResult(job.name, label, SENT, totals["rows"], checksum, key, str(approval["approval_id"]),
                       totals["omitted"], totals["kept_by_law"])
    sent = ledger.get(sent_entry_id(job.name, label))
    if sent is not None and sent.get("batch_job") == batch.job_id:
        return result  # this job sent it before a crash: nothing more to do
    at = rt.clock().isoformat()
    common = {"approval_id": approval["approval_id"], "rows": totals["rows"], "checksum": checksum, "key": key,
              "omitted": len(totals["omitted"]), "omitted_ids": totals["omitted"],
              "kept_by_law": totals["kept_by_law"], "my_number": job.carries_my_number,
              "correction": label != period.key, "batch_job": batch.job_id}
    if sent is not None:
        if sent["checksum"] != checksum:
            return _refuse(rt, job, period, label, staff, request_id,
                           Exception(f"sent on {sent['recorded_at']} with other content; send a correction instead"),
                           "transfer-already-sent-differs", entry_id=outcome_id)
        ledger.record(_ledger_entry(job, label, period, "not-resent", at, staff, entry_id=outcome_id, **common))
        result.result = "not-resent"
        return result
    expires = RETENTION_CLASSES["exchange"].days
    store = rt.objects("exchange")
    # Written once: a file already there (this job's own before a crash, or another run's of the period) is never
    # replaced; the same bytes go on to the ledger, other bytes are refused.
    if not store.put_new(key, body, "application/octet-stream", {
            "job": job.name, "period": label, "approval": approval["approval_id"], "sha256": checksum,
            "encoding": job.encoding, "expires-after-days": str(expires)}, kms_key=_kms(rt, job)):
        there = (store.metadata(key) or {}).get("sha256")
        if there != checksum:
            return _refuse(rt, job, period, label, staff, request_id,
                           Exception("another run of the period wrote its file with other content"),
                           "transfer-already-sent-differs", entry_id=outcome_id)
    manifest = {"file": key.rsplit("/", 1)[1], "sha256": checksum, "bytes": len(body), "rows": totals["rows"],
                "job": job.name, "period": label, "layout": job.layout, "encoding": job.encoding,
                "approval_id": approval["approval_id"], "created_at": batch.started_at}
    rt.objects("exchange").put(f"{key}.manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode(),
                               "application/json")
    # The audit event before the ledger entry: a crash between them repeats the event, never loses it.
    rt.audit.append(AuditEvent(staff, "transfer.sent", "success", target=job.name, purpose=job.title[:200],
                               request_id=request_id,
                               detail={"period": label, "rows": str(totals["rows"]), "sha256": checksum,
                                       "approval": str(approval["approval_id"]),
                                       "omitted": str(len(totals["omitted"])), "job": batch.job_id}))
    if not ledger.record(_ledger_entry(job, label, period, SENT, at, staff, entry_id=sent_entry_id(job.name, label),
                                       **common)):
        # Another run sent the period meanwhile (with the same bytes: the file was not written again): say so.
        return _refuse(rt, job, period, label, staff, request_id, Exception("sent meanwhile by another run"),
                       "transfer-already-sent-differs", entry_id=outcome_id)
    return result


def outcome(rt: Runtime, job: TransferJob, batch: Job, param: Mapping[str, Any]) -> RunResult:
    """A period's outcome in a job, from the ledger; "pending" when its assembling chunk did not run."""
    ledger, label = rt.repository(TransferLedger), param["label"]
    sent = ledger.get(sent_entry_id(job.name, label))
    entry = sent if sent is not None and sent.get("batch_job") == batch.job_id else ledger.get(
        _outcome_id(batch.job_id, label))
    if entry is None:
        return RunResult(job.name, label, "pending", approval_id=param["approval_id"])
    return RunResult(job.name, label, entry["result"], int(entry.get("rows", 0)), entry.get("checksum"),
                     entry.get("key"), entry.get("approval_id"), list(entry.get("omitted_ids") or []),
                     int(entry.get("kept_by_law", 0)), entry.get("reason"))


KINDS: dict[str, TransferChunks] = {job.name: TransferChunks(job) for job in JOBS}


def run_here(rt: Runtime, job: TransferJob, plan: Plan) -> list[RunResult]:
    """Start the job and run its chunks in this process through the same worker Lambda runs (local mode, the
    CLI, tests); returns each period's outcome."""
    kind = KINDS[job.name]
    batch = run_job_here(rt, kind, start(rt, kind, plan).job_id)
    return [outcome(rt, job, batch, param) for param in batch.params["runs"]]


def run_period(rt: Runtime, job: TransferJob, period: Period, today: date, staff: str, request_id: str,
               label: str | None = None, specs: list[dict[str, Any]] | None = None) -> RunResult:
    """Run one period of one job here, through the framework (a correction passes its own label and rows'
    specs). Refusals are ledgered, audited and raised so the caller reports the problem."""
    plan, refused = plan_runs(rt, job, [(period, label or period.key, specs)], today, staff, request_id)
    if refused is not None:
        raise refused.error
    assert plan is not None
    result = run_here(rt, job, plan)[0]
    if result.reason == "transfer-already-sent-differs":
        raise Conflict(f"{job.name} {result.period} was sent with other content; send a correction instead",
                       code="transfer-already-sent-differs")
    if result.result == "refused":
        raise ApprovalRefused("the approval no longer allowed the file when it was assembled", code=result.reason)
    return result
