"""The persons table: records with the My Number only as ciphertext and blind index (design rule 5)."""

from __future__ import annotations

from typing import Any

from shared.adapters.dynamo import query_page, to_item
from shared.adapters.records import RecordTable


class PersonRepository(RecordTable):
    TABLE = "persons"

    def __init__(self, client: Any, table: str) -> None:
        super().__init__(client, table, "person_id")

    def by_kana_and_birth(self, kana_key: str, birth_date: str | None, limit: int, start: dict[str, Any] | None,
                          ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """A page of the persons with this kana key (and birth date), by birth date, and where to go on."""
        condition, values = "kana_key = :k", {":k": kana_key}
        if birth_date:
            condition += " AND birth_date = :b"
            values[":b"] = birth_date
        return query_page(self._db, limit, start, TableName=self.table, IndexName="by-kana-birth",
                          KeyConditionExpression=condition, ExpressionAttributeValues=to_item(values))

    def by_mynumber_index(self, index: str) -> list[dict[str, Any]]:
        return self.query("by-mynumber-index", "mynumber_index", index)

    def by_household(self, household_id: str) -> list[dict[str, Any]]:
        return self.query("by-household", "household_id", household_id)

    def by_birth_month(self, month: str) -> list[dict[str, Any]]:
        return self.query("by-birth-month", "birth_month", month)
