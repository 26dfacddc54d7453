"""口座振替 registrations: proposed by a collection officer, confirmed by a checker; shown masked."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from functions.collection.routes.refunds import Bank
from functions.collection.services.debits import REGISTRATIONS, propose_end, propose_registration
from functions.collection.workflow import WORKFLOW
from shared.adapters.persons import PersonRepository
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.change_routes import ChangeView, change_view, changes_of
from shared.api.fields import PersonId
from shared.api.routing import Router
from shared.domain.errors import NotFound
from shared.domain.roles import Permission

router = Router(prefix="/collection", tags=["collection 口座振替"])
Officer = Annotated[Principal, Depends(require(Permission.COLLECTION_WRITE))]
Reader = Annotated[Principal, Depends(require(Permission.COLLECTION_READ))]
Changes = changes_of(WORKFLOW)


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: PersonId
    bank: Bank
    starts_on: date = Field(description="the first 納期限 to debit")
    reason: str = Field("口座振替依頼書の受付", min_length=1, max_length=300)


class Ending(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ends_on: date
    reason: str = Field(min_length=1, max_length=300)


@router.post("/debit-registrations", response_model=ChangeView, status_code=202)
def register(body: Registration, principal: Officer, runtime: RuntimeDep, changes: Changes) -> ChangeView:
    """Validate the account (half-width digits, kana normalised) and propose the registration."""
    return change_view(propose_registration(runtime, changes, maker=principal.staff.staff_id,
                                            person_id=body.person_id, bank=body.bank.model_dump(),
                                            starts_on=body.starts_on, reason=body.reason,
                                            request_id=principal.request_id))


@router.post("/debit-registrations/{registration_id}/end", response_model=ChangeView, status_code=202)
def end(registration_id: str, body: Ending, principal: Officer, runtime: RuntimeDep, changes: Changes) -> ChangeView:
    return change_view(propose_end(runtime, changes, maker=principal.staff.staff_id, registration_id=registration_id,
                                   ends_on=body.ends_on, reason=body.reason, request_id=principal.request_id))


@router.get("/persons/{person_id}/debit-registrations")
def registrations(person_id: PersonId, _: Reader, runtime: RuntimeDep) -> dict[str, Any]:
    """A person's registrations, the account masked (never the number)."""
    if runtime.repository(PersonRepository).get(person_id) is None:
        raise NotFound("there is no such person")
    found = runtime.records(REGISTRATIONS).query("by-person", "person_id", person_id)
    return {"registrations": [
        {k: r.get(k) for k in ("registration_id", "status", "starts_on", "ends_on", "account")}
        for r in sorted(found, key=lambda r: r["starts_on"])]}
