"""The audit-log table on the request path: one unconditional write per event (design rule 7; PIA-III-2-c,
III-3-f, III-8).

A request's event is one PutItem of a new item. Its condition, `attribute_not_exists(event_id)`, only guards
against an id collision; there is no shared head to read and nothing to retry, so concurrent requests never
wait on each other. If the write fails, AuditAppendFailed propagates and the request fails closed (503, no
data). Reads never scan from the first record: a time window is a key range in each day's partitions, a
person's access history is the `by-target` index, the sealed chain is the `by-seq` index.
"""

from __future__ import annotations

import heapq
import json
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from shared.adapters.dynamo import from_item, query_all, to_item
from shared.domain.audit_events import (
    CHAIN,
    SHARDS,
    AuditEvent,
    day_shard,
    event_id,
    event_item,
    event_time,
    id_floor,
    shard_of,
)
from shared.domain.errors import AuditAppendFailed

__all__ = ["AuditAppendFailed", "AuditEvent", "AuditLog", "EventIds", "TransactionConflict", "plain_record"]

LATEST_DAYS = 31  # how far back "the latest records" look
VIEW = ("event_id", "at", "staff_id", "action", "outcome", "target", "purpose", "request_id", "detail", "seq",
        "prev_hash", "hash", "sealed_at")


class TransactionConflict(Exception):
    """A condition on one of the business items failed; `index` says which."""

    def __init__(self, index: int, code: str) -> None:
        super().__init__(f"transaction item {index} failed: {code}")
        self.index = index
        self.code = code


