"""The sealer's access to the audit-log table: find written events, link them into the chain (design rule 7;
PIA-III-2-c, III-8).

Unsealed events carry `pending` (their shard), so the sparse `unsealed` index lists exactly the events still to
seal, oldest first, however late an event arrives. A seal is one transaction: the head item moves from seq n to
n + k only if it still says n, and each of the k events gets its seq, link and hash only if it has none yet. Two
sealers running at once therefore cannot fork the chain: the second one's transaction fails and it starts again
from the new head. Only this adapter updates the table, and only the seal attributes (IAM enforces that in
production: infra/audit_log.py).
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from botocore.exceptions import ClientError

from shared.adapters.dynamo import from_item, query_all, to_item
from shared.domain.audit_chain import GENESIS, Head, seal_batch
from shared.domain.audit_events import HEAD_KEY, SHARDS, id_floor

__all__ = ["AuditSealer", "SealResult"]

BATCH = 99  # a transaction holds 100 items: the head and 99 events
MAX_ATTEMPTS = 8  # transactions lost to another sealer or to index lag, per call


class SealResult(NamedTuple):
    sealed: int
    head: Head


class AuditSealer:
    TABLE = "audit-log"

    def __init__(self, client: Any, table: str, clock: Callable[[], datetime]) -> None:
        self._db = client
        self._table = table
        self._clock = clock

    def head(self) -> Head:
        """The chain's head as the sealer last left it (strongly consistent)."""
        found = self._db.get_item(TableName=self._table, Key=to_item(HEAD_KEY), ConsistentRead=True)
        if "Item" not in found:
            return GENESIS
        item = from_item(found["Item"])
        return Head(int(item["head_seq"]), str(item["head_hash"]))

    def unsealed(self, before: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Events not yet sealed, oldest id first; only those written before `before` if given."""
        streams = [self._pending(shard, before) for shard in range(SHARDS)]
        return heapq.merge(*streams, key=lambda item: str(item["event_id"]))

    def _pending(self, shard: int, before: datetime | None) -> Iterator[dict[str, Any]]:
        condition, values = "#pd = :pd", {":pd": str(shard)}
        if before is not None:
            condition += " AND #id < :before"
            values[":before"] = id_floor(before)
        for item in query_all(self._db, TableName=self._table, IndexName="unsealed", KeyConditionExpression=condition,
                              ExpressionAttributeNames={"#pd": "pending", "#id": "event_id"},
                              ExpressionAttributeValues=to_item(values)):
            if "seq" not in item:  # the index can lag behind a seal by a moment
                yield item

    def seal(self, through: datetime, limit: int = 10_000) -> SealResult:
        """Seal up to `limit` events written at or before `through`, in id order, after the current head."""
        before = through + timedelta(microseconds=1)
        sealed, attempts, skip = 0, 0, set()
        head = self.head()
        while sealed < limit:
            batch = []
            for item in self.unsealed(before):
                if item["event_id"] not in skip:
                    batch.append(item)
                    if len(batch) == min(BATCH, limit - sealed):
                        break
            if not batch:
                break
            records = seal_batch(batch, head, self._clock().isoformat())
            failed = self._commit(head, records)
            if failed is None:
                sealed += len(records)
                head = Head(records[-1]["seq"], records[-1]["hash"])
                continue
            attempts += 1
            if attempts >= MAX_ATTEMPTS:
                break
            skip |= {records[i - 1]["event_id"] for i in failed if i > 0}
            head = self.head()  # another sealer moved it, or events were sealed meanwhile
            time.sleep(0.05 * attempts)
        return SealResult(sealed, head)

    def _commit(self, head: Head, records: list[dict[str, Any]]) -> list[int] | None:
        """Write the seal of `records` after `head`; None when done, else the indexes of failed items."""
        sealed_at = records[-1]["sealed_at"]
        move: dict[str, Any] = {
            "TableName": self._table, "Key": to_item(HEAD_KEY),
            "UpdateExpression": "SET #hs = :seq, #hh = :hash, #sa = :at",
            "ConditionExpression": "#hs = :old" if head.seq else "attribute_not_exists(#hs)",
            "ExpressionAttributeNames": {"#hs": "head_seq", "#hh": "head_hash", "#sa": "sealed_at"},
            "ExpressionAttributeValues": to_item({":seq": records[-1]["seq"], ":hash": records[-1]["hash"],
                                                  ":at": sealed_at, **({":old": head.seq} if head.seq else {})}),
        }
        updates = [{"Update": {
            "TableName": self._table, "Key": to_item({"day_shard": r["day_shard"], "event_id": r["event_id"]}),
            "UpdateExpression": "SET #c = :c, #s = :s, #p = :p, #sa = :sa, #h = :h REMOVE #pd",
            "ConditionExpression": "attribute_exists(#id) AND attribute_not_exists(#s)",
            "ExpressionAttributeNames": {"#c": "chain", "#s": "seq", "#p": "prev_hash", "#sa": "sealed_at",
                                         "#h": "hash", "#pd": "pending", "#id": "event_id"},
            "ExpressionAttributeValues": to_item({":c": r["chain"], ":s": r["seq"], ":p": r["prev_hash"],
                                                  ":sa": r["sealed_at"], ":h": r["hash"]}),
        }} for r in records]
        try:
            self._db.transact_write_items(TransactItems=[{"Update": move}, *updates])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
            return [i for i, code in enumerate(reasons) if code not in ("None", "")]
        return None
