"""Batch entry points of the intake workflow (triggers declared in shared/batches.py)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote_plus

from shared.domain.counterparties import COUNTERPARTIES, UnknownCounterparty
from shared.domain.resident_changes import FileRefused
from shared.intake.certificates import run_annual_renewal
from shared.intake.reaching_75 import run_reaching_75
from shared.intake.resident_import import import_resident_changes
from shared.observability import get_logger
from shared.runtime import Runtime, default_runtime

JST = timezone(timedelta(hours=9))


def counterparty_of(key: str) -> str:
    """inbound/<counterparty>/<file name> → counterparty code."""
    parts = key.split("/")
    if len(parts) < 3 or parts[0] != "inbound" or parts[1] not in COUNTERPARTIES:
        raise UnknownCounterparty(f"{key!r} is not under a registered counterparty's inbound prefix")
    return parts[1]


def on_inbound_file(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """S3 ObjectCreated under inbound/<counterparty>/: validate and apply each file."""
    rt = runtime or default_runtime()
    results = []
    for record in event.get("Records", []):
        key = unquote_plus(record["s3"]["object"]["key"])
        try:
            counterparty = counterparty_of(key)
            body = rt.clients.client("s3").get_object(Bucket=rt.bucket_name("exchange"), Key=key)["Body"].read()
            report = import_resident_changes(rt, counterparty, body)
            results.append({"key": key, **{k: v for k, v in asdict(report).items() if k != "rejects"}})
        except (UnknownCounterparty, FileRefused) as refused:
            get_logger().warning("inbound file refused", extra={"key": key, "reason": str(refused)})
            results.append({"key": key, "status": "refused", "reason": str(refused)})
    get_logger().info("inbound files processed", extra={"results": results})
    return {"files": results}


def daily_reaching_75(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """Next month's 75th birthdays: certificates are mailed the month before, events go to the 広域連合."""
    rt = runtime or default_runtime()
    today = datetime.now(JST).date() if not event.get("today") else date.fromisoformat(event["today"])
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    result = run_reaching_75(rt, first, last, today)
    get_logger().info("reaching-75 run", extra={"from": result["from"], "to": result["to"],
                                                "people": len(result["people"]), "queued": result["queued"]})
    return {k: v for k, v in result.items() if k != "people"} | {"people": len(result["people"])}


def annual_certificate_renewal(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """8/1: renew the 資格確認書 of every insured person the certificate rule covers."""
    rt = runtime or default_runtime()
    today = date.fromisoformat(event["today"]) if event.get("today") else datetime.now(JST).date()
    result = run_annual_renewal(rt, today)
    get_logger().info("certificate renewal", extra=result)
    return result
