"""A person's collection account: `GET /collection/persons/{person_id}/account` (collection:read)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query

from functions.collection.services.accounts import account_of
from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.fields import PersonId
from shared.api.routing import Router
from shared.domain.calendar import date_in_japan
from shared.domain.errors import NotFound
from shared.domain.roles import Permission

router = Router(prefix="/collection", tags=["collection account"])
Reader = Annotated[Principal, Depends(require(Permission.COLLECTION_READ))]


@router.get("/persons/{person_id}/account")
def account(person_id: PersonId, principal: Reader, runtime: RuntimeDep,
            as_of: Annotated[date | None, Query(description="compute 延滞金 to this day (default today)")] = None,
            purpose: Annotated[str, Query(max_length=200)] = "収納状況の確認") -> dict[str, Any]:
    """調定, 収納, arrears, 延滞金 and refunds of one person, per 期; every read is audited."""
    if runtime.repository(PersonRepository).get(person_id) is None:
        raise NotFound("there is no such person")
    runtime.audit.append(AuditEvent(principal.staff.staff_id, "collection.account-read", "success", target=person_id,
                                    purpose=purpose, request_id=principal.request_id))
    return account_of(runtime, person_id, as_of or date_in_japan(runtime.clock()))
