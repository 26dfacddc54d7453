"""Which periods to run: by hand (one period, `choju transfer run --job J --date D`) or by schedule (every ended
period since the last one sent, oldest first, so a missed day is caught up in order, then the corrections the
recipient asked for; design rule 8). Either way one batch job (services/runs.py) does the work."""

from __future__ import annotations

from datetime import date, timedelta

from functions.transfer.rules.jobs import TransferJob
from functions.transfer.rules.periods import Period, due_periods, period_of
from functions.transfer.services.acks import correction_run
from functions.transfer.services.runs import KINDS, Refusal, RunResult, plan_runs, run_here, run_period
from shared.adapters.transfer_ledger import TransferLedger
from shared.batch import Job, Plan, start
from shared.domain.errors import Invalid
from shared.runtime import Runtime

__all__ = ["plan_due", "run_by_hand", "run_due", "start_by_hand"]


def _ended(job: TransferJob, day: date, today: date) -> Period:
    """The period holding `day`; refused unless it has ended (a file holds a whole period)."""
    period = period_of(day, job.frequency)
    if period.last >= today:
        raise Invalid(f"the period {period.key} of {job.name} has not ended yet", code="transfer-period-open")
    return period


def run_by_hand(rt: Runtime, job: TransferJob, day: date, today: date, staff: str, request_id: str) -> RunResult:
    """The period holding `day`, run in this process (local mode, the CLI)."""
    return run_period(rt, job, _ended(job, day, today), today, staff, request_id)


def start_by_hand(rt: Runtime, job: TransferJob, day: date, today: date, staff: str, request_id: str) -> Job:
    """The period holding `day`, started on the job's queue for its worker (AWS); a refusal is raised."""
    period = _ended(job, day, today)
    plan, refused = plan_runs(rt, job, [(period, period.key, None)], today, staff, request_id)
    if refused is not None:
        raise refused.error
    assert plan is not None
    return start(rt, KINDS[job.name], plan)


def plan_due(rt: Runtime, job: TransferJob, today: date, staff: str, request_id: str, job_id: str | None = None,
             ) -> tuple[Plan | None, Refusal | None]:
    """Every ended period not yet sent, oldest first, then a correction file if rows wait for one; a refusal
    stops the list there (the next run resumes from the same period, so nothing is skipped)."""
    last = rt.repository(TransferLedger).last_sent(job.name)
    periods: list[tuple[Period, str, list[dict] | None]] = [
        (p, p.key, None) for p in due_periods(job.frequency, last, today, start=today - _first_lookback(job))]
    correction = correction_run(rt, job, today)  # planned after the periods: a refusal before it stops it too
    return plan_runs(rt, job, [*periods, *([correction] if correction else [])], today, staff, request_id, job_id)


def run_due(rt: Runtime, job: TransferJob, today: date, staff: str, request_id: str) -> list[RunResult]:
    """`plan_due`, run in this process: each period's outcome (the correction last), and the refusal."""
    plan, refused = plan_due(rt, job, today, staff, request_id)
    results = run_here(rt, job, plan) if plan is not None else []
    return results + ([refused.result] if refused is not None else [])


def _first_lookback(job: TransferJob) -> timedelta:
    """With nothing sent yet, start with the period that ended last (the first run sends one file)."""
    return {"daily": timedelta(days=1), "monthly": timedelta(days=28), "yearly": timedelta(days=365)}[job.frequency]
