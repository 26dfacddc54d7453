"""A versioned record table keyed by one id: the shape maker-checker writes (persons, certificates, …)."""

from __future__ import annotations

from collections.abc import Iterator
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
        return list(query_all(self._db, TableName=self.table, IndexName=index,
                              KeyConditionExpression="#k = :v", ExpressionAttributeNames={"#k": key},
                              ExpressionAttributeValues=to_item({":v": value})))

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

    def put(self, record: dict[str, Any]) -> None:
        """Write a record whole, replacing any earlier one (job state, progress)."""
        self._db.put_item(TableName=self.table, Item=to_item(record))

    def put_new(self, record: dict[str, Any]) -> None:
        """Insert a record that needs no confirmation (already confirmed elsewhere, or not personal data)."""
        self._db.put_item(TableName=self.table, Item=to_item(record),
                          ConditionExpression=f"attribute_not_exists({self.id_field})")

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
