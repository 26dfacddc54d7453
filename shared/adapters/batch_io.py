"""Batched DynamoDB reads and writes for bulk paths (design rule 8).

BatchGetItem reads up to 100 keys and BatchWriteItem writes up to 25 items per request. Both may hand back part
of the work (UnprocessedKeys, UnprocessedItems) when a table is throttled; that part is retried with backoff and
jitter a bounded number of times, and what is still left then is an error, never a silent loss.
BatchWriteItem takes no conditions and is not a transaction: callers write items whose content is derived
deterministically from their input, so writing one twice is harmless.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from shared.adapters.dynamo import from_item, to_item
from shared.adapters.retry import backoff_delay

__all__ = ["MAX_GET", "MAX_WRITE", "BatchWriter", "Unprocessed", "batch_get"]

MAX_GET = 100
MAX_WRITE = 25
ATTEMPTS = 8
BASE_SECONDS = 0.05
CAP_SECONDS = 5.0


class Unprocessed(RuntimeError):
    """DynamoDB still had not processed some keys or items after every allowed retry."""


def batch_get(client: Any, table: str, keys: Sequence[Mapping[str, Any]], *, projection: Sequence[str] = (),
              consistent: bool = True, attempts: int = ATTEMPTS,
              sleep: Callable[[float], None] = time.sleep) -> list[dict[str, Any]]:
    """The items that exist among `keys` (plain dicts, in no particular order), 100 keys per request."""
    found: list[dict[str, Any]] = []
    unique = list({tuple(sorted(k.items())): k for k in keys}.values())  # DynamoDB refuses duplicate keys
    for start in range(0, len(unique), MAX_GET):
        request: dict[str, Any] = {"Keys": [to_item(k) for k in unique[start:start + MAX_GET]],
                                   "ConsistentRead": consistent}
        if projection:
            names = {f"#p{i}": name for i, name in enumerate(projection)}
            request.update(ProjectionExpression=", ".join(names), ExpressionAttributeNames=names)
        pending: dict[str, Any] = {table: request}
        for attempt in range(1, attempts + 1):
            response = client.batch_get_item(RequestItems=pending)
            found.extend(from_item(item) for item in response.get("Responses", {}).get(table, []))
            pending = response.get("UnprocessedKeys") or {}
            if not pending:
                break
            if attempt == attempts:
                left = len(pending[table]["Keys"])
                raise Unprocessed(f"{left} keys of {table} still unprocessed after {attempts} attempts")
            sleep(backoff_delay(attempt, BASE_SECONDS, CAP_SECONDS))
    return found


class BatchWriter:
    """Buffers puts and deletes (any tables) and sends them 25 at a time.

    A second write of the same key before a flush replaces the first (DynamoDB refuses duplicate keys in one
    request, and the later write is the one a sequential run would leave). `flush` returns only when every
    buffered item has been written."""

    def __init__(self, client: Any, keys: Mapping[str, Sequence[str]], *, attempts: int = ATTEMPTS,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._db = client
        self._keys = keys  # table -> its key attribute names
        self._attempts = attempts
        self._sleep = sleep
        self._buffer: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
        self.written = 0

    def put(self, table: str, item: Mapping[str, Any]) -> None:
        self._add(table, item, {"PutRequest": {"Item": to_item(item)}})

    def delete(self, table: str, key: Mapping[str, Any]) -> None:
        self._add(table, key, {"DeleteRequest": {"Key": to_item(key)}})

    def put_all(self, table: str, items: Iterable[Mapping[str, Any]]) -> None:
        for item in items:
            self.put(table, item)

    def _add(self, table: str, values: Mapping[str, Any], request: dict[str, Any]) -> None:
        key = (table, tuple(values[k] for k in self._keys[table]))
        self._buffer.pop(key, None)
        self._buffer[key] = request
        if len(self._buffer) >= MAX_WRITE:
            self._send(self._take(MAX_WRITE))

    def _take(self, count: int) -> dict[str, list[dict[str, Any]]]:
        batch: dict[str, list[dict[str, Any]]] = {}
        for key in list(self._buffer)[:count]:
            batch.setdefault(key[0], []).append(self._buffer.pop(key))
        return batch

    def flush(self) -> None:
        while self._buffer:
            self._send(self._take(MAX_WRITE))

    def _send(self, batch: dict[str, list[dict[str, Any]]]) -> None:
        size = sum(len(v) for v in batch.values())
        for attempt in range(1, self._attempts + 1):
            batch = self._db.batch_write_item(RequestItems=batch).get("UnprocessedItems") or {}
            if not batch:
                self.written += size
                return
            if attempt == self._attempts:
                left = sum(len(v) for v in batch.values())
                raise Unprocessed(f"{left} of {size} items still unprocessed after {self._attempts} attempts")
            self._sleep(backoff_delay(attempt, BASE_SECONDS, CAP_SECONDS))
