"""No My Number in free text (design rule 5; PIA-III-2-a, III-3-a): refused at the edge, for every route.

Staff without `mynumber:write` could otherwise type "個人番号 123456789018" into a reason, a subject, a remark
or `?purpose=`; it would be stored in the clear, shown to every role that reads the record and written to the
audit log. This guard runs before authentication and before any route, so no new route or field can forget
it: every string and integer in a JSON body, every query value and the path are searched
(`shared.domain.mynumber.my_numbers_in`: ASCII, full-width, superscript or kanji digits, any separators).
Only the fields that exist to carry a My Number (`MY_NUMBER_FIELDS`) are exempt; their routes check
`mynumber:write` and store the number encrypted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from shared.domain.mynumber import my_numbers_in

__all__ = ["CODE", "MY_NUMBER_FIELDS", "FreeTextGuard", "my_number_fields_in"]

CODE = "my-number-in-free-text"
# The request fields whose purpose is a My Number (validated, permission-checked and sealed by their routes).
MY_NUMBER_FIELDS = frozenset({"my_number", "mynumber", "proxy_my_number"})
_MESSAGE = "a My Number may be sent only in a My Number field, never in free text; remove it"


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield where, str(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in MY_NUMBER_FIELDS:
                name = "<key>" if my_numbers_in(str(key)) else str(key)  # the report must not echo it either
                yield f"{where}.{name}", str(key)  # a key is free text too
                yield from _strings(item, f"{where}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}.{index}")


def my_number_fields_in(path: str, query: str, body: Any) -> list[str]:
    """Where a My Number sits outside a My Number field: 'path', 'query.<name>' or 'body.<field>'."""
    places = [("path", unquote(path))]
    places += [(f"query.{name}", f"{name}={value}") for name, value in parse_qsl(query, keep_blank_values=True)
               if name not in MY_NUMBER_FIELDS]
    places += list(_strings(body, "body"))
    return [where for where, text in places if my_numbers_in(text)]


class FreeTextGuard:
    """Pure ASGI: reads a JSON body once, replays it to the app, answers 422 problem+json when a number is found."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, receive = await _buffered(scope, receive)
        try:
            document = json.loads(body) if body and _is_json(scope) else None
        except ValueError:
            document = None  # malformed JSON is the route's 400, not ours
        found = my_number_fields_in(scope.get("path", ""), scope.get("query_string", b"").decode("latin-1"),
                                    document)
        if not found:
            await self.app(scope, receive, send)
            return
        from shared.api.problems import problem_body

        request_id = (scope.get("state") or {}).get("request_id")
        payload = problem_body(422, CODE, "A My Number in free text", _MESSAGE, request_id=request_id,
                               errors=[{"field": f, "type": CODE, "message": _MESSAGE} for f in found])
        await send({"type": "http.response.start", "status": 422,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


def _is_json(scope: dict[str, Any]) -> bool:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-type":
            return value.split(b";")[0].strip().lower().endswith(b"json")
    return False


async def _buffered(scope: dict[str, Any], receive: Any) -> tuple[bytes, Any]:
    """The body (RequestGuards has already bounded its size) and a receive that hands it to the app again."""
    if scope.get("method") not in ("POST", "PUT", "PATCH"):
        return b"", receive
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay
