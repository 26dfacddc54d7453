"""The transfer ledger (PIA-III-5-a, III-2-h): one entry per transfer, refusal, re-run or omission.

The transfer workflow writes it; the platform's self-inspection reads it (two workflows, so it lives here).
A file sent for (job, period) has the entry id `SENT#<job>#<period>`, written only if absent: a period is sent
once, however often it is run. Every other entry (refused, not resent) gets an id of its own. Entries carry no
My Number; omitted people are named by their person id only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from shared.adapters.dynamo import from_item, if_condition_holds, query_all, to_item

__all__ = ["SENT", "TransferLedger", "sent_entry_id"]

SENT = "sent"


def sent_entry_id(job: str, period: str) -> str:
    return f"SENT#{job}#{period}"


def _months(since: datetime, until: datetime) -> Iterator[str]:
    year, month = since.year, since.month
    while (year, month) <= (until.year, until.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _plain(entry: dict[str, Any]) -> dict[str, Any]:
    for name in ("fields", "omitted_ids", "requeued"):
        if isinstance(entry.get(name), str):
            entry[name] = json.loads(entry[name])
    return entry


class TransferLedger:
    TABLE = "transfer-ledger"

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self.table = table

    def record(self, entry: dict[str, Any]) -> bool:
        """Store an entry; False when an entry with its id exists (a period already sent)."""
        at = datetime.fromisoformat(entry["recorded_at"]).astimezone(UTC)
        item = {**entry, "month": f"{at:%Y-%m}", "period_sort": f"{entry['period']}#{entry['recorded_at']}"}
        for name in ("fields", "omitted_ids", "requeued"):
            if name in item:
                item[name] = json.dumps(item[name], ensure_ascii=False)
        return if_condition_holds(self._db.put_item, TableName=self.table, Item=to_item(item),
                                  ConditionExpression="attribute_not_exists(entry_id)")

    def get(self, entry_id: str) -> dict[str, Any] | None:
        item = self._db.get_item(TableName=self.table, Key=to_item({"entry_id": entry_id}), ConsistentRead=True)
        return _plain(from_item(item["Item"])) if "Item" in item else None

    def of_job(self, job: str) -> list[dict[str, Any]]:
        return [_plain(i) for i in query_all(self._db, TableName=self.table, IndexName="by-job",
                                              KeyConditionExpression="job = :j",
                                              ExpressionAttributeValues=to_item({":j": job}))]

    def last_sent(self, job: str) -> date | None:
        """The last day of the latest period sent for the job (corrections do not count)."""
        ends = [e["period_last"] for e in self.of_job(job) if e.get("result") == SENT and not e.get("correction")]
        return date.fromisoformat(max(ends)) if ends else None

    def between(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Entries recorded in [since, until), oldest first (the auditor's view and the self-inspection)."""
        since, until = since.astimezone(UTC), until.astimezone(UTC)  # entries are recorded in UTC
        found: list[dict[str, Any]] = []
        for month in _months(since, until):
            found += [_plain(i) for i in query_all(
                self._db, TableName=self.table, IndexName="by-month",
                KeyConditionExpression="#m = :m AND recorded_at BETWEEN :a AND :b",
                ExpressionAttributeNames={"#m": "month"},
                ExpressionAttributeValues=to_item({":m": month, ":a": since.isoformat(), ":b": until.isoformat()}))]
        return sorted((e for e in found if e["recorded_at"] < until.isoformat()),
                      key=lambda e: (e["recorded_at"], e["entry_id"]))
