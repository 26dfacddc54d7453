"""Local mode only: changes to moto's server that let it hold a full-size city (300,000 persons) without changing
what any request returns. `tests/local/test_moto_speedups.py` compares every changed path with moto's own.

1. HTTP: werkzeug's development server answers without Nagle's algorithm and keeps connections alive.
   Without this every response waits ~40 ms for the client's delayed acknowledgement, and every request opens a
   new connection.
2. DynamoDB reads (GetItem, BatchGetItem, Query, Scan): the response body is the JSON of moto's own result,
   which is already in DynamoDB's wire shape. moto's generic serializer walks the API model for every
   attribute of every item, about 4 ms per item: reading 300,000 persons would take 20 minutes.
3. Item order: moto sorts all of a table's items on every Scan page, comparing its own value objects in
   Python; sorting by the key values themselves gives the same order several times faster, and the order is
   kept until the table's next write (a renewal scans 300,000 persons in 300 pages while writing elsewhere).
4. Query: moto walks every item of the table for each Query, on the table's key as on an index — 0.3 s a
   request at 300,000 persons, and the 住基 import asks the `by-household` index once per household it touches.
   A Query with one hash-key equality now starts from the items that can match: those stored under that key,
   or for an index those whose attribute had that value when written (kept up to date by every put and update;
   moto's own loop still checks each candidate, so an item moved or deleted since drops out as before).
5. Segmented Scan: moto answers each page of segment s of n by walking the table from its first item, hashing
   every item's key to find its segment, up to the page's start key — the renewal's 405 pages over 337,135
   persons walked the table 405 times. The items of each segment, in key order, are now kept until the table's
   next write, and a page starts from the first of its segment's items after the start key (found by bisection).
6. Projection: moto turns the whole item into plain JSON once for every attribute a ProjectionExpression names
   (the renewal's scan names 14 of a person's ~30). A projection of top-level names now turns only those
   attributes, once each, through the same conversions; a nested path or a list element goes to moto's own.
"""

from __future__ import annotations

import inspect
import itertools
import json
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FAST_READS", "install"]

FAST_READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan"})
JSON_1_0 = "application/x-amz-json-1.0"


def _no_nulls(value: Any) -> Any:
    """moto's serializer leaves out members that are None; so does this."""
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_nulls(v) for v in value]
    return value


def _fast_reads(original: Callable[..., Any]) -> Callable[..., Any]:
    def serialized(self: Any, action_result: Any) -> Any:
        result = action_result.result
        if self._get_action() in FAST_READS and isinstance(result, dict):
            try:
                body = json.dumps(_no_nulls(result))
            except (TypeError, ValueError):  # bytes, sets …: moto's serializer knows how
                return original(self, action_result)
            headers = {"Content-Type": JSON_1_0, **self.response_headers}
            return 200, headers, body
        return original(self, action_result)

    return serialized


_scope = threading.local()  # the candidates of the Query this thread is answering, if any
_WRITES = itertools.count(1)


@dataclass
class _Kept:
    """What the speedups keep for one table, outside it: moto deep-copies a whole table for every transaction, and
    copying these too would make transactions slower than moto's own (and the benchmark's per-row path with them).
    A copy restored after a failed transaction starts without them and builds them again."""

    writes: int = 0  # a generation: changes on every write
    order: tuple[int, list[Any]] | None = None  # (generation, items in key order)
    # total segments -> (generation, per segment: (sort keys, items) in key order)
    segments: dict[int, tuple[int, list[tuple[list[Any], list[Any]]]]] = field(default_factory=dict)
    lookups: dict[str, dict[tuple[str, str], set[tuple[Any, Any]]]] = field(default_factory=dict)


_KEPT: weakref.WeakKeyDictionary[Any, _Kept] = weakref.WeakKeyDictionary()


def _kept(table: Any) -> _Kept:
    found = _KEPT.get(table)
    if found is None:
        found = _KEPT.setdefault(table, _Kept())
    return found


def _all_items_by_key(self: Any) -> list[Any]:
    only = getattr(_scope, "only", None)
    if only is not None and only[0] is self:
        return list(only[1])
    kept = _kept(self)
    generation = kept.writes  # read first: a write from here on makes the kept order stale
    if kept.order is not None and kept.order[0] == generation:
        return list(kept.order[1])
    items = _stored_items(self)
    if self.range_key_attr:
        items.sort(key=lambda x: (x.hash_key.cast_value, x.range_key.cast_value))
    else:
        items.sort(key=lambda x: x.hash_key.cast_value)
    kept.order = (generation, items)
    return list(items)


