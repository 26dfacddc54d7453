"""Batch entry points of the collection workflow (jobs and triggers declared in `workflow.py`).

The collection jobs are not on the batch framework (`shared/batch`) yet: each runs its chunks in turn inside one
invocation, checkpointing after each (inbound files) or being idempotent per chunk (dunning); the chunk sizes keep
the longest chunk far below Lambda's 15 minutes (see `make bench`). docs/collection.md says what moves onto the
framework.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from functions.collection.services.dunning import run_dunning
from functions.collection.services.extracts import write_daily_extracts
from functions.collection.services.imports import COLLECTION_COUNTERPARTIES, apply_file, kind_of
from functions.collection.services.inbound import DONE
from functions.collection.services.settle import settle as settle_decisions
from functions.collection.services.store import take_all_schedules
from shared.batch.inbound import import_each
from shared.domain.calendar import date_in_japan
from shared.observability import get_logger, instrumented
from shared.runtime import Runtime, default_runtime

__all__ = ["daily_dunning", "daily_extracts", "daily_schedules", "inbound_files", "settle"]


def _today(event: dict[str, Any], rt: Runtime) -> date:
    """The run's date in Japan; an operator may give `today` to run a past day again."""
    return date.fromisoformat(event["today"]) if event.get("today") else date_in_japan(rt.clock())


@instrumented
def inbound_files(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """Every collection file under inbound/ not yet applied (a file applied before answers 'already-…')."""
    rt = runtime or default_runtime()
    exchange = rt.objects("exchange")

    def import_one(key: str) -> dict[str, Any] | None:
        counterparty, kind = kinds[key]
        run = apply_file(rt, counterparty, kind, exchange.get(key), "system")
        return None if run.status in (f"already-{s}" for s in DONE) else {"status": run.status, "rows": run.rows}

    kinds = {s.key: found for c in COLLECTION_COUNTERPARTIES for s in exchange.list(f"inbound/{c}/")
             if (found := kind_of(s.key)) is not None}
    return {"files": import_each(kinds, import_one, "collection file")}


@instrumented
def settle(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    rt = runtime or default_runtime()
    return {"posted": settle_decisions(rt, _today(event, rt))}


@instrumented
def daily_schedules(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """Payment slips for the 期 assessment made or re-made (`store.take_all_schedules`)."""
    rt = runtime or default_runtime()
    result = take_all_schedules(rt)
    get_logger().info("schedules taken", extra=result)
    return result


@instrumented
def daily_dunning(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    rt = runtime or default_runtime()
    report = run_dunning(rt, _today(event, rt)).as_json()
    get_logger().info("dunning run", extra={k: v for k, v in report.items()
                                            if k not in ("notice_keys", "notice_files")})
    return report


@instrumented
def daily_extracts(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """The extracts of the day before (run in the morning, after the day's postings are complete)."""
    rt = runtime or default_runtime()
    return write_daily_extracts(rt, _today(event, rt) - timedelta(days=1))
