"""Maker-checker change requests (design rule 6; PIA-III-2-l), as pure data and rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any


class Operation(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Status(str, Enum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    EXPIRED = "expired"


@dataclass(frozen=True)
class ChangeRequest:
    request_id: str
    workflow: str
    entity: str  # e.g. "person"
    entity_id: str
    operation: Operation
    changes: dict[str, dict[str, Any]]  # field -> {"from", "to"}; a My Number change is {"changed": True}
    reason: str
    maker: str
    base_version: int  # 0 for a create
    created_at: datetime
    expires_at: datetime
    status: Status = Status.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    sealed: dict[str, str] = field(default_factory=dict)  # encrypted values (My Number ciphertext and index)
    follow_up: dict[str, Any] = field(default_factory=dict)  # what confirming also does, e.g. queue a transfer

    def is_expired(self, now: datetime) -> bool:
        return self.status is Status.PENDING and now >= self.expires_at


class SelfConfirmation(PermissionError):
    """The maker may not confirm their own change (PIA-III-2-l: two or more staff)."""


def check_checker(request: ChangeRequest, checker: str) -> None:
    if request.maker == checker:
        raise SelfConfirmation(f"{checker} made this change and cannot also confirm it")