def _sort_key(table: Any, item: Any) -> Any:
    """The key _all_items_by_key orders by."""
    if table.range_key_attr:
        return (item.hash_key.cast_value, item.range_key.cast_value)
    return item.hash_key.cast_value


def _segment_lists(table: Any, total: int) -> list[tuple[list[Any], list[Any]]]:
    """Each segment's (sort keys, items) in key order, by moto's own rule (the first byte of the MD5 of the hash
    key's value, modulo the number of segments), kept until the table's next write."""
    from moto.utilities.utils import md5_hash

    kept = _kept(table)
    generation = kept.writes
    found = kept.segments.get(total)
    if found is not None and found[0] == generation:
        return found[1]
    lists: list[tuple[list[Any], list[Any]]] = [([], []) for _ in range(total)]
    for item in _all_items_by_key(table):
        keys, items = lists[md5_hash(item.hash_key.value.encode("utf8")).digest()[0] % total]
        keys.append(_sort_key(table, item))
        items.append(item)
    kept.segments[total] = (generation, lists)
    return lists


def _fast_scan(original: Callable[..., Any]) -> Callable[..., Any]:
    """A segmented Scan of the table (not an index) starts from its segment's items after the start key."""
    import bisect

    from moto.dynamodb.models.dynamo_type import DynamoType

    signature = inspect.signature(original)

    def scan(self: Any, *args: Any, **kwargs: Any) -> Any:
        given = signature.bind(self, *args, **kwargs).arguments
        segment, total = given.get("segments", (None, None))
        if given.get("index_name") or total is None:
            return original(self, *args, **kwargs)
        keys, items = _segment_lists(self, total)[segment]
        start = given.get("exclusive_start_key")
        if start:
            hash_value = DynamoType(start[self.hash_key_attr]).cast_value
            after = (hash_value, DynamoType(start[self.range_key_attr]).cast_value) if self.range_key_attr \
                else hash_value
            items = items[bisect.bisect_right(keys, after):]
        return _answered_from(items, original, self, *args, **kwargs)

    return scan


def _answered_from(candidates: list[Any], original: Callable[..., Any], table: Any, *args: Any, **kwargs: Any) -> Any:
    """moto's own Query or Scan of `table`, walking only `candidates` where it would walk the whole table."""
    _scope.only = (table, candidates)
    try:
        return original(table, *args, **kwargs)
    finally:
        _scope.only = None


def _scalar(value: Any) -> tuple[str, str] | None:
    """A hashable form of an attribute value that can be a key (S, N or B), None for any other."""
    return (value.type, str(value.value)) if value is not None and value.type in ("S", "N", "B") else None


def _noted(table: Any, item: Any) -> None:
    """A write of `item`: the cached order is stale, and each attribute lookup learns the item's value."""
    kept = _kept(table)
    kept.writes = next(_WRITES)  # unique, so two threads' writes never leave the same generation
    if item is None:
        return
    for attribute, by_value in list(kept.lookups.items()):
        _learn(by_value, attribute, item)


def _learn(by_value: dict[tuple[str, str], set[tuple[Any, Any]]], attribute: str, item: Any) -> None:
    found = _scalar(item.attrs.get(attribute))
    if found is not None:
        by_value.setdefault(found, set()).add((item.hash_key, item.range_key))


def _lookup(table: Any, attribute: str) -> dict[tuple[str, str], set[tuple[Any, Any]]]:
    """value -> keys of the items written with that value of `attribute`, built from the table on first use."""
    lookups = _kept(table).lookups
    if attribute not in lookups:
        by_value: dict[tuple[str, str], set[tuple[Any, Any]]] = {}
        lookups[attribute] = by_value
        for item in _stored_items(table):
            _learn(by_value, attribute, item)
    return lookups[attribute]


def _stored_items(table: Any) -> list[Any]:
    """Every item, from a snapshot of the table's dicts (the server's threads write while another reads)."""
    if table.range_key_attr:
        return [item for hash_set in list(table.items.values()) for item in list(hash_set.values())]
    return list(table.items.values())


def _current(table: Any, keys: set[tuple[Any, Any]]) -> list[Any]:
    """The items stored now under `keys` (an item deleted since is gone; one replaced is the new one)."""
    found = []
    for hash_key, range_key in tuple(keys):  # a snapshot: another thread's write may add to the set
        stored = table.items.get(hash_key)
        if stored is not None and table.range_key_attr:
            stored = stored.get(range_key)
        if stored is not None:
            found.append(stored)
    return found


