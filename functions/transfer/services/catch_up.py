"""Which periods to run: by hand (one period, `choju transfer run --job J --date D`) or by schedule (every ended
period since the last one sent, oldest first, so a missed day is caught up in order; design rule 8)."""

from __future__ import annotations

from datetime import date, timedelta

from functions.transfer.rules.jobs import TransferJob
from functions.transfer.rules.periods import due_periods, period_of
from functions.transfer.services.runs import RunResult, run_period
from shared.adapters.transfer_ledger import TransferLedger
from shared.domain.errors import DomainError, Invalid
from shared.runtime import Runtime

__all__ = ["run_by_hand", "run_due"]


def run_by_hand(rt: Runtime, job: TransferJob, day: date, today: date, staff: str, request_id: str) -> RunResult:
    """The period holding `day`; refused unless it has ended (a file holds a whole period)."""
    period = period_of(day, job.frequency)
    if period.last >= today:
        raise Invalid(f"the period {period.key} of {job.name} has not ended yet", code="transfer-period-open")
    return run_period(rt, job, period, today, staff, request_id)


def run_due(rt: Runtime, job: TransferJob, today: date, staff: str, request_id: str) -> list[RunResult]:
    """Every ended period not yet sent, oldest first; a refusal stops the catch-up there (the next run resumes
    from the same period, so nothing is skipped)."""
    last = rt.repository(TransferLedger).last_sent(job.name)
    results: list[RunResult] = []
    for period in due_periods(job.frequency, last, today, start=today - _first_lookback(job)):
        try:
            results.append(run_period(rt, job, period, today, staff, request_id))
        except DomainError as refused:
            results.append(RunResult(job.name, period.key, "refused", reason=refused.code))
            break
    return results


def _first_lookback(job: TransferJob) -> timedelta:
    """With nothing sent yet, start with the period that ended last (the first run sends one file)."""
    return {"daily": timedelta(days=1), "monthly": timedelta(days=28), "yearly": timedelta(days=365)}[job.frequency]
