"""No My Number in free text, no invisible control characters anywhere: refused at the edge, for every route.

(1) My Numbers (design rule 5; PIA-III-2-a, III-3-a).

Staff without `mynumber:write` could otherwise type "個人番号 123456789018" into a reason, a subject, a remark
or `?purpose=`; it would be stored in the clear, shown to every role that reads the record and written to the
audit log. This guard runs before authentication and before any route, so no new route or field can forget
it: every string and integer in a JSON body, every query value and the path are searched
(`shared.domain.mynumber.my_numbers_in`: ASCII, full-width, superscript or kanji digits, any separators).
Only the fields that exist to carry a My Number (`MY_NUMBER_FIELDS`) are exempt; their routes check
`mynumber:write` and store the number encrypted.

(2) Control and bidirectional-override characters (NUL, ESC, U+202E …) in any string: they make a name print
differently from what is stored (a reversed 氏名 on a 資格確認書), hide text in logs and break fixed-width files.
Tab and line breaks stay allowed.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from shared.domain.mynumber import my_numbers_in

__all__ = ["CHARACTERS_CODE", "CODE", "MY_NUMBER_FIELDS", "FreeTextGuard", "forbidden_character_fields_in",
           "my_number_fields_in"]

CODE = "my-number-in-free-text"
CHARACTERS_CODE = "forbidden-characters"
# Bidirectional embeddings, overrides and isolates, and the marks that flip direction (Unicode TR 9).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_CHARACTERS_MESSAGE = "control and bidirectional-override characters are not accepted"
# The request fields whose purpose is a My Number (validated, permission-checked and sealed by their routes).
MY_NUMBER_FIELDS = frozenset({"my_number", "mynumber", "proxy_my_number"})
_MESSAGE = "a My Number may be sent only in a My Number field, never in free text; remove it"


def _strings(value: Any, where: str, exempt: frozenset[str]) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield where, str(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in exempt:
                # The report must not echo a key that is itself the problem.
                name = "<key>" if my_numbers_in(str(key)) or _forbidden(str(key)) else str(key)
                yield f"{where}.{name}", str(key)  # a key is free text too
                yield from _strings(item, f"{where}.{name}", exempt)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}.{index}", exempt)


def _places(path: str, query: str, body: Any, exempt: frozenset[str]) -> list[tuple[str, str]]:
    places = [("path", unquote(path))]
    places += [(f"query.{name}", f"{name}={value}") for name, value in parse_qsl(query, keep_blank_values=True)
               if name not in exempt]
    return places + list(_strings(body, "body", exempt))


def my_number_fields_in(path: str, query: str, body: Any) -> list[str]:
    """Where a My Number sits outside a My Number field: 'path', 'query.<name>' or 'body.<field>'."""
    return [where for where, text in _places(path, query, body, MY_NUMBER_FIELDS) if my_numbers_in(text)]


def _forbidden(text: str) -> bool:
    return any((unicodedata.category(ch) == "Cc" and ch not in "\t\n\r") or ch in _BIDI for ch in text)


def forbidden_character_fields_in(path: str, query: str, body: Any) -> list[str]:
    """Where a control or bidirectional-override character sits (no field is exempt)."""
    return [where for where, text in _places(path, query, body, frozenset()) if _forbidden(text)]


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
        path, query = scope.get("path", ""), scope.get("query_string", b"").decode("latin-1")
        refusal = _refusal(path, query, document)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        from shared.api.problems import problem_body

        code, title, message, found = refusal
        request_id = (scope.get("state") or {}).get("request_id")
        payload = problem_body(422, code, title, message, request_id=request_id,
                               errors=[{"field": f, "type": code, "message": message} for f in found])
        await send({"type": "http.response.start", "status": 422,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


def _refusal(path: str, query: str, document: Any) -> tuple[str, str, str, list[str]] | None:
    found = my_number_fields_in(path, query, document)
    if found:
        return CODE, "A My Number in free text", _MESSAGE, found
    found = forbidden_character_fields_in(path, query, document)
    if found:
        return CHARACTERS_CODE, "Forbidden characters", _CHARACTERS_MESSAGE, found
    return None


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
