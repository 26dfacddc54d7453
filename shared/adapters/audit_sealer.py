"""The sealer's access to the audit-log table: find written events, link them into the chain (design rule 7;
PIA-III-2-c, III-8).

Unsealed events carry `pending` (their shard), so the sparse `unsealed` index lists exactly the events still to
seal, oldest first, however late an event arrives. A seal claims its sequence numbers before it writes them:

1. read the candidates again with a strongly consistent read (the index may lag behind an earlier seal) and
   compute their seal (seq, link, hash) after the head;
2. **claim**: one conditional write of the head item records the whole batch as `batch`, only if the head still
   says n and no other batch is in flight. Of two sealers at once, one claims and the other starts again, so the
   chain cannot fork;
3. **apply**: each event gets its seq, link and hash, only if it has none yet or already has exactly this seq
   (applying twice is harmless);
4. **finalize**: the head moves to n + k and the claim is removed.
A sealer that stops between 2 and 4 leaves the claim in the head item; the next run (or any sealer) applies and
finalizes it first. Plain conditional writes, no transaction: a batch costs k + 2 writes, and only this adapter
updates the table, only these attributes (IAM enforces that in production: infra/audit_log.py).
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from shared.adapters.dynamo import from_item, if_condition_holds, query_all, to_item
from shared.domain.audit_chain import GENESIS, Head, seal_batch
from shared.domain.audit_events import HEAD_KEY, SHARDS, id_floor
from shared.observability import get_logger

__all__ = ["AuditSealer", "Claim", "SealResult", "SealerState"]

BATCH = 100  # events per claim: one consistent BatchGetItem
MAX_CLAIMS_LOST = 8  # claims lost to another sealer, per call, before giving up until the next run


class SealResult(NamedTuple):
    sealed: int
    head: Head


class Claim(NamedTuple):
    """A batch claimed in the head item and not yet finalized."""

    start: Head  # the head it was claimed after
    end: Head  # the head once it is finalized
    sealed_at: str
    records: list[dict[str, Any]]  # day_shard, event_id, seq, prev_hash, hash
    raw: str  # the claim as stored: finalizing removes exactly this one


class SealerState(NamedTuple):
    head: Head
    claim: Claim | None


class AuditSealer:
    TABLE = "audit-log"

    def __init__(self, client: Any, table: str, clock: Callable[[], datetime]) -> None:
        self._db = client
        self._table = table
        self._clock = clock

    # --- reading -------------------------------------------------------------------------------------------
    def state(self) -> SealerState:
        """The head as last finalized, and the claim in flight if any (strongly consistent)."""
        found = self._db.get_item(TableName=self._table, Key=to_item(HEAD_KEY), ConsistentRead=True)
        if "Item" not in found:
            return SealerState(GENESIS, None)
        item = from_item(found["Item"])
        head = Head(int(item.get("head_seq", 0)), str(item.get("head_hash", GENESIS.hash)))
        if "batch" not in item:
            return SealerState(head, None)
        batch = json.loads(item["batch"])
        last = batch["records"][-1]
        return SealerState(head, Claim(head, Head(int(last["seq"]), last["hash"]), batch["sealed_at"],
                                       batch["records"], item["batch"]))

    def head(self) -> Head:
        return self.state().head

    def unsealed(self, before: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Events not yet sealed, oldest id first; only those written before `before` if given."""
        streams = [self._pending(shard, before) for shard in range(SHARDS)]
        return heapq.merge(*streams, key=lambda item: str(item["event_id"]))

    def _pending(self, shard: int, before: datetime | None) -> Iterator[dict[str, Any]]:
        condition, names, values = "#pd = :pd", {"#pd": "pending"}, {":pd": str(shard)}
        if before is not None:
            condition += " AND #id < :before"
            names["#id"], values[":before"] = "event_id", id_floor(before)
        # The index holds keys only; `_current` reads the items themselves, consistently, before they are sealed.
        yield from query_all(self._db, TableName=self._table, IndexName="unsealed", KeyConditionExpression=condition,
                             ExpressionAttributeNames=names, ExpressionAttributeValues=to_item(values),
                             PaginationConfig={"PageSize": BATCH})

    def _current(self, candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The candidates as they are now (consistent read), in the same order, without those already sealed."""
        keys = [{"day_shard": c["day_shard"], "event_id": c["event_id"]} for c in candidates]
        found: dict[str, dict[str, Any]] = {}
        request = {self._table: {"Keys": [to_item(k) for k in keys], "ConsistentRead": True}}
        while request:
            page = self._db.batch_get_item(RequestItems=request)
            for raw in page.get("Responses", {}).get(self._table, []):
                item = from_item(raw)
                found[item["event_id"]] = item
            request = page.get("UnprocessedKeys") or {}
        return [found[k["event_id"]] for k in keys if k["event_id"] in found and "seq" not in found[k["event_id"]]]

    # --- sealing -------------------------------------------------------------------------------------------
    def seal(self, through: datetime, limit: int = 10_000) -> SealResult:
        """Seal up to `limit` events written at or before `through`, in id order, after the current head."""
        before = through + timedelta(microseconds=1)
        sealed, lost = 0, 0
        while sealed < limit and lost < MAX_CLAIMS_LOST:
            state = self.state()
            if state.claim is not None:  # a seal stopped halfway (or is running elsewhere): finish it first
                self._apply(state.claim)
                self._finalize(state.claim)
                continue
            candidates = []
            for item in self.unsealed(before):
                candidates.append(item)
                if len(candidates) == min(BATCH, limit - sealed):
                    break
            events = self._current(candidates) if candidates else []
            if not events:
                break
            claim = self._claim(state.head, events)
            if claim is None:
                lost += 1
                continue
            self._apply(claim)
            self._finalize(claim)
            sealed += len(claim.records)
        return SealResult(sealed, self.state().head)

    def _claim(self, head: Head, events: list[dict[str, Any]]) -> Claim | None:
        sealed_at = self._clock().isoformat()
        records = [{k: r[k] for k in ("day_shard", "event_id", "seq", "prev_hash", "hash")}
                   for r in seal_batch(events, head, sealed_at)]
        batch = json.dumps({"sealed_at": sealed_at, "records": records}, separators=(",", ":"))
        condition = "attribute_not_exists(#b) AND " + ("#hs = :old" if head.seq else "attribute_not_exists(#hs)")
        claimed = if_condition_holds(
            self._db.update_item, TableName=self._table, Key=to_item(HEAD_KEY), UpdateExpression="SET #b = :b",
            ConditionExpression=condition, ExpressionAttributeNames={"#b": "batch", "#hs": "head_seq"},
            ExpressionAttributeValues=to_item({":b": batch, **({":old": head.seq} if head.seq else {})}))
        if not claimed:
            return None
        return Claim(head, Head(records[-1]["seq"], records[-1]["hash"]), sealed_at, records, batch)

    def _apply(self, claim: Claim) -> None:
        for r in claim.records:
            applied = if_condition_holds(
                self._db.update_item, TableName=self._table,
                Key=to_item({"day_shard": r["day_shard"], "event_id": r["event_id"]}),
                UpdateExpression="SET #c = :c, #s = :s, #p = :p, #sa = :sa, #h = :h REMOVE #pd",
                ConditionExpression="attribute_exists(#id) AND (attribute_not_exists(#s) OR #s = :s)",
                ExpressionAttributeNames={"#c": "chain", "#s": "seq", "#p": "prev_hash", "#sa": "sealed_at",
                                          "#h": "hash", "#pd": "pending", "#id": "event_id"},
                ExpressionAttributeValues=to_item({":c": "main", ":s": r["seq"], ":p": r["prev_hash"],
                                                   ":sa": claim.sealed_at, ":h": r["hash"]}))
            if not applied:  # gone, or given another seq meanwhile: the chain will show it; the seq stays claimed
                get_logger().warning("a claimed audit event could not be sealed",
                                     extra={"event_id": r["event_id"], "seq": r["seq"]})

    def _finalize(self, claim: Claim) -> None:
        if_condition_holds(
            self._db.update_item, TableName=self._table, Key=to_item(HEAD_KEY),
            UpdateExpression="SET #hs = :seq, #hh = :hash, #sa = :at REMOVE #b", ConditionExpression="#b = :b",
            ExpressionAttributeNames={"#hs": "head_seq", "#hh": "head_hash", "#sa": "sealed_at", "#b": "batch"},
            ExpressionAttributeValues=to_item({":seq": claim.end.seq, ":hash": claim.end.hash, ":at": claim.sealed_at,
                                               ":b": claim.raw}))
