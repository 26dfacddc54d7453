"""Batch entry points of the intake workflow (jobs and triggers declared in functions/intake/workflow.py)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any
from urllib.parse import unquote_plus

from functions.intake.services.certificates import run_annual_renewal
from functions.intake.services.reaching_75 import run_reaching_75
from functions.intake.services.resident_import import import_resident_changes
from shared.domain.calendar import date_in_japan
from shared.domain.counterparties import COUNTERPARTIES, UnknownCounterparty
from shared.domain.errors import DomainError
from shared.observability import get_logger, instrumented
from shared.runtime import Runtime, default_runtime

__all__ = ["annual_certificate_renewal", "counterparty_of", "daily_reaching_75", "on_inbound_file"]


def counterparty_of(key: str) -> str:
    """inbound/<counterparty>/<file name> → counterparty code."""
    parts = key.split("/")
    if len(parts) < 3 or parts[0] != "inbound" or parts[1] not in COUNTERPARTIES:
        raise UnknownCounterparty(f"{key!r} is not under a registered counterparty's inbound prefix")
    return parts[1]


def _today(event: dict[str, Any], rt: Runtime) -> date:
    """The run's date in Japan; an operator may give `today` to re-run a past day."""
    return date.fromisoformat(event["today"]) if event.get("today") else date_in_japan(rt.clock())


@instrumented
def on_inbound_file(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """S3 ObjectCreated under inbound/<counterparty>/: validate and apply each file."""
    rt = runtime or default_runtime()
    results = []
    for record in event.get("Records", []):
        key = unquote_plus(record["s3"]["object"]["key"])
        try:
            counterparty = counterparty_of(key)
            report = import_resident_changes(rt, counterparty, rt.objects("exchange").get(key))
            results.append({"key": key, **{k: v for k, v in asdict(report).items() if k != "rejects"}})
        except DomainError as refused:
            get_logger().warning("inbound file refused", extra={"key": key, "reason": refused.detail})
            results.append({"key": key, "status": "refused", "reason": refused.detail})
    get_logger().info("inbound files processed", extra={"results": results})
    return {"files": results}


@instrumented
def daily_reaching_75(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """Next month's 75th birthdays: certificates are mailed the month before, events go to the 広域連合."""
    rt = runtime or default_runtime()
    today = _today(event, rt)
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    result = run_reaching_75(rt, first, last, today)
    get_logger().info("reaching-75 run", extra={"from": result["from"], "to": result["to"],
                                                "people": len(result["people"]), "queued": result["queued"]})
    return {k: v for k, v in result.items() if k != "people"} | {"people": len(result["people"])}


@instrumented
def annual_certificate_renewal(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """8/1: renew the 資格確認書 of every insured person the certificate rule covers."""
    rt = runtime or default_runtime()
    result = run_annual_renewal(rt, _today(event, rt))
    get_logger().info("certificate renewal", extra=result)
    return result
