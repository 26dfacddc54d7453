"""A versioned record table keyed by one id: the shape maker-checker writes (persons, certificates, …)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from shared.adapters.dynamo import from_item, if_condition_holds, query_all, query_page, to_item


class RecordTable:
    """Any declared table with a single partition key; the runtime names the id field from the declaration."""

    def __init__(self, client: Any, table: str, id_field: str) -> None:
        self._db = client
        self.table = table
        self.id_field = id_field

    def get(self, entity_id: str) -> dict[str, Any] | None:
        item = self._db.get_item(TableName=self.table, Key=to_item({self.id_field: entity_id}), ConsistentRead=True)
        return from_item(item["Item"]) if "Item" in item else None

    def page(self, index: str, key: str, value: str, limit: int, start: dict[str, Any] | None,
             forward: bool = True) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One page of the records whose index `key` equals `value`, in index order, and where to go on."""
        return query_page(self._db, limit, start, TableName=self.table, IndexName=index,
                          KeyConditionExpression="#k = :v", ExpressionAttributeNames={"#k": key},
                          ExpressionAttributeValues=to_item({":v": value}), ScanIndexForward=forward)

    def query(self, index: str, key: str, value: str) -> list[dict[str, Any]]:
        return list(self.iterate(index, key, value))

    def iterate(self, index: str, key: str, value: str) -> Iterator[dict[str, Any]]:
        """`query`, page by page, for batches that must not hold a whole index in memory."""
        return query_all(self._db, TableName=self.table, IndexName=index, KeyConditionExpression="#k = :v",
                         ExpressionAttributeNames={"#k": key}, ExpressionAttributeValues=to_item({":v": value}))

    def scan_segment(self, segment: int, segments: int, field: str, value: str,
                     projection: tuple[str, ...] = ()) -> Iterator[list[dict[str, Any]]]:
        """One segment of a parallel scan, page by page: the records whose `field` equals `value` (a full read,
        for yearly batches; each chunk of the job takes one segment)."""
        names = {"#f": field, **{f"#p{i}": name for i, name in enumerate(projection)}}
        request: dict[str, Any] = {"TableName": self.table, "Segment": segment, "TotalSegments": segments,
                                   "FilterExpression": "#f = :v", "ExpressionAttributeNames": names,
                                   "ExpressionAttributeValues": to_item({":v": value})}
        if projection:
            request["ProjectionExpression"] = ", ".join(n for n in names if n.startswith("#p"))
        for page in self._db.get_paginator("scan").paginate(**request):
            yield [from_item(item) for item in page.get("Items", [])]

    def approximate_count(self) -> int:
        """DynamoDB's item count (refreshed about every six hours): enough to size a job's chunks."""
        return int(self._db.describe_table(TableName=self.table)["Table"].get("ItemCount", 0))

    def scan_all(self) -> Iterator[dict[str, Any]]:
        """Every record, page by page (a full read: for daily or yearly batches only)."""
        for page in self._db.get_paginator("scan").paginate(TableName=self.table):
            for item in page.get("Items", []):
                yield from_item(item)

    def get_many(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Records by id, 100 per BatchGetItem request (design rule 8); missing ids are absent from the result."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 100):
            keys = [to_item({self.id_field: i}) for i in wanted[start:start + 100]]
            request: dict[str, Any] = {self.table: {"Keys": keys, "ConsistentRead": True}}
            for attempt in range(8):
                answer = self._db.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(self.table, []):
                    record = from_item(item)
                    found[record[self.id_field]] = record
                request = answer.get("UnprocessedKeys") or {}
                if not request:
                    break
                time.sleep(min(0.05 * 2 ** attempt, 1.0))  # throttled: back off and ask for the rest
            else:
                raise RuntimeError(f"{self.table}: keys still unprocessed after retries")
        return found

    def put_many(self, records: Iterable[dict[str, Any]]) -> None:
        """Write records whole, 25 per BatchWriteItem request (no conditions: for job output keyed by derived ids)."""
        items = [{"PutRequest": {"Item": to_item(r)}} for r in records]
        for start in range(0, len(items), 25):
            request: dict[str, Any] = {self.table: items[start:start + 25]}
            for attempt in range(8):
                request = self._db.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
                if not request:
                    break
                time.sleep(min(0.05 * 2 ** attempt, 1.0))
            else:
                raise RuntimeError(f"{self.table}: items still unprocessed after retries")

    def put(self, record: dict[str, Any]) -> None:
        """Write a record whole, replacing any earlier one (job state, progress)."""
        self._db.put_item(TableName=self.table, Item=to_item(record))

    def put_new(self, record: dict[str, Any]) -> None:
        """Insert a record that needs no confirmation (already confirmed elsewhere, or not personal data)."""
        self._db.put_item(TableName=self.table, Item=to_item(record),
                          ConditionExpression=f"attribute_not_exists({self.id_field})")

    def put_item_if(self, record: dict[str, Any], field: str, expected: str) -> dict[str, Any]:
        """A transaction item that replaces a record only while its `field` is still `expected` (for records that
        carry no version, such as those another workflow writes)."""
        return {"Put": {"TableName": self.table, "Item": to_item(record), "ConditionExpression": "#f = :e",
                        "ExpressionAttributeNames": {"#f": field},
                        "ExpressionAttributeValues": to_item({":e": expected})}}

    def write_item(self, record: dict[str, Any] | None, entity_id: str, base_version: int) -> dict[str, Any]:
        """A transaction item that writes (or, for None, deletes) the record if it is still at base_version."""
        if base_version == 0:
            assert record is not None
            return {"Put": {"TableName": self.table, "Item": to_item(record),
                            "ConditionExpression": f"attribute_not_exists({self.id_field})"}}
        condition = {"ConditionExpression": "version = :v", "ExpressionAttributeValues": to_item({":v": base_version})}
        if record is None:
            return {"Delete": {"TableName": self.table, "Key": to_item({self.id_field: entity_id}), **condition}}
        return {"Put": {"TableName": self.table, "Item": to_item(record), **condition}}

    def put_if_version(self, record: dict[str, Any], base_version: int) -> bool:
        """Write a record alone if it is still at base_version (0: does not exist yet); False otherwise."""
        return if_condition_holds(self._db.put_item, **self.write_item(record, record[self.id_field],
                                                                       base_version)["Put"])