class EventIds:
    """Time-ordered, unique event ids; one generator per process keeps its events in order within a
    microsecond (the clock may not move between two events, and in tests it never does)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp = ""
        self._counter = 0

    def next(self, at: datetime) -> str:
        stamp = id_floor(at)
        with self._lock:
            self._counter = self._counter + 1 if stamp == self._stamp else 0
            self._stamp, counter = stamp, self._counter
        return event_id(at, counter, secrets.token_hex(6))


_IDS = EventIds()


def plain_record(item: Mapping[str, Any]) -> dict[str, Any]:
    """An event as the API shows it: the event's own fields only (never an attribute added to the item), the
    detail as an object, and `seq` None until it is sealed."""
    record = {name: item.get(name) for name in VIEW}
    record["detail"] = json.loads(item.get("detail") or "{}")
    return record


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


class AuditLog:
    TABLE = "audit-log"

    def __init__(self, client: Any, table: str, clock: Callable[[], datetime], ids: EventIds = _IDS) -> None:
        self._db = client
        self._table = table
        self._clock = clock
        self._ids = ids

    # --- writing: one item per event ------------------------------------------------------------------------
    def new_item(self, event: AuditEvent) -> dict[str, Any]:
        at = self._clock()
        return event_item(event, at, self._ids.next(at))

    def put_request(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """The put of one new event, usable alone or inside a transaction."""
        return {"TableName": self._table, "Item": to_item(item), "ConditionExpression": "attribute_not_exists(#id)",
                "ExpressionAttributeNames": {"#id": "event_id"}}

    def append(self, event: AuditEvent) -> dict[str, Any]:
        """Write the event; AuditAppendFailed (the caller fails closed) when the write does not succeed."""
        item = self.new_item(event)
        try:
            self._db.put_item(**self.put_request(item))
        except (ClientError, BotoCoreError) as error:
            raise AuditAppendFailed(f"the audit event {event.action} could not be written") from error
        return plain_record(item)

    def transact_with(self, items: list[dict[str, Any]], event: AuditEvent) -> dict[str, Any]:
        """Write `items` and the event in one transaction (all or nothing), once.

        A failed condition on a business item is raised as TransactionConflict naming it; any other failure
        as AuditAppendFailed."""
        item = self.new_item(event)
        try:
            self._db.transact_write_items(TransactItems=[*items, {"Put": self.put_request(item)}])
        except ClientError as error:
            reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
            failed = [i for i, code in enumerate(reasons[: len(items)]) if code not in ("None", "")]
            if failed:
                raise TransactionConflict(failed[0], reasons[failed[0]]) from None
            raise AuditAppendFailed(f"the audit event {event.action} could not be written") from error
        except BotoCoreError as error:
            raise AuditAppendFailed(f"the audit event {event.action} could not be written") from error
        return plain_record(item)

    # --- reading through keys and indexes, never a scan -----------------------------------------------------
    def _partition(self, partition: str, low: str, high: str, newest_first: bool, where: Mapping[str, str],
                   page_size: int | None) -> Iterator[dict[str, Any]]:
        names = {"#p": "day_shard", "#id": "event_id"}
        values: dict[str, Any] = {":p": partition, ":lo": low, ":hi": high}
        request: dict[str, Any] = {"KeyConditionExpression": "#p = :p AND #id BETWEEN :lo AND :hi"}
        request.update(_filter(where, names, values))
        if page_size:
            request["PaginationConfig"] = {"PageSize": page_size}
        yield from query_all(self._db, TableName=self._table, ScanIndexForward=not newest_first, ConsistentRead=True,
                             ExpressionAttributeNames=names, ExpressionAttributeValues=to_item(values), **request)

    def window(self, since: datetime, until: datetime, *, newest_first: bool = False,
               where: Mapping[str, str] | None = None, page_size: int | None = None) -> Iterator[dict[str, Any]]:
        """Events with since <= at < until in time order (stored form), read day by day through the key."""
        since, until = _utc(since), _utc(until)
        if until <= since:
            return
        low, high = id_floor(since), id_floor(until)
        first, last = since.date(), (until - timedelta(microseconds=1)).date()
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        for day in reversed(days) if newest_first else days:
            streams = [self._partition(day_shard(day, shard), low, high, newest_first, where or {}, page_size)
                       for shard in range(SHARDS)]
            yield from heapq.merge(*streams, key=lambda item: str(item["event_id"]), reverse=newest_first)

    def between(self, since: datetime, until: datetime, **filters: Any) -> Iterator[dict[str, Any]]:
        """As `window`, in the API's shape."""
        return (plain_record(item) for item in self.window(since, until, **filters))

    def latest(self, limit: int) -> list[dict[str, Any]]:
        """The newest events of the last LATEST_DAYS days, newest first, sealed or not."""
        now = self._clock()
        newest = self.window(now - timedelta(days=LATEST_DAYS), now + timedelta(minutes=1), newest_first=True,
                             page_size=limit)
        return [plain_record(item) for item in islice(newest, limit)]

    def about(self, target: str, since: datetime | None = None, until: datetime | None = None,
              where: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Events whose target is `target` (a person's access history), oldest first, optionally in a window."""
        names = {"#t": "target"}
        values: dict[str, Any] = {":t": target}
        condition = "#t = :t"
        if since is not None or until is not None:
            condition += " AND #id BETWEEN :lo AND :hi"
            names["#id"] = "event_id"
            values[":lo"] = id_floor(_utc(since)) if since else "0"
            values[":hi"] = id_floor(_utc(until)) if until else "9"
        request = {"KeyConditionExpression": condition, **_filter(where or {}, names, values)}
        return [plain_record(item) for item in query_all(
            self._db, TableName=self._table, IndexName="by-target", ExpressionAttributeNames=names,
            ExpressionAttributeValues=to_item(values), **request)]

    def chain(self, after_seq: int = 0) -> Iterator[dict[str, Any]]:
        """Sealed events in seq order, as stored (every attribute): what the verifier walks."""
        yield from query_all(self._db, TableName=self._table, IndexName="by-seq",
                             KeyConditionExpression="#c = :c AND #s > :s",
                             ExpressionAttributeNames={"#c": "chain", "#s": "seq"},
                             ExpressionAttributeValues=to_item({":c": CHAIN, ":s": after_seq}))

    def get(self, seq: int) -> dict[str, Any] | None:
        """The sealed event with this sequence number."""
        page = self._db.query(TableName=self._table, IndexName="by-seq", KeyConditionExpression="#c = :c AND #s = :s",
                              ExpressionAttributeNames={"#c": "chain", "#s": "seq"},
                              ExpressionAttributeValues=to_item({":c": CHAIN, ":s": seq}), Limit=1)
        items = page.get("Items", [])
        return plain_record(from_item(items[0])) if items else None

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """One event by its id, sealed or not (the id names its partition)."""
        try:
            key = {"day_shard": day_shard(event_time(event_id).date(), shard_of(event_id)), "event_id": event_id}
        except ValueError:
            return None
        found = self._db.get_item(TableName=self._table, Key=to_item(key), ConsistentRead=True)
        return plain_record(from_item(found["Item"])) if "Item" in found else None


def _filter(where: Mapping[str, str], names: dict[str, str], values: dict[str, Any]) -> dict[str, str]:
    """A FilterExpression of equalities (staff, action, outcome), evaluated by DynamoDB within the key range."""
    clauses = []
    for n, (attribute, value) in enumerate(sorted(where.items())):
        names[f"#f{n}"] = attribute
        values[f":f{n}"] = value
        clauses.append(f"#f{n} = :f{n}")
    return {"FilterExpression": " AND ".join(clauses)} if clauses else {}
