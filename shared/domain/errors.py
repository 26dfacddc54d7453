"""Errors the rules and services raise, by what went wrong, never by HTTP status (design rule 10).

The API maps each kind to a status once (`shared/api/problems.py`); batch handlers and the CLI report the same
`code` and `detail`. A subclass or an instance names a stable `code` that clients switch on; `detail` never
carries a My Number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

__all__ = ["AuditAppendFailed", "Conflict", "DomainError", "Invalid", "NotFound", "Refused"]


class DomainError(Exception):
    """Base of every expected failure; `code` is stable, `title` and `detail` are for people."""

    code: ClassVar[str] = "domain-error"
    title: ClassVar[str] = "The request cannot be completed"

    def __init__(self, detail: str, *, code: str | None = None, title: str | None = None,
                 errors: Sequence[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code  # type: ignore[misc]
        if title is not None:
            self.title = title  # type: ignore[misc]
        self.errors = list(errors) if errors else None


class NotFound(DomainError):
    """The record the request names does not exist."""

    code = "not-found"
    title = "Not found"


class Conflict(DomainError):
    """The request clashes with the record's current state (decided, stale, in progress)."""

    code = "conflict"
    title = "Conflict"


class Invalid(DomainError, ValueError):
    """The request breaks a rule of the domain (a value, a combination, a missing item)."""

    code = "invalid"
    title = "The request is not valid"


class Refused(DomainError):
    """A rule forbids this actor doing this (e.g. confirming one's own change)."""

    code = "refused"
    title = "Forbidden"


class AuditAppendFailed(RuntimeError):
    """A request's audit event could not be written, so the request fails closed: the API answers 503 and returns
    no data (design rule 7; PIA-III-2-c). Not a DomainError: a batch that meets it fails and is retried."""

    code = "audit-unavailable"
