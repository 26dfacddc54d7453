"""The persons table: records with the My Number only as ciphertext and blind index (design rule 5)."""

from __future__ import annotations

from typing import Any

from shared.adapters.dynamo import from_item, query_all, to_item

SEALED_FIELDS = ("mynumber_enc", "mynumber_index")


class PersonRepository:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self.table = table

    def get(self, person_id: str) -> dict[str, Any] | None:
        item = self._db.get_item(TableName=self.table, Key=to_item({"person_id": person_id}), ConsistentRead=True)
        return from_item(item["Item"]) if "Item" in item else None

    def by_kana_and_birth(self, kana_key: str, birth_date: str | None) -> list[dict[str, Any]]:
        condition, values = "kana_key = :k", {":k": kana_key}
        if birth_date:
            condition += " AND birth_date = :b"
            values[":b"] = birth_date
        return list(query_all(self._db, TableName=self.table, IndexName="by-kana-birth",
                              KeyConditionExpression=condition, ExpressionAttributeValues=to_item(values)))

    def by_mynumber_index(self, index: str) -> list[dict[str, Any]]:
        return list(query_all(self._db, TableName=self.table, IndexName="by-mynumber-index",
                              KeyConditionExpression="mynumber_index = :i",
                              ExpressionAttributeValues=to_item({":i": index})))

    def by_household(self, household_id: str) -> list[dict[str, Any]]:
        return list(query_all(self._db, TableName=self.table, IndexName="by-household",
                              KeyConditionExpression="household_id = :h",
                              ExpressionAttributeValues=to_item({":h": household_id})))

    def put_new(self, record: dict[str, Any]) -> None:
        """Insert without maker-checker: only for loading data that was already confirmed (migration, demo)."""
        self._db.put_item(TableName=self.table, Item=to_item(record),
                          ConditionExpression="attribute_not_exists(person_id)")

    def write_item(self, record: dict[str, Any] | None, person_id: str, base_version: int) -> dict[str, Any]:
        """A transaction item that writes (or, for None, deletes) the record if it is still at base_version."""
        if base_version == 0:
            assert record is not None
            return {"Put": {"TableName": self.table, "Item": to_item(record),
                            "ConditionExpression": "attribute_not_exists(person_id)"}}
        condition = {"ConditionExpression": "version = :v", "ExpressionAttributeValues": to_item({":v": base_version})}
        if record is None:
            return {"Delete": {"TableName": self.table, "Key": to_item({"person_id": person_id}), **condition}}
        return {"Put": {"TableName": self.table, "Item": to_item(record), **condition}}
