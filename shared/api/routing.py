"""The router every route module uses: FastAPI's, with the errors every route can answer documented, and without
response models inferred from return annotations.

FastAPI builds a response model for every route whose return annotation is a type, even `dict[str, Any]`,
which documents nothing more than "an object" and costs about 2 ms of cold start per route. Routes that answer
with a model declare it (`response_model=ChangeView`); the others answer with what they return. Every route
documents the problem+json answers the shared guards and handlers can give (design rule 10), as plain schema
references, which cost nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

__all__ = ["PROBLEM_RESPONSES", "PROBLEM_SCHEMA", "Router"]

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem", "type": "object", "required": ["type", "title", "status", "code"],
    "description": "RFC 9457 problem details; `code` is stable (docs/api-errors.md)",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "code": {"type": "string"}, "detail": {"type": "string"}, "request_id": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "type": {"type": "string"}, "message": {"type": "string"}}}},
    },
}
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "content": _PROBLEM} for status, description in (
        (400, "The body is not valid JSON, or a header the route needs is missing"),
        (401, "No valid staff token, or the session was closed"),
        (403, "The caller's roles do not grant this"),
        (404, "No such record"),
        (405, "The route does not take this method"),
        (409, "The record changed or was decided meanwhile"),
        (413, "The body is too large"),
        (414, "The path is too long"),
        (415, "The body is not of an accepted media type"),
        (422, "The request breaks a rule (fields, My Numbers in free text, …)"),
        (500, "A fault; quote the request id"),
    )
}


class Router(APIRouter):
    def add_api_route(self, path: str, endpoint: Callable[..., Any], *, response_model: Any = None,
                      responses: dict[int | str, dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().add_api_route(path, endpoint, response_model=response_model,
                              responses={**PROBLEM_RESPONSES, **(responses or {})}, **kwargs)
