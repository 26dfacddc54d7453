"""RFC 9457 problem details: every error the API returns (design rule 10).

Each problem has a stable `code` clients can switch on, a readable `title` and `detail`, the request id,
and for validation errors the offending fields. Nothing here ever includes a stack trace.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.domain.errors import AuditAppendFailed, Conflict, DomainError, Invalid, NotFound, Refused
from shared.domain.mynumber import MyNumberRule

__all__ = ["PROBLEM_JSON", "Problem", "install_problem_handlers", "problem_body", "problem_response", "status_of"]

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """Raise from anywhere below a route to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        errors: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = headers


def problem_body(status: int, code: str, title: str, detail: str | None = None, *, request_id: str | None = None,
                 errors: list[dict[str, Any]] | None = None) -> bytes:
    """The problem document as bytes, for answers sent below FastAPI (pure ASGI guards)."""
    return json.dumps(_document(status, code, title, detail, request_id, errors), ensure_ascii=False).encode()


def _document(status: int, code: str, title: str, detail: str | None, request_id: str | None,
              errors: list[dict[str, Any]] | None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": f"urn:choju:problem:{code}", "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    if request_id:
        body["request_id"] = request_id
    return body


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    *,
    request_id: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(_document(status, code, title, detail, request_id, errors), status_code=status,
                        media_type=PROBLEM_JSON, headers=headers)


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


_HTTP_CODES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


# Each kind of domain error has one status, decided here and nowhere else (no status in the service layer).
_DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404), (Conflict, 409), (Invalid, 422), (Refused, 403))
_MY_NUMBER_RULES = frozenset(rule.value for rule in MyNumberRule)


def status_of(error: DomainError) -> int:
    return next((status for kind, status in _DOMAIN_STATUS if isinstance(error, kind)), 422)


def _field_errors(exc: RequestValidationError) -> tuple[str, str, list[dict[str, Any]]]:
    """Map pydantic errors to (code, title, fields); a body that is not JSON gets its own code."""
    fields = []
    code, title = "validation-failed", "The request has invalid fields"
    for error in exc.errors():
        kind = error.get("type", "")
        if kind == "json_invalid":
            code, title = "malformed-json", "The request body is not valid JSON"
        elif kind in _MY_NUMBER_RULES and code == "validation-failed":
            code, title = "invalid-my-number", "The My Number is not valid"
        elif kind == "extra_forbidden" and code == "validation-failed":
            code, title = "unknown-field", "The request has fields this operation does not accept"
        location = [str(part) for part in error.get("loc", ())]
        # The input value is never echoed: it may be a My Number.
        fields.append({"field": ".".join(location), "type": kind, "message": error.get("msg", "")})
    return code, title, fields


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(
            exc.status, exc.code, exc.title, exc.detail,
            request_id=_request_id(request), errors=exc.errors, headers=exc.headers,
        )

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(status_of(exc), exc.code, exc.title, exc.detail, request_id=_request_id(request),
                                errors=exc.errors)

    @app.exception_handler(AuditAppendFailed)
    async def _unrecorded(request: Request, exc: AuditAppendFailed) -> JSONResponse:
        # Fail closed (design rule 7): what is not in the audit log is not done, and no data goes out.
        return problem_response(503, exc.code, "Audit log unavailable",
                                "the request could not be recorded in the audit log, so it was not completed; "
                                "try again later", request_id=_request_id(request), headers={"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        code, title, fields = _field_errors(exc)
        status = 400 if code == "malformed-json" else 422
        return problem_response(status, code, title, request_id=_request_id(request), errors=fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, title = _HTTP_CODES.get(exc.status_code, ("error", "Error"))
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        return problem_response(exc.status_code, code, title, detail, request_id=_request_id(request))
