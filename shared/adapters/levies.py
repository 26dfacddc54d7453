"""The levies table: the 広域連合's 賦課 results of record, one item per person, 年度 and 更正回数 (every 更正 kept),
each with the city's 突合 of it. Items are never rewritten with other figures: a 更正 is a new item."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from shared.adapters.dynamo import from_item, query_all, to_item

__all__ = ["LevyStore", "decoded", "levy_key"]


def levy_key(fiscal_year: int, version: int) -> str:
    """The sort key: 年度 and 更正回数, so a person's items sort by year, then by 更正."""
    return f"{fiscal_year}#{version:03d}"


class LevyStore:
    TABLE = "levies"

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self.table = table

    def history(self, person_id: str) -> list[dict[str, Any]]:
        """Every result of record of the person, oldest 年度 and 更正 first."""
        return list(query_all(self._db, TableName=self.table, KeyConditionExpression="person_id = :p",
                              ExpressionAttributeValues=to_item({":p": person_id}), ConsistentRead=True))

    def of_year(self, person_id: str, fiscal_year: int) -> list[dict[str, Any]]:
        return list(query_all(self._db, TableName=self.table, ConsistentRead=True,
                              KeyConditionExpression="person_id = :p AND begins_with(levy_key, :y)",
                              ExpressionAttributeValues=to_item({":p": person_id, ":y": f"{fiscal_year}#"})))

    def latest(self, person_id: str, fiscal_year: int) -> dict[str, Any] | None:
        """The result of record of the 年度: its highest 更正回数."""
        response = self._db.query(TableName=self.table, ConsistentRead=True, ScanIndexForward=False, Limit=1,
                                   KeyConditionExpression="person_id = :p AND begins_with(levy_key, :y)",
                                   ExpressionAttributeValues=to_item({":p": person_id, ":y": f"{fiscal_year}#"}))
        items = response.get("Items", [])
        return from_item(items[0]) if items else None

    def persons_of_year(self, fiscal_year: int) -> Iterator[str]:
        """The person of every result of record of the 年度 (a full read, keys only: for the yearly print run's
        planning). A person with a 更正 appears once per stored 更正回数; the caller removes duplicates."""
        paginator = self._db.get_paginator("scan")
        for page in paginator.paginate(TableName=self.table, ProjectionExpression="person_id",
                                       FilterExpression="begins_with(levy_key, :y)",
                                       ExpressionAttributeValues=to_item({":y": f"{fiscal_year}#"})):
            for item in page.get("Items", []):
                yield str(from_item(item)["person_id"])

    def add_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """A transaction item storing a new result; refused if that 更正回数 is stored already."""
        return {"Put": {"TableName": self.table, "Item": to_item(item),
                        "ConditionExpression": "attribute_not_exists(levy_key)"}}

    def check_item(self, person_id: str, key: str, check: dict[str, Any], open_year: str | None) -> dict[str, Any]:
        """A transaction item recording the 突合 of a result; `open_year` lists it among the year's open
        discrepancies (a sparse index), None takes it off the list."""
        values: dict[str, Any] = {":c": json.dumps(check, ensure_ascii=False, sort_keys=True)}
        expression = "SET #check = :c"
        if open_year:
            expression += ", open_check = :o"
            values[":o"] = open_year
        else:
            expression += " REMOVE open_check"
        return {"Update": {"TableName": self.table, "Key": to_item({"person_id": person_id, "levy_key": key}),
                           "UpdateExpression": expression, "ExpressionAttributeNames": {"#check": "check"},
                           "ExpressionAttributeValues": to_item(values)}}

    def close_item(self, person_id: str, key: str) -> dict[str, Any]:
        """A transaction item taking a result off the year's open discrepancies (a newer one replaced it)."""
        return {"Update": {"TableName": self.table, "Key": to_item({"person_id": person_id, "levy_key": key}),
                           "UpdateExpression": "REMOVE open_check"}}

    def open_checks(self, fiscal_year: int, limit: int, after: str | None = None) -> tuple[list[dict[str, Any]],
                                                                                          str | None]:
        """One page of the 年度's open discrepancies, by person; the cursor is the last person id of the page."""
        request: dict[str, Any] = {"TableName": self.table, "IndexName": "by-open-check", "Limit": limit,
                                   "KeyConditionExpression": "open_check = :y",
                                   "ExpressionAttributeValues": to_item({":y": str(fiscal_year)})}
        if after:
            request["KeyConditionExpression"] += " AND person_id > :a"
            request["ExpressionAttributeValues"] = to_item({":y": str(fiscal_year), ":a": after})
        items = [from_item(i) for i in self._db.query(**request).get("Items", [])]
        return items, (items[-1]["person_id"] if len(items) == limit else None)


def decoded(item: dict[str, Any]) -> dict[str, Any]:
    """An item with its 突合 as a dict again."""
    check = item.get("check")
    return {**item, "check": json.loads(check) if isinstance(check, str) else check}
