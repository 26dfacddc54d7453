"""A chunk of a deletion run reads each table without a person index once per 50 persons, not once per person
(design rule 8): at 300,000 persons such a table (the 収納 ledger, 仮消込, 年金特徴) holds millions of items."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from functions.deletion.rules.retention import RETENTION_RULES, rule
from functions.deletion.services.erase import SCAN_GROUP, erase_target, prefetch
from functions.deletion.services.plan import Target
from shared.adapters.dynamo import from_item, to_item
from shared.adapters.erasure import TableEraser
from shared.runtime import Runtime

PERSONS = ["P0000900001", "P0000900002", "P0000900003"]
OTHER = "P00009000010"  # begins with PERSONS[0]: a prefix match without the separator would take it
SCANNED = ("collection-ledger", "pension-deductions", "idempotency")
NOW = datetime(2099, 1, 1, tzinfo=UTC)


def _put(rt: Runtime, table: str, item: dict[str, Any]) -> None:
    rt.clients.client("dynamodb").put_item(TableName=rt.table_name(table), Item=to_item(item))


def _items(rt: Runtime, table: str) -> list[dict[str, Any]]:
    return [from_item(i) for i in rt.clients.client("dynamodb").scan(TableName=rt.table_name(table))["Items"]]


def _plant(rt: Runtime) -> None:
    for n, person in enumerate([*PERSONS, OTHER]):
        _put(rt, "collection-ledger", {"payment_number": f"PX{n}", "person_id": person, "due_date": "2092-07-31"})
        _put(rt, "pension-deductions", {"deduction_id": f"{person}-2092", "pension_annual": 1})
        _put(rt, "idempotency", {"id": f"intake#px{n}", "expiration": int(time.time()) + 3600,
                                 "data": json.dumps({"person_id": person})})


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counted: Counter[str] = Counter()
    real = TableEraser.scan

    def counting(self: TableEraser, *args: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        counted[self.table] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(TableEraser, "scan", counting)
    return counted


def _erase_all(rt: Runtime, use_prefetch: bool) -> None:
    whole = rule("levy-records", RETENTION_RULES)  # erases whole records
    prefetched = prefetch(rt, PERSONS) if use_prefetch else None
    for person in PERSONS:
        erase_target(rt, Target("levy-records", "person", "persons", person, "2099-01-01", person), whole, NOW,
                     prefetched)


def test_a_chunk_scans_each_unindexed_table_once_and_erases_what_the_per_person_scans_did(
        runtime: Runtime, scans: Counter[str]) -> None:
    _plant(runtime)
    _erase_all(runtime, use_prefetch=True)
    for table in SCANNED:
        assert scans[runtime.table_name(table)] == 1, table  # 3 persons ≤ 50: one filtered scan
        left = _items(runtime, table)
        assert len(left) == 1 and OTHER in json.dumps(left[0]), (table, left)  # only the other person's item


def test_twin_the_per_person_path_scans_each_unindexed_table_once_per_person(
        runtime: Runtime, scans: Counter[str]) -> None:
    _plant(runtime)
    _erase_all(runtime, use_prefetch=False)
    for table in SCANNED:
        assert scans[runtime.table_name(table)] == len(PERSONS), table
        assert len(_items(runtime, table)) == 1, table


def test_more_persons_than_a_group_make_one_scan_per_group(runtime: Runtime, scans: Counter[str]) -> None:
    persons = [f"P{n:010d}" for n in range(1, SCAN_GROUP + 2)]  # 51 persons: two groups
    prefetch(runtime, persons)
    for table in SCANNED:
        assert scans[runtime.table_name(table)] == 2, table


def test_a_run_chunk_prefetches_for_all_its_persons(runtime: Runtime, scans: Counter[str]) -> None:
    """`apply_chunk` (what the sweep worker runs) reads each unindexed table once for its three persons: with the
    per-person path (no prefetch) it would scan each three times and still erase the same — only this count
    tells the two apart."""
    from dataclasses import asdict

    from functions.deletion.services.runs import apply_chunk

    _plant(runtime)
    targets = [asdict(Target("levy-records", "person", "persons", p, "2099-01-01", p)) for p in PERSONS]
    counts = apply_chunk(runtime, "RUN-prefetch", {"number": 1, "targets": targets}, held=set())
    assert counts == {"applied": 3, "held": 0}
    for table in SCANNED:
        assert scans[runtime.table_name(table)] == 1, table
        assert len(_items(runtime, table)) == 1, table
