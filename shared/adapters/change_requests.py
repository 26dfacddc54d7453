"""The change-requests table: pending maker-checker changes, expiring by TTL."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from shared.adapters.dynamo import from_item, if_condition_holds, query_all, query_page, to_item
from shared.domain.changes import ChangeRequest, Operation, Status


class ChangeRequestStore:
    TABLE = "change-requests"

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self.table = table

    def add(self, request: ChangeRequest) -> None:
        self._db.put_item(TableName=self.table, Item=to_item(_to_values(request)),
                          ConditionExpression="attribute_not_exists(request_id)")

    def get(self, request_id: str) -> ChangeRequest | None:
        item = self._db.get_item(TableName=self.table, Key=to_item({"request_id": request_id}), ConsistentRead=True)
        return _from_values(from_item(item["Item"])) if "Item" in item else None

    def with_status(self, status: Status, workflow: str | None = None) -> list[ChangeRequest]:
        found = [_from_values(v) for v in query_all(
            self._db, TableName=self.table, IndexName="by-status", KeyConditionExpression="#s = :s",
            ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues=to_item({":s": status.value}))]
        return [r for r in found if workflow is None or r.workflow == workflow]

    def pending_page(self, workflow: str, now: datetime, limit: int, start: dict[str, Any] | None,
                     ) -> tuple[list[ChangeRequest], dict[str, Any] | None]:
        """One page of a workflow's pending, unexpired requests, oldest first, and where to go on."""
        items, after = query_page(
            self._db, limit, start, TableName=self.table, IndexName="by-status",
            KeyConditionExpression="#s = :s", FilterExpression="workflow = :w AND expires_at > :now",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=to_item({":s": Status.PENDING.value, ":w": workflow,
                                               ":now": int(now.timestamp())}))
        return [_from_values(v) for v in items], after

    def about(self, entity_id: str) -> list[ChangeRequest]:
        """Every change request about one record, oldest first."""
        return [_from_values(v) for v in query_all(
            self._db, TableName=self.table, IndexName="by-entity", KeyConditionExpression="entity_id = :e",
            ExpressionAttributeValues=to_item({":e": entity_id}))]

    def decide_item(self, request_id: str, status: Status, by: str, at: datetime, reason: str | None) -> dict[str, Any]:
        """A transaction item: pending -> status, only if still pending."""
        return {"Update": {
            "TableName": self.table,
            "Key": to_item({"request_id": request_id}),
            "UpdateExpression": "SET #s = :new, decided_by = :by, decided_at = :at, decision_reason = :why",
            "ConditionExpression": "#s = :pending",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": to_item({":new": status.value, ":by": by, ":at": at.isoformat(),
                                                  ":why": reason or "-", ":pending": Status.PENDING.value}),
        }}

    def decide(self, request_id: str, status: Status, by: str, at: datetime, reason: str | None) -> bool:
        """Decide without touching the record (reject, expire); False when no longer pending."""
        return if_condition_holds(self._db.update_item, **self.decide_item(request_id, status, by, at,
                                                                           reason)["Update"])


def _to_values(r: ChangeRequest) -> dict[str, Any]:
    return {
        "request_id": r.request_id, "workflow": r.workflow, "entity": r.entity, "entity_id": r.entity_id,
        "operation": r.operation.value, "changes": json.dumps(r.changes, ensure_ascii=False), "reason": r.reason,
        "maker": r.maker, "base_version": r.base_version, "created_at": r.created_at.isoformat(),
        "expires_at": int(r.expires_at.timestamp()), "status": r.status.value, "sealed": r.sealed or None,
        "follow_up": json.dumps(r.follow_up, ensure_ascii=False) if r.follow_up else None,
    }


def _from_values(v: dict[str, Any]) -> ChangeRequest:
    decided_at = v.get("decided_at")
    return ChangeRequest(
        request_id=v["request_id"], workflow=v["workflow"], entity=v["entity"], entity_id=v["entity_id"],
        operation=Operation(v["operation"]), changes=json.loads(v["changes"]), reason=v["reason"],
        maker=v["maker"], base_version=int(v["base_version"]),
        created_at=datetime.fromisoformat(v["created_at"]),
        expires_at=datetime.fromtimestamp(int(v["expires_at"]), tz=datetime.fromisoformat(v["created_at"]).tzinfo),
        status=Status(v["status"]), decided_by=v.get("decided_by"),
        decided_at=datetime.fromisoformat(decided_at) if decided_at else None,
        decision_reason=v.get("decision_reason"), sealed=v.get("sealed") or {},
        follow_up=json.loads(v["follow_up"]) if v.get("follow_up") else {},
    )
