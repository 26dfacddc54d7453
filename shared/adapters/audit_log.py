"""The append-only audit log table (design rule 7).

Records are `(chain, seq)` items. An append reads the head, computes the next record, and writes it with
`attribute_not_exists`: when several Lambda instances append at once, exactly one wins each seq and the
others retry on the new head, so the chain never forks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.adapters.dynamo import from_item, if_condition_holds, query_all, to_item
from shared.domain.audit_chain import GENESIS_HASH, ChainReport, record_hash, verify_chain

CHAIN = "main"
MAX_APPEND_ATTEMPTS = 50


@dataclass(frozen=True)
class AuditEvent:
    staff_id: str  # who; "anonymous" when no verified identity exists (refused sign-in)
    action: str  # e.g. "auth.sign-in", "person.mynumber-read"
    outcome: str  # "success" | "refused" | "failure"
    target: str = "-"  # person or resource id
    purpose: str = "-"
    request_id: str = "-"
    detail: Mapping[str, str] = field(default_factory=dict)


class AuditAppendFailed(RuntimeError):
    pass


class TransactionConflict(Exception):
    """A condition on one of the business items failed; `index` says which."""

    def __init__(self, index: int, code: str) -> None:
        super().__init__(f"transaction item {index} failed: {code}")
        self.index = index
        self.code = code


class AuditLog:
    TABLE = "audit-log"

    def __init__(self, client: Any, table: str, clock: Callable[[], datetime]) -> None:
        self._db = client
        self._table = table
        self._clock = clock

    def head(self) -> tuple[int, str]:
        """(seq, hash) of the latest record, (0, genesis) for an empty log."""
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="chain = :c",
            ExpressionAttributeValues=to_item({":c": CHAIN}),
            ScanIndexForward=False,
            Limit=1,
            ConsistentRead=True,
        )
        items = page.get("Items", [])
        if not items:
            return 0, GENESIS_HASH
        latest = from_item(items[0])
        return int(latest["seq"]), latest["hash"]

    def build_record(self, event: AuditEvent, head: tuple[int, str]) -> dict[str, Any]:
        seq, prev_hash = head
        record: dict[str, Any] = {
            "seq": seq + 1,
            "at": self._clock().isoformat(),
            "staff_id": event.staff_id,
            "action": event.action,
            "target": event.target,
            "purpose": event.purpose,
            "outcome": event.outcome,
            "request_id": event.request_id,
            "detail": dict(event.detail),
            "prev_hash": prev_hash,
        }
        record["hash"] = record_hash(record)
        return record

    def put_item(self, record: dict[str, Any]) -> dict[str, Any]:
        """The conditional put of one record, usable alone or inside a transaction."""
        return {
            "TableName": self._table,
            "Item": to_item({**record, "chain": CHAIN, "detail": json.dumps(record["detail"], ensure_ascii=False)}),
            "ConditionExpression": "attribute_not_exists(seq)",
        }

    def transact_with(self, items: list[dict[str, Any]], event: AuditEvent) -> dict[str, Any]:
        """Write `items` and the audit record in one transaction (all or nothing).

        Retries only when the audit seq was taken by a concurrent writer; any other failed condition is
        raised as TransactionConflict naming the item that failed.
        """
        for _ in range(MAX_APPEND_ATTEMPTS):
            record = self.build_record(event, self.head())
            try:
                self._db.transact_write_items(TransactItems=[*items, {"Put": self.put_item(record)}])
                return record
            except self._db.exceptions.TransactionCanceledException as error:
                reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
                failed = [i for i, code in enumerate(reasons[: len(items)]) if code not in ("None", "")]
                if failed:
                    raise TransactionConflict(failed[0], reasons[failed[0]]) from None
        raise AuditAppendFailed(f"could not append {event.action} after {MAX_APPEND_ATTEMPTS} attempts")

    def try_append(self, event: AuditEvent, head: tuple[int, str]) -> dict[str, Any] | None:
        """Write the record after `head`; None if another writer took that seq first."""
        record = self.build_record(event, head)
        return record if if_condition_holds(self._db.put_item, **self.put_item(record)) else None

    def append(self, event: AuditEvent) -> dict[str, Any]:
        for _ in range(MAX_APPEND_ATTEMPTS):
            record = self.try_append(event, self.head())
            if record is not None:
                return record
        raise AuditAppendFailed(f"could not append {event.action} after {MAX_APPEND_ATTEMPTS} attempts")

    def records(self, after_seq: int = 0) -> Iterator[dict[str, Any]]:
        """All records in seq order, streamed page by page."""
        for item in query_all(
            self._db,
            TableName=self._table,
            KeyConditionExpression="chain = :c AND seq > :s",
            ExpressionAttributeValues=to_item({":c": CHAIN, ":s": after_seq}),
            ConsistentRead=True,
        ):
            yield _plain_record(item)

    def about(self, target: str) -> list[dict[str, Any]]:
        """Every record whose target is `target` (a person's access history), oldest first."""
        return [_plain_record(item) for item in query_all(
            self._db, TableName=self._table, IndexName="by-target", KeyConditionExpression="target = :t",
            ExpressionAttributeValues=to_item({":t": target}))]

    def get(self, seq: int) -> dict[str, Any] | None:
        item = self._db.get_item(TableName=self._table, Key=to_item({"chain": CHAIN, "seq": seq}), ConsistentRead=True)
        return _plain_record(from_item(item["Item"])) if "Item" in item else None

    def latest(self, limit: int) -> list[dict[str, Any]]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="chain = :c",
            ExpressionAttributeValues=to_item({":c": CHAIN}),
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_plain_record(from_item(raw)) for raw in page.get("Items", [])]

    def verify(self) -> ChainReport:
        return verify_chain(self.records())


def _plain_record(item: dict[str, Any]) -> dict[str, Any]:
    item.pop("chain", None)
    item["detail"] = json.loads(item.get("detail") or "{}")
    return item


class AuditDigests:
    """Digests of the chain in the audit bucket, each locked in compliance mode for the audit retention."""

    def __init__(self, s3: Any, bucket: str, retention_days: int) -> None:
        self._s3 = s3
        self.bucket = bucket
        self._retention = timedelta(days=retention_days)

    def write(self, report: ChainReport, now: datetime) -> str:
        """Store the chain's digest; returns the object key."""
        key = f"digests/{now:%Y/%m/%d}/{now:%Y%m%dT%H%M%S%fZ}.json"
        body = json.dumps(
            {"latest_hash": report.latest_hash, "record_count": report.count, "verified_at": now.isoformat()},
            sort_keys=True,
        ).encode()
        self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="application/json",
                            ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=now + self._retention,
                            ChecksumAlgorithm="SHA256")
        return key
