"""Local mode's changes to moto (shared/local/moto_speedups.py) answer every request as moto itself does.

Each test runs the same requests twice — with the speedups and without — and compares the answers. The requests
exercise what could go stale: items put, replaced, updated in place (a household change), deleted, written in a
transaction, and read by Query (table key, index key, a value no item has) and by Scan (whole and segmented,
paged) between the writes."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from moto import mock_aws

from shared.local.moto_speedups import install

Client = Any
# Fresh table names for every run: under the whole suite another mock may already be active, and moto then keeps
# its state across `mock_aws()` blocks.
TABLES: dict[str, str] = {}
_RUNS = itertools.count()


def _table(client: Client) -> None:
    client.create_table(
        TableName=TABLES["persons"], BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "person_id", "AttributeType": "S"},
                              {"AttributeName": "household_id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "person_id", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "by-household", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "household_id", "KeyType": "HASH"}]}])
    client.create_table(
        TableName=TABLES["events"], BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "person_id", "AttributeType": "S"},
                              {"AttributeName": "at", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "person_id", "KeyType": "HASH"}, {"AttributeName": "at", "KeyType": "RANGE"}])


def _person(n: int, household: int | None) -> dict[str, Any]:
    item: dict[str, Any] = {"person_id": {"S": f"P{n:04d}"}, "name": {"S": f"name {n}"}}
    if household is not None:
        item["household_id"] = {"S": f"H{household:03d}"}
    return item


def _household(client: Client, household: str) -> list[str]:
    found = client.query(TableName=TABLES["persons"], IndexName="by-household",
                         KeyConditionExpression="household_id = :h",
                         ExpressionAttributeValues={":h": {"S": household}})["Items"]
    return [i["person_id"]["S"] for i in found]


def _scan_pages(client: Client, between: Callable[[], None] | None = None, **segment: int) -> list[Any]:
    """Every page of a Scan (7 items a page): its ids, Count, ScannedCount; `between` runs after the first page."""
    pages: list[Any] = []
    start = None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = client.scan(TableName=TABLES["persons"], Limit=7, **segment, **extra)
        pages.append(([i["person_id"]["S"] for i in page["Items"]], page["Count"], page["ScannedCount"]))
        start = page.get("LastEvaluatedKey")
        if not start:
            return pages
        if between is not None and len(pages) == 1:
            between()


def _story(client: Client) -> list[Any]:
    """Writes and reads interleaved; returns every answer in order."""
    _table(client)
    answers: list[Any] = []
    for n in range(60):
        client.put_item(TableName=TABLES["persons"], Item=_person(n, n % 9 if n % 5 else None))
    answers += [_household(client, "H001"), _household(client, "H008"), _household(client, "H404")]
    answers.append(_scan_pages(client))
    # replaced with another household, updated in place into one, deleted
    client.put_item(TableName=TABLES["persons"], Item=_person(10, 1))
    client.update_item(TableName=TABLES["persons"], Key={"person_id": {"S": "P0019"}},
                       UpdateExpression="SET household_id = :h", ExpressionAttributeValues={":h": {"S": "H001"}})
    client.update_item(TableName=TABLES["persons"], Key={"person_id": {"S": "P0020"}},
                       UpdateExpression="REMOVE household_id")
    answers.append(_scan_pages(client))
    client.delete_item(TableName=TABLES["persons"], Key={"person_id": {"S": "P0028"}})
    answers.append(_scan_pages(client))  # straight after the delete: the order kept since is stale
    client.update_item(TableName=TABLES["persons"], Key={"person_id": {"S": "P0900"}},  # UpdateItem creating an item
                       UpdateExpression="SET household_id = :h", ExpressionAttributeValues={":h": {"S": "H001"}})
    answers += [_household(client, "H001"), _household(client, "H002"), _household(client, "H000")]
    answers.append(_scan_pages(client))
    answers += [_scan_pages(client, Segment=n, TotalSegments=3) for n in range(3)]
    answers += [_scan_pages(client, Segment=n, TotalSegments=7) for n in range(7)]
    # a write while a segmented scan pages through: later pages see it as moto's do
    def add_late_keys() -> None:  # keys after every page's start: later pages of any segment must show them
        for n in range(990, 1000):
            client.put_item(TableName=TABLES["persons"], Item=_person(n, 4))

    def delete_late_keys() -> None:
        for n in range(50, 58):
            client.delete_item(TableName=TABLES["persons"], Key={"person_id": {"S": f"P{n:04d}"}})

    answers += [_scan_pages(client, add_late_keys, Segment=n, TotalSegments=3) for n in (2,)]
    answers += [_scan_pages(client, delete_late_keys, Segment=n, TotalSegments=3) for n in (0,)]
    answers += [_scan_pages(client, Segment=n, TotalSegments=3) for n in range(3)]
    # a transaction that fails leaves everything as it was; one that succeeds is seen
    with pytest.raises(client.exceptions.TransactionCanceledException):
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": TABLES["persons"], "Item": _person(500, 1)}},
            {"Put": {"TableName": TABLES["persons"], "Item": _person(1, 3),
                     "ConditionExpression": "attribute_not_exists(person_id)"}}])
    answers += [_household(client, "H001"), _scan_pages(client)]
    client.transact_write_items(TransactItems=[{"Put": {"TableName": TABLES["persons"], "Item": _person(501, 1)}}])
    answers += [_household(client, "H001"), _scan_pages(client)]
    # a table with a sort key: Query on the table's own key, forwards and backwards
    for n in range(12):
        client.put_item(TableName=TABLES["events"], Item={"person_id": {"S": f"P{n % 3}"}, "at": {"N": str(100 - n)}})
    for forward in (True, False):
        found = client.query(TableName=TABLES["events"], KeyConditionExpression="person_id = :p AND #at > :t",
                             ExpressionAttributeNames={"#at": "at"}, ScanIndexForward=forward,
                             ExpressionAttributeValues={":p": {"S": "P1"}, ":t": {"N": "90"}})["Items"]
        answers.append([i["at"]["N"] for i in found])
    client.delete_item(TableName=TABLES["events"], Key={"person_id": {"S": "P1"}, "at": {"N": "99"}})
    answers.append([i["at"]["N"] for i in client.query(
        TableName=TABLES["events"], KeyConditionExpression="person_id = :p",
        ExpressionAttributeValues={":p": {"S": "P1"}})["Items"]])
    return answers


def test_negative_twin_a_page_that_starts_one_item_late_is_caught(monkeypatch) -> None:
    """If a segmented page started one item past its start key, that item would be lost: caught. (Starting too
    early is harmless: moto's own loop skips what comes before the start key.)"""
    import bisect

    plain = _run(_story, speedups=False)
    real = bisect.bisect_right
    monkeypatch.setattr(bisect, "bisect_right", lambda keys, after: real(keys, after) + 1)
    assert _run(_story, speedups=True) != plain


def _run(story: Callable[[Client], list[Any]], speedups: bool) -> list[Any]:
    run = next(_RUNS)
    TABLES.update(persons=f"persons-{run}", events=f"events-{run}")
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        undo = install() if speedups else None
        try:
            return story(client)
        finally:
            if undo:
                undo()
            for name in TABLES.values():  # leave the suite's shared account as it was
                if name in client.list_tables()["TableNames"]:
                    client.delete_table(TableName=name)


def test_reads_answer_as_moto_does_between_every_kind_of_write() -> None:
    plain = _run(_story, speedups=False)
    assert _run(_story, speedups=True) == plain
    # the story is not vacuous: the in-place update and the replacement moved people into H001
    assert {"P0010", "P0019", "P0900", "P0501"} <= set(plain[-5]) and "P0500" not in plain[-5]
    segmented = [page for answer in plain if isinstance(answer, list) for page in answer if isinstance(page, tuple)]
    assert len(segmented) > 30 and any(len(ids) == 7 for ids, _, _ in segmented)  # many full pages were compared


def test_negative_twin_a_lookup_that_misses_an_update_is_caught(monkeypatch) -> None:
    """If an in-place UpdateItem were not noted, the household Query would miss P0019: the comparison fails."""
    import shared.local.moto_speedups as speedups

    plain = _run(_story, speedups=False)
    real = speedups._noting_update
    monkeypatch.setattr(speedups, "_noting_update", lambda original: original)
    try:
        assert _run(_story, speedups=True) != plain
    finally:
        monkeypatch.setattr(speedups, "_noting_update", real)


def _projections(client: Client) -> list[Any]:
    """Projected reads (Scan, segmented Scan, Query on an index, GetItem) of items holding every attribute type:
    top-level names (some absent from some items, one through ExpressionAttributeNames), a nested path and a list
    element."""
    _table(client)
    for n in range(20):
        item = {**_person(n, n % 4), "x_age": {"N": str(70 + n)}, "x_flag": {"BOOL": n % 2 == 0},
                "x_nested": {"M": {"a": {"S": f"x{n}"}, "b": {"N": "1.50"}}}, "x_tags": {"SS": [f"t{n}", "u"]},
                "x_nums": {"NS": ["1", str(n + 2)]}, "x_list": {"L": [{"S": "first"}, {"N": str(n)}]},
                "x_blob": {"B": bytes([n, 255])}, "x_nothing": {"NULL": True}}
        if n % 3 == 0:
            del item["name"]
        client.put_item(TableName=TABLES["persons"], Item=item)
    answers: list[Any] = []
    for projection in ("person_id, #n, x_age, x_flag, x_tags, x_nums, x_blob, x_nothing, x_missing",
                       "x_nested, x_list",
                       "x_nested.a, #n", "x_list[1], x_age"):
        names = {"ExpressionAttributeNames": {"#n": "name"}} if "#n" in projection else {}
        answers.append(client.scan(TableName=TABLES["persons"], ProjectionExpression=projection, **names)["Items"])
        answers.append(client.scan(TableName=TABLES["persons"], ProjectionExpression=projection, Segment=1,
                                   TotalSegments=3, FilterExpression="x_age > :a",
                                   ExpressionAttributeValues={":a": {"N": "75"}}, **names)["Items"])
        answers.append(client.query(TableName=TABLES["persons"], IndexName="by-household",
                                    KeyConditionExpression="household_id = :h", ProjectionExpression=projection,
                                    ExpressionAttributeValues={":h": {"S": "H002"}}, **names)["Items"])
        answers.append(client.get_item(TableName=TABLES["persons"], Key={"person_id": {"S": "P0004"}},
                                       ProjectionExpression=projection, **names).get("Item"))
    return answers


def _sorted_sets(value: Any) -> Any:
    """String and number sets come back in no fixed order (from moto as from DynamoDB)."""
    if isinstance(value, dict):
        return {k: sorted(v) if k in ("SS", "NS") else _sorted_sets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_sorted_sets(v) for v in value]
    return value


def test_projected_reads_answer_as_moto_does() -> None:
    plain = _sorted_sets(_run(_projections, speedups=False))
    assert _sorted_sets(_run(_projections, speedups=True)) == plain
    # not vacuous: the nested path and the list element were projected, and a name only some items have
    assert plain[8][0]["x_nested"] == {"M": {"a": {"S": "x0"}}} and plain[12][0]["x_list"] == {"L": [{"N": "0"}]}
    assert sum("name" in item for item in plain[0]) == 13 and "x_nothing" in plain[0][0]


def test_negative_twin_a_nested_path_taken_for_a_name_is_caught(monkeypatch) -> None:
    """If the projection's fast path took `x_nested.a` or `x_list[1]` for a top-level name, the items would lose
    those attributes: caught."""
    import shared.local.moto_speedups as speedups

    plain = _sorted_sets(_run(_projections, speedups=False))
    real = speedups._fast_project

    def greedy(original: Callable[..., Any]) -> Callable[..., Any]:
        fast = real(lambda item, paths: original(item, paths))
        return lambda item, paths: fast(item, [[".".join(p)] for p in paths])

    monkeypatch.setattr(speedups, "_fast_project", greedy)
    assert _sorted_sets(_run(_projections, speedups=True)) != plain
