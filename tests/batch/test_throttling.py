"""A throttled table hands back part of a batch (UnprocessedItems, UnprocessedKeys): nothing is lost, and what
is still left after every allowed retry is an error, never a silent gap (design rule 8)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from functions.intake.services import resident_import
from functions.intake.services.resident_import import import_resident_changes
from shared.adapters import batch_io
from shared.adapters.batch_io import BatchWriter, Unprocessed, batch_get
from shared.runtime import Runtime
from tests.batch.city import resident_file, table_contents

COUNTERPARTY = "jyuki-renkei-utf8"


@contextmanager
def throttled_batch_writes(rt: Runtime, every: int = 2) -> Iterator[list[int]]:
    """Make every `every`-th BatchWriteItem write only the first half of its items and hand back the rest as
    UnprocessedItems, as DynamoDB does under throttling; yields [how many requests were throttled]."""
    client, calls, throttled = rt.clients.client("dynamodb"), [0], [0]
    held: dict[str, list] = {}

    def take_half(params: dict[str, Any], **_: Any) -> None:
        calls[0] += 1
        held.clear()
        if calls[0] % every:
            return
        kept: dict[str, list] = {}
        for table, requests in params["RequestItems"].items():
            half = (len(requests) + 1) // 2
            kept[table] = requests[:half]
            if requests[half:]:
                held[table] = requests[half:]
        if held:
            throttled[0] += 1
            params["RequestItems"] = kept

    def hand_back(parsed: dict[str, Any], **_: Any) -> None:
        if held:
            parsed["UnprocessedItems"] = {t: list(r) for t, r in held.items()}

    events = ("provide-client-params.dynamodb.BatchWriteItem", take_half), ("after-call.dynamodb.BatchWriteItem",
                                                                            hand_back)
    for event, handler in events:  # botocore keeps one handler per unique_id across all events
        client.meta.events.register(event, handler, unique_id=f"throttle-{handler.__name__}")
    try:
        yield throttled
    finally:
        for event, handler in events:
            client.meta.events.unregister(event, unique_id=f"throttle-{handler.__name__}")


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_io, "backoff_delay", lambda *_: 0.0)
    monkeypatch.setattr(resident_import, "ROWS_PER_CHUNK", 60)


def test_an_import_on_a_throttled_table_loses_nothing(city: Callable[[str], Runtime], no_backoff: None) -> None:
    reference = city("throttle-reference")
    expected = import_resident_changes(reference, COUNTERPARTY, resident_file())
    rt = city("throttled")
    with throttled_batch_writes(rt) as throttled:
        report = import_resident_changes(rt, COUNTERPARTY, resident_file())
    assert throttled[0] > 5  # the import did meet a throttled table
    assert (report.status, report.applied, report.events) == (expected.status, expected.applied, expected.events)
    assert table_contents(rt, "persons", "person_id") == table_contents(reference, "persons", "person_id")
    assert table_contents(rt, "transfer-queue", "queue_id") == table_contents(reference, "transfer-queue", "queue_id")


class PartialTable:
    """A BatchWriteItem/BatchGetItem client that processes `per_call` items a request, or none at all."""

    def __init__(self, per_call: int) -> None:
        self.per_call = per_call
        self.stored: dict[str, dict[str, Any]] = {}
        self.requests = 0

    def batch_write_item(self, RequestItems: dict[str, list]) -> dict[str, Any]:  # noqa: N803
        self.requests += 1
        (table, requests), = RequestItems.items()
        for request in requests[:self.per_call]:
            item = request["PutRequest"]["Item"]
            self.stored[item["id"]["S"]] = item
        left = requests[self.per_call:]
        return {"UnprocessedItems": {table: left} if left else {}}

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
        self.requests += 1
        (table, request), = RequestItems.items()
        keys = request["Keys"]
        found = [self.stored[k["id"]["S"]] for k in keys[:self.per_call] if k["id"]["S"] in self.stored]
        left = keys[self.per_call:]
        return {"Responses": {table: found}, "UnprocessedKeys": {table: {**request, "Keys": left}} if left else {}}


def test_unprocessed_items_are_retried_with_backoff_until_written() -> None:
    table, waits = PartialTable(per_call=7), []
    writer = BatchWriter(table, {"t": ("id",)}, sleep=waits.append)
    for n in range(60):
        writer.put("t", {"id": f"k{n:02d}", "n": n})
    writer.flush()
    assert sorted(table.stored) == [f"k{n:02d}" for n in range(60)] and writer.written == 60
    assert waits and all(0 <= w <= batch_io.CAP_SECONDS for w in waits)
    table.per_call = 20
    found = batch_get(table, "t", [{"id": f"k{n:02d}"} for n in range(60)], sleep=waits.append)
    assert sorted(i["id"] for i in found) == sorted(table.stored)


def test_items_still_unprocessed_after_every_retry_are_an_error_not_a_loss() -> None:
    """Negative twin: a table that processes nothing makes the writer raise, naming what is left."""
    writer = BatchWriter(PartialTable(per_call=0), {"t": ("id",)}, attempts=3, sleep=lambda _: None)
    for n in range(10):
        writer.put("t", {"id": f"k{n}"})
    with pytest.raises(Unprocessed, match="10 of 10 items still unprocessed after 3 attempts"):
        writer.flush()
    with pytest.raises(Unprocessed, match="keys of t still unprocessed"):
        batch_get(PartialTable(per_call=0), "t", [{"id": "k1"}], attempts=2, sleep=lambda _: None)
