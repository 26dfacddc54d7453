"""Running a transfer job for one period: approval, rows through the filter, the file, the manifest, the ledger.

The steps follow the batch framework's shape (design rule 8; shared/batch's JobKind): `plan` splits the period
into chunk specs, `apply_chunk` writes one chunk's records to a part object (safe to run again: the part's key is
derived), and `finish` joins the parts into the file once. Here they run in order in one process; on the batch
framework each chunk is a message on the job's queue.

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
from typing import Any

from functions.transfer.rules.approvals import ApprovalRefused, choose_approval
from functions.transfer.rules.jobs import MY_NUMBER, RECIPIENTS, TransferJob
from functions.transfer.rules.layouts import encode_rows, file_head, file_tail
from functions.transfer.rules.periods import Period
from functions.transfer.services.sources import chunk_specs, rows_of
from shared.adapters.audit_log import AuditEvent
from shared.adapters.transfer_ledger import SENT, TransferLedger, sent_entry_id
from shared.domain.errors import Conflict
from shared.domain.ids import new_id
from shared.runtime import Runtime
from shared.storage import RETENTION_CLASSES

__all__ = ["APPROVALS", "RunResult", "file_key", "run_period"]

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


def _approval(rt: Runtime, job: TransferJob, period: Period, today: date) -> Mapping[str, Any]:
    approvals = [a for page in rt.records(APPROVALS).scan_segment(0, 1, "recipient", job.recipient) for a in page]
    return choose_approval(approvals, job, period.first, period.last, today)


def _ledger_entry(job: TransferJob, label: str, period: Period, result: str, at: str, staff: str,
                  **extra: Any) -> dict[str, Any]:
    return {"entry_id": extra.pop("entry_id", None) or new_id("TL"), "job": job.name, "period": label,
            "period_first": period.first.isoformat(), "period_last": period.last.isoformat(),
            "recipient": job.recipient, "fields": list(job.fields), "result": result, "recorded_at": at,
            "run_by": staff, **extra}


def _refuse(rt: Runtime, job: TransferJob, period: Period, label: str, staff: str, request_id: str,
            refused: Exception, code: str) -> RunResult:
    at = rt.clock().isoformat()
    rt.repository(TransferLedger).record(_ledger_entry(job, label, period, "refused", at, staff, reason=code,
                                                       detail=str(refused)[:300]))
    rt.audit.append(AuditEvent(staff, "transfer.refused", "refused", target=job.name, purpose=job.title[:200],
                               request_id=request_id, detail={"period": label, "code": code}))
    return RunResult(job.name, label, "refused", reason=code)


def run_period(rt: Runtime, job: TransferJob, period: Period, today: date, staff: str, request_id: str,
               label: str | None = None, specs: list[dict[str, Any]] | None = None) -> RunResult:
    """Run one period of one job (a correction passes its own label and rows' specs). Refusals are ledgered,
    audited and raised again so the caller reports the problem."""
    label = label or period.key
    try:
        approval = _approval(rt, job, period, today)
    except ApprovalRefused as refused:
        _refuse(rt, job, period, label, staff, request_id, refused, refused.code)
        raise
    work = f"{WORK}/{job.name}/{label}"
    specs = specs or chunk_specs(job)
    for spec in specs:
        apply_chunk(rt, job, period, spec, work)
    return finish(rt, job, period, label, approval, len(specs), work, staff, request_id)


def finish(rt: Runtime, job: TransferJob, period: Period, label: str, approval: Mapping[str, Any], parts: int,
           work: str, staff: str, request_id: str) -> RunResult:
    body, totals = _assemble(rt, job, period, parts, work, label)
    checksum = hashlib.sha256(body).hexdigest()
    key = file_key(job, label)
    ledger = rt.repository(TransferLedger)
    result = RunResult(job.name, label, SENT, totals["rows"], checksum, key, approval["approval_id"],
                       totals["omitted"], totals["kept_by_law"])
    sent = ledger.get(sent_entry_id(job.name, label))
    at = rt.clock().isoformat()
    common = {"approval_id": approval["approval_id"], "rows": totals["rows"], "checksum": checksum, "key": key,
              "omitted": len(totals["omitted"]), "omitted_ids": totals["omitted"],
              "kept_by_law": totals["kept_by_law"], "my_number": job.carries_my_number,
              "correction": label != period.key}
    if sent is not None:
        if sent["checksum"] != checksum:
            _refuse(rt, job, period, label, staff, request_id, Exception("content differs from the file sent"),
                    "transfer-already-sent-differs")
            raise Conflict(f"{job.name} {label} was sent on {sent['recorded_at']} with other content; send a "
                           "correction instead", code="transfer-already-sent-differs")
        ledger.record(_ledger_entry(job, label, period, "not-resent", at, staff, **common))
        result.result = "not-resent"
        return result
    expires = RETENTION_CLASSES["exchange"].days
    rt.objects("exchange").put(key, body, "application/octet-stream", {
        "job": job.name, "period": label, "approval": approval["approval_id"], "sha256": checksum,
        "encoding": job.encoding, "expires-after-days": str(expires)}, kms_key=_kms(rt, job))
    manifest = {"file": key.rsplit("/", 1)[1], "sha256": checksum, "bytes": len(body), "rows": totals["rows"],
                "job": job.name, "period": label, "layout": job.layout, "encoding": job.encoding,
                "approval_id": approval["approval_id"], "created_at": at}
    rt.objects("exchange").put(f"{key}.manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode(),
                               "application/json")
    if not ledger.record(_ledger_entry(job, label, period, SENT, at, staff, entry_id=sent_entry_id(job.name, label),
                                       **common)):
        raise Conflict(f"{job.name} {label} was sent meanwhile", code="transfer-already-sent-differs")
    rt.audit.append(AuditEvent(staff, "transfer.sent", "success", target=job.name, purpose=job.title[:200],
                               request_id=request_id,
                               detail={"period": label, "rows": str(totals["rows"]), "sha256": checksum,
                                       "approval": approval["approval_id"], "omitted": str(len(totals["omitted"]))}))
    return result
