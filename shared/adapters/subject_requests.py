"""The subject-requests table: disclosure requests and inquiries with their receipts (PIA-IV-1, IV-2)."""

from __future__ import annotations

from typing import Any

from shared.adapters.dynamo import from_item, if_condition_holds, to_item


class SubjectRequestStore:
    TABLE = "subject-requests"

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def add(self, record: dict[str, Any]) -> None:
        self._db.put_item(TableName=self._table, Item=to_item(record),
                          ConditionExpression="attribute_not_exists(request_id)")

    def get(self, request_id: str) -> dict[str, Any] | None:
        item = self._db.get_item(TableName=self._table, Key=to_item({"request_id": request_id}), ConsistentRead=True)
        return from_item(item["Item"]) if "Item" in item else None

    def respond(self, request_id: str, response: str, by: str, at: str) -> bool:
        return if_condition_holds(
            self._db.update_item, TableName=self._table, Key=to_item({"request_id": request_id}),
            UpdateExpression="SET #s = :done, #r = :r, responded_by = :by, responded_at = :at",
            ConditionExpression="attribute_exists(request_id)",
            ExpressionAttributeNames={"#s": "status", "#r": "response"},
            ExpressionAttributeValues=to_item({":done": "responded", ":r": response, ":by": by, ":at": at}))
