"""Erase one target everywhere it lives (PIA-III-7-e): a person's records in every declared table and the objects
they own (every version and delete marker, Tokyo and Osaka), or one record, one object, one expired item.

Idempotent: erasing what is gone already changes nothing, so a target redone after a crash is erased once.
Returns how many items each store lost and what Object Lock keeps (with the date it can go); no ids.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from typing import Any

from functions.deletion.rules.locators import LOCATORS, MYNUMBER_ATTRIBUTES, TableLocator
from functions.deletion.rules.retention import Method, RetentionRule
from functions.deletion.services.plan import Target
from shared.runtime import Runtime
from shared.storage import STORAGE

__all__ = ["Erased", "Prefetched", "erase_target", "person_items", "prefetch"]

_TABLES = {t.name for t in STORAGE.tables}
# Tables with no person index (locators.py): found by a filtered scan, one filter term per person.
_SCANNED = {"prefix": "begins_with(#f, {v})", "contains": "contains(#f, {v})", "scan": "#f = {v}"}
SCAN_GROUP = 50  # persons per filtered scan: 50 terms keep the filter inside DynamoDB's 4 KB expression limit

Prefetched = dict[tuple[str, str], list[dict[str, Any]]]  # (table, person id) → the person's items there


class Erased:
    def __init__(self) -> None:
        self.stores: Counter[str] = Counter()
        self.waiting: list[dict[str, str]] = []

    def as_dict(self) -> dict[str, Any]:
        return {"stores": dict(sorted(self.stores.items())), "waiting": self.waiting}


def _owners(locator: TableLocator, item: dict[str, Any], group: list[str]) -> list[str]:
    value = str(item.get(locator.field, ""))
    if locator.how == "scan":
        return [value] if value in group else []
    if locator.how == "prefix":
        return [p for p in group if value.startswith(f"{p}-")]
    # `contains` also matches a longer id that begins with this one (P0000900001 in P00009000010): whole ids only
    return [p for p in group if re.search(rf"(?<![0-9A-Z]){re.escape(p)}(?![0-9A-Z])", value)]


def prefetch(rt: Runtime, person_ids: list[str]) -> Prefetched:
    """The items of every table without a person index for all of a chunk's persons at once (design rule 8): at
    300,000 persons such a table holds millions of items, and a scan per person would read it a hundred times
    per chunk; this reads it once per 50 persons."""
    found: Prefetched = {}
    ids = sorted(set(person_ids))
    for locator in LOCATORS:
        if locator.how not in _SCANNED or locator.table not in _TABLES:
            continue
        for start in range(0, len(ids), SCAN_GROUP):
            group = ids[start:start + SCAN_GROUP]
            values = {f":v{i}": f"{p}-" if locator.how == "prefix" else p for i, p in enumerate(group)}
            expression = " OR ".join(_SCANNED[locator.how].format(v=name) for name in values)
            for item in rt.table_eraser(locator.table).scan(expression, {"#f": locator.field}, values):
                for owner in _owners(locator, item, group):
                    found.setdefault((locator.table, owner), []).append(item)
    return found


def person_items(rt: Runtime, locator: TableLocator, person_id: str,
                 prefetched: Prefetched | None = None) -> list[dict[str, Any]]:
    """A person's items in one table, found as the locator says (or in what a chunk prefetched)."""
    if prefetched is not None and locator.how in _SCANNED:
        return prefetched.get((locator.table, person_id), [])
    eraser = rt.table_eraser(locator.table)
    if locator.how == "key":
        return eraser.by_key(person_id)
    if locator.how == "index":
        return eraser.by_index(locator.index, locator.field, person_id)
    if locator.how == "prefix":
        return list(eraser.scan("begins_with(#f, :v)", {"#f": locator.field}, {":v": f"{person_id}-"}))
    if locator.how == "contains":
        found = eraser.scan("contains(#f, :v)", {"#f": locator.field}, {":v": person_id})
        return [item for item in found if _owners(locator, item, [person_id])]
    return list(eraser.scan("#f = :v", {"#f": locator.field}, {":v": person_id}))


def _erase_objects(rt: Runtime, bucket: str, prefix: str, now: datetime, out: Erased, exact: bool = False) -> None:
    for eraser in rt.object_erasers(bucket):
        for version in [v for v in eraser.versions(prefix) if not exact or v.key == prefix]:
            done = eraser.erase(version, now)
            if done.erased:
                out.stores[f"s3:{eraser.bucket}@{eraser.region}"] += 1
            elif done.locked_until:
                out.waiting.append({"store": f"s3:{eraser.bucket}@{eraser.region}", "until": done.locked_until})


def _owned_objects(rt: Runtime, locator: TableLocator, item: dict[str, Any], now: datetime, out: Erased) -> None:
    for owned in locator.objects:
        if owned.when and item.get(owned.when[0]) != owned.when[1]:
            continue
        _erase_objects(rt, owned.bucket, owned.template.format(**item), now, out)


def _erase_person(rt: Runtime, person_id: str, method: Method, now: datetime, out: Erased,
                  prefetched: Prefetched | None) -> None:
    for locator in LOCATORS:
        if locator.table not in _TABLES:
            continue
        eraser = rt.table_eraser(locator.table)
        for item in person_items(rt, locator, person_id, prefetched):
            if method is Method.RECORD:
                _owned_objects(rt, locator, item, now, out)
                if eraser.delete(item):
                    out.stores[f"dynamodb:{locator.table}@{rt.settings.region}"] += 1
            elif eraser.remove(item, MYNUMBER_ATTRIBUTES, {"mynumber_erased_on": now.date().isoformat()}):
                out.stores[f"dynamodb:{locator.table}@{rt.settings.region}"] += 1


def erase_target(rt: Runtime, target: Target, rule: RetentionRule, now: datetime,
                 prefetched: Prefetched | None = None) -> Erased:
    """Erase one target; `prefetched` holds its chunk's items of the tables without a person index."""
    out = Erased()
    if target.kind == "person":
        _erase_person(rt, target.ref, rule.method, now, out, prefetched)
    elif target.kind == "object":
        bucket, _, _prefix = target.store.partition("/")
        _erase_objects(rt, bucket, target.ref, now, out, exact=True)
    else:
        eraser = rt.table_eraser(target.store)
        item = json.loads(target.ref)
        locator = next((loc for loc in LOCATORS if loc.table == target.store), None)
        found = eraser.by_key(item[eraser.key_fields[0]])
        for record in [r for r in found if eraser.key_of(r) == item]:
            if locator:
                _owned_objects(rt, locator, record, now, out)
            if eraser.delete(record):
                out.stores[f"dynamodb:{target.store}@{rt.settings.region}"] += 1
    return out
