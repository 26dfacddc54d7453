"""Records waiting for a counterparty (the transfer workflow sends them); each with its time (PIA-II-5-a).

Queue ids can be derived from what caused the entry, so re-running a batch never queues a record twice.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from shared.adapters.dynamo import from_item, if_condition_holds, query_all, query_page, to_item
from shared.domain.ids import new_id

READY = "ready"
SENT = "sent"


class TransferQueue:
    TABLE = "transfer-queue"

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self.table = table

    @staticmethod
    def record(*, kind: str, counterparty: str, entity_id: str, reference: str, at: datetime,
               summary: dict[str, Any] | None = None, queue_id: str | None = None) -> dict[str, Any]:
        """A queue entry as stored; bulk paths write it with BatchWriteItem under a derived queue_id, so writing
        it again leaves the same entry."""
        return {"queue_id": queue_id or new_id("TQ"), "kind": kind, "counterparty": counterparty,
                "entity_id": entity_id, "reference": reference, "queued_at": at.isoformat(),
                "counterparty_status": f"{counterparty}#{READY}",
                "summary": json.dumps(summary or {}, ensure_ascii=False, sort_keys=True)}

    def enqueue_item(self, **kwargs: Any) -> dict[str, Any]:
        """A transaction item queueing one record; with a derived queue_id a second enqueue is refused."""
        return {"Put": {"TableName": self.table, "ConditionExpression": "attribute_not_exists(queue_id)",
                        "Item": to_item(self.record(**kwargs))}}

    def enqueue(self, **kwargs: Any) -> bool:
        """Queue one record; False when a record with that queue_id is already queued (idempotent)."""
        return if_condition_holds(self._db.put_item, **self.enqueue_item(**kwargs)["Put"])

    def ready(self, counterparty: str) -> list[dict[str, Any]]:
        items = query_all(self._db, TableName=self.table, IndexName="by-counterparty-status",
                          KeyConditionExpression="counterparty_status = :s",
                          ExpressionAttributeValues=to_item({":s": f"{counterparty}#{READY}"}))
        return [{**item, "summary": json.loads(item.get("summary") or "{}")} for item in items]

    def ready_page(self, counterparty: str, limit: int, start: dict[str, Any] | None,
                   ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One page of the records ready for a counterparty, oldest first, and where to go on."""
        items, after = query_page(self._db, limit, start, TableName=self.table, IndexName="by-counterparty-status",
                                  KeyConditionExpression="counterparty_status = :s",
                                  ExpressionAttributeValues=to_item({":s": f"{counterparty}#{READY}"}))
        return [{**item, "summary": json.loads(item.get("summary") or "{}")} for item in items], after

    def get(self, queue_id: str) -> dict[str, Any] | None:
        item = self._db.get_item(TableName=self.table, Key=to_item({"queue_id": queue_id}))
        return from_item(item["Item"]) if "Item" in item else None

    def queued_between(self, counterparty: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Entries queued for the counterparty in [since, until) and not yet settled, in queue order."""
        items = query_all(self._db, TableName=self.table, IndexName="by-counterparty-status",
                          KeyConditionExpression="counterparty_status = :s AND queued_at BETWEEN :a AND :b",
                          ExpressionAttributeValues=to_item({":s": f"{counterparty}#{READY}",
                                                             ":a": since.isoformat(), ":b": until.isoformat()}))
        found = [{**item, "summary": json.loads(item.get("summary") or "{}")} for item in items]
        return sorted((i for i in found if i["queued_at"] < until.isoformat()),
                      key=lambda i: (i["queued_at"], i["queue_id"]))

    def settle(self, queue_id: str, counterparty: str, reference: str) -> None:
        """Take an entry off the ready list once the file that carried it was sent (corrections)."""
        self._db.update_item(TableName=self.table, Key=to_item({"queue_id": queue_id}),
                             UpdateExpression="SET counterparty_status = :s, sent_in = :r",
                             ExpressionAttributeValues=to_item({":s": f"{counterparty}#{SENT}", ":r": reference}))
