"""The synthetic city the batch crash tests run on, and what they compare (fixtures: conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from functions.intake.demo import change_rows
from functions.intake.rules.resident_changes import COLUMNS
from shared.adapters.dynamo import from_item
from shared.runtime import Runtime

__all__ = ["NOW", "PERSONS", "TODAY", "Killed", "disarm", "resident_file", "table_contents"]

TODAY = date(2027, 8, 1)
PERSONS = 240
NOW = datetime(2027, 8, 1, 1, 0, tzinfo=UTC)  # every stack's clock stands still: timestamps compare equal


class Killed(BaseException):
    """The process died (a Lambda time-out, an out-of-memory kill): nothing below the worker catches it."""


def resident_file(rows: int = PERSONS) -> bytes:
    """A 住基異動 file of the synthetic city, as the counterparty jyuki-renkei-utf8 sends it."""
    lines = [",".join(COLUMNS)] + [",".join(r[c] for c in COLUMNS) for r in change_rows(PERSONS, rows, TODAY)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def table_contents(rt: Runtime, table: str, key: str) -> dict[str, dict[str, Any]]:
    """Every item of a table by key, with sealed My Numbers opened (each stack seals with its own keys)."""
    items: dict[str, dict[str, Any]] = {}
    client = rt.clients.client("dynamodb")
    for page in client.get_paginator("scan").paginate(TableName=rt.table_name(table), ConsistentRead=True):
        for raw in page["Items"]:
            item = from_item(raw)
            if item.get("mynumber_enc"):
                item["mynumber_enc"] = str(rt.vault.decrypt(item["mynumber_enc"]))
                item.pop("mynumber_index", None)
            items[str(item[key])] = item
    return items


def disarm(rt: Runtime, operation: str) -> None:
    """Undo `kill_at` for one operation: the process that resumes the job is a new one."""
    rt.clients.client("dynamodb").meta.events.unregister(f"before-call.dynamodb.{operation}",
                                                          unique_id=f"kill-{operation}")
