"""Cursor pagination for every list route: `?limit=` (at most MAX_LIMIT) and `?cursor=` (the `next_cursor` of
the page before). A cursor is the position after the last item of a page, as opaque base64 text; one that does
not decode to a position in the same list is a 422 problem (`invalid-cursor`), never a 500.

Without pages a list grows with the city: a 10,000-row import made the 広域連合 queue a 4.4 MB response, and
Lambda refuses responses over 6 MB.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query

from shared.api.problems import Problem

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "PageDep", "PageRequest", "decode_cursor", "encode_cursor"]

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_CURSOR = 2048


def encode_cursor(position: Mapping[str, Any] | None) -> str | None:
    """The cursor of a position (a DynamoDB key, an S3 key …); None at the end of the list."""
    if not position:
        return None
    text = json.dumps(dict(position), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _invalid(detail: str) -> Problem:
    return Problem(422, "invalid-cursor", "The cursor is not valid", detail,
                   errors=[{"field": "query.cursor", "type": "invalid-cursor", "message": detail}])


def decode_cursor(cursor: str | None, fields: Sequence[str], fixed: Mapping[str, Any] | None = None
                  ) -> dict[str, Any] | None:
    """The position a cursor stands for: exactly `fields`, each a string or a whole number, and equal to
    `fixed` where given (a cursor of one list cannot be used on another)."""
    if cursor is None:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _invalid("the cursor was not given by this list; start again without it") from None
    if not isinstance(position, dict) or set(position) != set(fields) or not all(
            isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in position.values()):
        raise _invalid("the cursor was not given by this list; start again without it")
    if any(position.get(k) != v for k, v in (fixed or {}).items()):
        raise _invalid("the cursor belongs to another list")
    return position


@dataclass(frozen=True)
class PageRequest:
    limit: int
    cursor: str | None

    def start(self, fields: Sequence[str], fixed: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        return decode_cursor(self.cursor, fields, fixed)


def _page(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"items per page, at most {MAX_LIMIT}")]
          = DEFAULT_LIMIT,
          cursor: Annotated[str | None, Query(min_length=1, max_length=MAX_CURSOR,
                                              description="the next_cursor of the previous page")] = None,
          ) -> PageRequest:
    return PageRequest(limit, cursor)


PageDep = Annotated[PageRequest, Depends(_page)]
