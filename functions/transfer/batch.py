"""Batch entry points of the transfer workflow: one trigger per job, each on its schedule, and one chunk worker
per job fed by the job's queue (workflow.py, rules/jobs.py; design rule 8).

A scheduled run plans one batch job: every ended period not yet sent, oldest first (a missed day is caught up),
then any rows the recipient rejected (corrections); the worker writes each period's parts and then its file
(services/runs.py). Given a runtime (local mode, the CLI, tests), the trigger also runs the chunks in this process
through the same worker, as the SQS event source mapping would in AWS, and reports each period's outcome. An
operator may pass `today` to run as of another day.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from functions.transfer.rules.jobs import job as job_named
from functions.transfer.services.catch_up import plan_due
from functions.transfer.services.runs import KINDS, run_here
from shared.batch import start
from shared.batch.worker import chunk_worker
from shared.domain.calendar import date_in_japan
from shared.observability import get_logger, instrumented
from shared.runtime import Runtime, default_runtime

__all__ = ["kouiki_collection_daily", "kouiki_collection_daily_chunks", "kouiki_daily", "kouiki_daily_chunks",
           "kouiki_income_monthly", "kouiki_income_monthly_chunks", "kouiki_ryoyohi_monthly",
           "kouiki_ryoyohi_monthly_chunks", "scheduled_run", "shiminzei_annual", "shiminzei_annual_chunks"]

SCHEDULER = "scheduler"

kouiki_daily_chunks = instrumented(chunk_worker(KINDS["kouiki-daily"]))
kouiki_collection_daily_chunks = instrumented(chunk_worker(KINDS["kouiki-collection-daily"]))
kouiki_income_monthly_chunks = instrumented(chunk_worker(KINDS["kouiki-income-monthly"]))
kouiki_ryoyohi_monthly_chunks = instrumented(chunk_worker(KINDS["kouiki-ryoyohi-monthly"]))
shiminzei_annual_chunks = instrumented(chunk_worker(KINDS["shiminzei-annual"]))


def _job_id(name: str, event: dict[str, Any]) -> str | None:
    """An EventBridge event's id names its job (Lambda's retry of the same event finds the job it started);
    anything else (an operator, a test) starts a new job each time."""
    if not event.get("detail-type") or not event.get("id"):
        return None
    return f"transfer-{name}-{hashlib.sha256(str(event['id']).encode()).hexdigest()[:16]}"


def scheduled_run(name: str, event: dict[str, Any], runtime: Runtime | None = None) -> dict[str, Any]:
    rt = runtime or default_runtime()
    job = job_named(name)
    assert job is not None, name
    today = date.fromisoformat(event["today"]) if event.get("today") else date_in_japan(rt.clock())
    request_id = str(event.get("id") or f"schedule:{name}:{today.isoformat()}")
    plan, refused = plan_due(rt, job, today, SCHEDULER, request_id, _job_id(name, event))
    refusals = [refused.result.as_dict()] if refused is not None else []
    if plan is not None and runtime is None:  # in AWS: the worker takes the chunks from the queue
        started = start(rt, KINDS[name], plan)
        report: dict[str, Any] = {"job": name, "today": today.isoformat(), "job_id": started.job_id,
                                  "periods": [r["label"] for r in plan.params["runs"]], "refused": refusals}
        get_logger().info("transfer job started", extra={"report": report})
        return report
    results = [r.as_dict() for r in run_here(rt, job, plan)] if plan is not None else []
    periods = [r for r in results if "-C" not in r["period"]]
    corrections = [r for r in results if "-C" in r["period"]]
    report = {"job": name, "today": today.isoformat(), "runs": periods + refusals,
              "correction": corrections[0] if corrections else None}
    get_logger().info("transfer run", extra={"report": report})
    return report


@instrumented
def kouiki_daily(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    return scheduled_run("kouiki-daily", event, runtime)


@instrumented
def kouiki_collection_daily(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    return scheduled_run("kouiki-collection-daily", event, runtime)


@instrumented
def kouiki_income_monthly(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    return scheduled_run("kouiki-income-monthly", event, runtime)


@instrumented
def kouiki_ryoyohi_monthly(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    return scheduled_run("kouiki-ryoyohi-monthly", event, runtime)


@instrumented
def shiminzei_annual(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    return scheduled_run("shiminzei-annual", event, runtime)
