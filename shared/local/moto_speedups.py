"""Local mode only: changes to moto's server that let it hold a full-size city (300,000 persons) without changing
what any request returns. `tests/local/test_moto_speedups.py` compares every changed path with moto's own.

1. HTTP: werkzeug's development server answers without Nagle's algorithm and keeps connections alive.
   Without this every response waits ~40 ms for the client's delayed acknowledgement, and every request opens a
   new connection.
2. DynamoDB reads (GetItem, BatchGetItem, Query, Scan): the response body is the JSON of moto's own result,
   which is already in DynamoDB's wire shape. moto's generic serializer walks the API model for every
   attribute of every item, about 4 ms per item: reading 300,000 persons would take 20 minutes.
3. Item order: moto sorts all of a table's items on every Scan page, comparing its own value objects in
   Python; sorting by the key values themselves gives the same order several times faster.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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


def _all_items_by_key(self: Any) -> list[Any]:
    items: list[Any] = []
    for hash_set in self.items.values():
        if self.range_key_attr:
            items.extend(hash_set.values())
        else:
            items.append(hash_set)
    if self.range_key_attr:
        return sorted(items, key=lambda x: (x.hash_key.cast_value, x.range_key.cast_value))
    return sorted(items, key=lambda x: x.hash_key.cast_value)


def install() -> Callable[[], None]:
    """Apply the changes to this process's moto; returns the function that takes them back."""
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler
    from werkzeug.serving import WSGIRequestHandler

    saved = (WSGIRequestHandler.disable_nagle_algorithm, WSGIRequestHandler.protocol_version,
             DynamoHandler.__dict__.get("serialized"), Table.all_items)
    WSGIRequestHandler.disable_nagle_algorithm = True
    WSGIRequestHandler.protocol_version = "HTTP/1.1"
    DynamoHandler.serialized = _fast_reads(DynamoHandler.serialized)  # type: ignore[method-assign]
    Table.all_items = _all_items_by_key  # type: ignore[method-assign]

    def undo() -> None:
        WSGIRequestHandler.disable_nagle_algorithm, WSGIRequestHandler.protocol_version = saved[0], saved[1]
        if saved[2] is None:
            del DynamoHandler.serialized
        else:
            DynamoHandler.serialized = saved[2]  # type: ignore[method-assign]
        Table.all_items = saved[3]  # type: ignore[method-assign]

    return undo
