"""Batch entry points of the transfer workflow: one per job, each on its schedule (workflow.py, rules/jobs.py).

A scheduled run sends every ended period not yet sent, oldest first (a missed day is caught up), then any rows
the recipient rejected (corrections). An operator may pass `today` to run as of another day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.transfer.rules.jobs import job as job_named
from functions.transfer.services.acks import send_corrections
from functions.transfer.services.catch_up import run_due
from shared.domain.calendar import date_in_japan
from shared.observability import get_logger, instrumented
from shared.runtime import Runtime, default_runtime

__all__ = ["kouiki_collection_daily", "kouiki_daily", "kouiki_income_monthly", "kouiki_ryoyohi_monthly",
           "scheduled_run", "shiminzei_annual"]

SCHEDULER = "scheduler"


def scheduled_run(name: str, event: dict[str, Any], runtime: Runtime | None = None) -> dict[str, Any]:
    rt = runtime or default_runtime()
    job = job_named(name)
    assert job is not None, name
    today = date.fromisoformat(event["today"]) if event.get("today") else date_in_japan(rt.clock())
    request_id = str(event.get("id") or f"schedule:{name}:{today.isoformat()}")
    results = [r.as_dict() for r in run_due(rt, job, today, SCHEDULER, request_id)]
    correction = send_corrections(rt, job, today, SCHEDULER, request_id) if all(
        r["result"] != "refused" for r in results) else None
    report = {"job": name, "today": today.isoformat(), "runs": results,
              "correction": correction.as_dict() if correction else None}
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
