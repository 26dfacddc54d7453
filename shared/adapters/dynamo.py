"""Plain-dict <-> DynamoDB attribute-value conversion, shared by every repository."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """Serialise a dict; None values are dropped (DynamoDB has no use for them)."""
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def _plain(value: Any) -> Any:
    """Numbers come back as Decimal; the system stores only integers (yen, counts, epoch seconds)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return {_plain(v) for v in value}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def query_all(client: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Every item of a query, page by page, as plain dicts."""
    paginator = client.get_paginator("query")
    for page in paginator.paginate(**kwargs):
        for item in page.get("Items", []):
            yield from_item(item)


def if_condition_holds(call: Callable[..., Any], **kwargs: Any) -> bool:
    """Make a conditional write; False (not an error) when its condition did not hold."""
    try:
        call(**kwargs)
    except Exception as error:
        if is_conditional_failure(error):
            return False
        raise
    return True


def is_conditional_failure(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    code = response.get("Error", {}).get("Code")
    return code in {"ConditionalCheckFailedException", "TransactionCanceledException"}


def transact_if_conditions_hold(client: Any, items: list[dict[str, Any]]) -> bool:
    """Write `items` in one transaction; False (nothing written) when any item's condition did not hold."""
    return if_condition_holds(client.transact_write_items, TransactItems=items)


def query_page(client: Any, limit: int, start_key: Mapping[str, Any] | None, **kwargs: Any,
               ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Up to `limit` items of a query from `start_key` on, and the key to continue from (None at the end).

    DynamoDB applies `Limit` before a FilterExpression, so one request may return fewer items than asked for;
    this asks again until the page is full or the query is exhausted."""
    items: list[dict[str, Any]] = []
    start = to_item(start_key) if start_key else None
    while True:
        response = client.query(**kwargs, Limit=limit - len(items), **({"ExclusiveStartKey": start} if start else {}))
        items.extend(from_item(item) for item in response.get("Items", []))
        start = response.get("LastEvaluatedKey")
        if start is None or len(items) >= limit:
            return items, from_item(start) if start else None
