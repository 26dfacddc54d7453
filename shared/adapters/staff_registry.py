"""The staff registry table: who may sign in, with which roles (PIA-III-3-c)."""

from __future__ import annotations

from typing import Any

from shared.adapters.dynamo import from_item, if_condition_holds, to_item
from shared.domain.errors import Conflict
from shared.domain.roles import parse_roles
from shared.domain.staff import StaffMember, validate_for_registry


class StaffAlreadyRegistered(Conflict):
    title = "Already registered"


class StaffRegistry:
    TABLE = "staff"

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def register(self, member: StaffMember, *, replace: bool = True) -> None:
        """Add (or, with replace, overwrite) a staff member; shared accounts are refused before any write."""
        validate_for_registry(member)
        condition = {} if replace else {"ConditionExpression": "attribute_not_exists(staff_id)"}
        if not self._put(member, condition):
            raise StaffAlreadyRegistered(f"{member.staff_id} is already registered")

    def _put(self, member: StaffMember, condition: dict[str, str]) -> bool:
        return if_condition_holds(
            self._db.put_item,
            **condition,
            TableName=self._table,
            Item=to_item(
                {
                    "staff_id": member.staff_id,
                    "name": member.name,
                    "department": member.department,
                    "roles": sorted(r.value for r in member.roles),
                    "active": member.active,
                    "shared_account": False,
                    "version": 1,
                }
            ),
        )

    def get(self, staff_id: str) -> StaffMember | None:
        item = self._db.get_item(TableName=self._table, Key=to_item({"staff_id": staff_id}), ConsistentRead=True)
        if "Item" not in item:
            return None
        return _member(from_item(item["Item"]))

    def set_active(self, staff_id: str, active: bool) -> None:
        self._db.update_item(
            TableName=self._table,
            Key=to_item({"staff_id": staff_id}),
            # A new version, so that a pending maker-checker change made before this one goes stale.
            UpdateExpression="SET active = :a, version = if_not_exists(version, :zero) + :one",
            ConditionExpression="attribute_exists(staff_id)",
            ExpressionAttributeValues=to_item({":a": active, ":zero": 0, ":one": 1}),
        )

    def page(self, limit: int, start: dict[str, Any] | None) -> tuple[list[StaffMember], dict[str, Any] | None]:
        """Up to `limit` staff members in the table's order, and where the next page starts (None at the end)."""
        response = self._db.scan(TableName=self._table, Limit=limit,
                                 **({"ExclusiveStartKey": to_item(start)} if start else {}))
        after = response.get("LastEvaluatedKey")
        return [_member(from_item(i)) for i in response.get("Items", [])], from_item(after) if after else None

    def all(self) -> list[StaffMember]:
        paginator = self._db.get_paginator("scan")
        members = [
            _member(from_item(item))
            for page in paginator.paginate(TableName=self._table)
            for item in page.get("Items", [])
        ]
        return sorted(members, key=lambda m: m.staff_id)


def _member(values: dict[str, Any]) -> StaffMember:
    return StaffMember(
        staff_id=values["staff_id"],
        name=values["name"],
        department=values.get("department", ""),
        roles=parse_roles(values.get("roles", [])),
        active=bool(values.get("active", False)),
        # A record written around the registry (not through register()) may carry the flag: it is still refused.
        shared_account=bool(values.get("shared_account", False)),
    )
