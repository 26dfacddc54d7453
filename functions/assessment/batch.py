"""Batch entry points of the assessment workflow (the job, its trigger and its queue declared in `workflow.py`).

`yearly_decision_notices` plans the 本算定's print run of 決定通知書 and sends its chunks to the job's queue;
`decision_notice_chunks` is the queue's worker. Given a runtime (local mode, tests), the trigger runs the chunks
in this process through the same worker, as the SQS event source mapping would in AWS, and returns the finished
job's result.
"""

from __future__ import annotations

from typing import Any

from functions.assessment.rules.dates import fiscal_year_of
from functions.assessment.services.decision_run import DECISION_NOTICES, plan_decision_notices, run_decision_notices
from shared.batch import start
from shared.batch.worker import chunk_worker
from shared.domain.calendar import date_in_japan
from shared.observability import instrumented
from shared.runtime import Runtime, default_runtime

__all__ = ["decision_notice_chunks", "yearly_decision_notices"]

decision_notice_chunks = instrumented(chunk_worker(DECISION_NOTICES))


@instrumented
def yearly_decision_notices(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """Every 決定通知書 of the 年度 (the current one, or `fiscal_year` in the event when an operator runs a past
    one), after the 本算定's results of record were imported."""
    rt = runtime or default_runtime()
    year = int(event["fiscal_year"]) if event.get("fiscal_year") else fiscal_year_of(date_in_japan(rt.clock()))
    if runtime is not None:
        return run_decision_notices(rt, year)
    job = start(rt, DECISION_NOTICES, plan_decision_notices(rt, year))
    return {"job_id": job.job_id, "state": job.state.value, "chunks": job.chunks_total}