def _candidates(table: Any, hash_key: Any, index_name: str | None,
                conditions: list[tuple[str, Any]] | None) -> list[Any] | None:
    """The items a Query can match, or None to let moto walk the whole table."""
    if index_name is None:
        if hash_key is None:
            return None
        stored = table.items.get(hash_key)
        if stored is None:
            return []
        return list(stored.values()) if table.range_key_attr else [stored]
    if not conditions or len(conditions) != 1:
        return None
    attribute, value = conditions[0]
    wanted = _scalar(value)
    if wanted is None:
        return None
    return _current(table, _lookup(table, attribute).get(wanted, set()))


def _fast_query(original: Callable[..., Any]) -> Callable[..., Any]:
    signature = inspect.signature(original)

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        given = signature.bind(self, *args, **kwargs).arguments
        candidates = _candidates(self, given.get("hash_key"), given.get("index_name"),
                                 given.get("hash_key_conditions"))
        if candidates is None:
            return original(self, *args, **kwargs)
        return _answered_from(candidates, original, self, *args, **kwargs)

    return query


def _noting_put(original: Callable[..., Any]) -> Callable[..., Any]:
    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = original(self, *args, **kwargs)
        _noted(self, item)
        return item

    return put_item


def _noting_delete(original: Callable[..., Any]) -> Callable[..., Any]:
    def delete_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        finally:
            _noted(self, None)

    return delete_item


def _noting_update(original: Callable[..., Any]) -> Callable[..., Any]:
    """UpdateItem changes moto's item in place (or puts a new one, which the put notes)."""
    def update_item(self: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
        item = original(self, table_name, *args, **kwargs)
        _noted(self.get_table(table_name), item)
        return item

    return update_item


def _fast_project(original: Callable[..., Any]) -> Callable[..., Any]:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
    from moto.dynamodb.models.dynamo_type import Item

    deserializer, serializer = TypeDeserializer(), TypeSerializer()

    def project(self: Any, projection_expressions: list[list[str]]) -> Any:
        if any(len(path) != 1 or path[0].endswith("]") for path in projection_expressions):
            return original(self, projection_expressions)
        names = dict.fromkeys(path[0] for path in projection_expressions)
        result = {name: deserializer.deserialize(self.attrs[name].to_regular_json())
                  for name in names if name in self.attrs}
        return Item(hash_key=self.hash_key, range_key=self.range_key, attrs=serializer.serialize(result)["M"])

    return project


def install() -> Callable[[], None]:
    """Apply the changes to this process's moto; returns the function that takes them back."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler
    from werkzeug.serving import WSGIRequestHandler

    saved = (WSGIRequestHandler.disable_nagle_algorithm, WSGIRequestHandler.protocol_version,
             DynamoHandler.__dict__.get("serialized"), Table.all_items, Table.query, Table.put_item,
             Table.delete_item, DynamoDBBackend.update_item, Table.scan, Item.project)
    WSGIRequestHandler.disable_nagle_algorithm = True
    WSGIRequestHandler.protocol_version = "HTTP/1.1"
    DynamoHandler.serialized = _fast_reads(DynamoHandler.serialized)  # type: ignore[method-assign]
    Table.all_items = _all_items_by_key  # type: ignore[method-assign]
    Table.query = _fast_query(Table.query)  # type: ignore[method-assign]
    Table.scan = _fast_scan(Table.scan)  # type: ignore[method-assign]
    Table.put_item = _noting_put(Table.put_item)  # type: ignore[method-assign]
    Table.delete_item = _noting_delete(Table.delete_item)  # type: ignore[method-assign]
    DynamoDBBackend.update_item = _noting_update(DynamoDBBackend.update_item)  # type: ignore[method-assign]
    Item.project = _fast_project(Item.project)  # type: ignore[method-assign]

    def undo() -> None:
        WSGIRequestHandler.disable_nagle_algorithm, WSGIRequestHandler.protocol_version = saved[0], saved[1]
        if saved[2] is None:
            del DynamoHandler.serialized
        else:
            DynamoHandler.serialized = saved[2]  # type: ignore[method-assign]
        Table.all_items, Table.query, Table.put_item, Table.delete_item = saved[3:7]  # type: ignore[method-assign]
        DynamoDBBackend.update_item, Table.scan, Item.project = saved[7:10]  # type: ignore[method-assign]

    return undo
