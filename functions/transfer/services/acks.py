"""受付結果: the recipient's acknowledgement or error file for a file we sent, imported and acted on.

Layout (CSV, the recipient's encoding, header line `行番号,宛名番号,結果,理由`): one line per data record of the
file, 結果 "0" accepted or "9" rejected with a reason. The file names the job and period it answers
(`<job>_<period>.ack.csv`). Rejected rows are queued in the transfer queue as corrections for the job (a derived
queue id: importing the same file twice queues nothing new); the next run of the job sends them, with the
person's record as corrected, in a correction file of their own (PIA-III-2-d: fixed layout, registered sender).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from functions.transfer.rules.jobs import TransferJob
from functions.transfer.rules.periods import Period
from functions.transfer.services.runs import RunResult, run_period
from shared.adapters.audit_log import AuditEvent
from shared.adapters.transfer_ledger import TransferLedger, sent_entry_id
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.errors import Invalid, NotFound
from shared.runtime import Runtime

__all__ = ["AckReport", "correction_kind", "correction_run", "import_ack", "send_corrections"]

HEADER = ["行番号", "宛名番号", "結果", "理由"]
ACCEPTED, REJECTED = "0", "9"


def correction_kind(job: TransferJob) -> str:
    return f"correction:{job.name}"


@dataclass
class AckReport:
    job: str
    period: str
    accepted: int = 0
    rejected: int = 0
    requeued: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"job": self.job, "period": self.period, "accepted": self.accepted, "rejected": self.rejected,
                "requeued": len(self.requeued)}


def _rows(job: TransferJob, body: bytes) -> list[list[str]]:
    try:
        text = body.decode(job.encoding)
    except UnicodeDecodeError:
        raise Invalid(f"the 受付結果 is not {job.encoding}", code="ack-invalid") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0] != HEADER:
        raise Invalid(f"the 受付結果 starts with the header {','.join(HEADER)}", code="ack-invalid")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 4 or not row[0].isdigit() or row[2] not in (ACCEPTED, REJECTED) or not row[1]:
            raise Invalid(f"line {number} of the 受付結果 is not 行番号,宛名番号,結果(0|9),理由", code="ack-invalid")
    return rows[1:]


def import_ack(rt: Runtime, job: TransferJob, period: str, body: bytes, staff: str, request_id: str) -> AckReport:
    """Validate the whole file first (nothing half-applied, design rule 9), then queue each rejected row."""
    sent = rt.repository(TransferLedger).get(sent_entry_id(job.name, period))
    if sent is None:
        raise NotFound(f"no file of {job.name} for {period} was sent")
    rows = _rows(job, body)
    report = AckReport(job.name, period)
    queue = rt.repository(TransferQueue)
    for line, person_id, result, reason in rows:
        if result == ACCEPTED:
            report.accepted += 1
            continue
        report.rejected += 1
        reference = f"{job.name}:{period}:{line}"
        if queue.enqueue(kind=correction_kind(job), counterparty=job.recipient, entity_id=person_id,
                         reference=reference, at=rt.clock(), queue_id=f"TQ-ACK-{job.name}-{period}-{line}",
                         summary={"reason": reason[:200], "period": period}):
            report.requeued.append(person_id)
    rt.audit.append(AuditEvent(staff, "transfer.ack-imported", "success", target=job.name, purpose="受付結果",
                               request_id=request_id, detail={"period": period, **{
                                   k: str(v) for k, v in report.as_dict().items() if k != "job"}}))
    return report


def correction_run(rt: Runtime, job: TransferJob, today: date) -> tuple[Period, str, list[dict[str, Any]]] | None:
    """The rows queued for correction, to be sent with the people's records as they are now in a file of their
    own (`<today>-C<n>`: one more each time), under the same approval rules; the entries are settled when it
    goes (services/runs.py). None when nothing waits."""
    pending = [e for e in rt.repository(TransferQueue).ready(job.recipient) if e["kind"] == correction_kind(job)]
    if not pending:
        return None
    sent = [e for e in rt.repository(TransferLedger).of_job(job.name) if e.get("correction")
            and e.get("result") == "sent"]
    label = f"{today.isoformat()}-C{len(sent) + 1}"
    return Period(today, today, "daily"), label, [{"part": 1, "queue_ids": sorted(e["queue_id"] for e in pending)}]


def send_corrections(rt: Runtime, job: TransferJob, today: date, staff: str, request_id: str) -> RunResult | None:
    """The correction file, sent now in this process (services/runs.py `run_period`)."""
    found = correction_run(rt, job, today)
    if found is None:
        return None
    period, label, specs = found
    return run_period(rt, job, period, today, staff, request_id, label=label, specs=specs)
