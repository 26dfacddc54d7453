"""未確認入金: the list, and a resolution proposed for a checker (collection:write)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from functions.collection.rules.decisions import PAYMENT_NUMBER
from functions.collection.services.suspense import open_suspense, propose_resolution
from functions.collection.workflow import WORKFLOW
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.change_routes import ChangeView, change_view, changes_of
from shared.api.fields import PersonId
from shared.api.routing import Router
from shared.domain.roles import Permission

router = Router(prefix="/collection/suspense", tags=["collection 未確認入金"])
Officer = Annotated[Principal, Depends(require(Permission.COLLECTION_WRITE))]
Changes = changes_of(WORKFLOW)


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: PersonId
    payment_number: str | None = Field(None, pattern=PAYMENT_NUMBER, description="the 期 it pays")
    to_overpayment: bool = Field(False, description="no 期 can take it: an over-payment of the person")
    note: str = Field(min_length=1, max_length=300, description="how the payer was identified")


@router.get("")
def pending(_: Officer, runtime: RuntimeDep) -> dict[str, Any]:
    """Open 未確認入金, oldest first, with their total."""
    found = open_suspense(runtime)
    return {"suspense": found, "count": len(found), "total": sum(int(r["amount"]) for r in found)}


@router.post("/{receipt_id}/resolution", response_model=ChangeView, status_code=202)
def resolve(receipt_id: str, body: Resolution, principal: Officer, runtime: RuntimeDep,
            changes: Changes) -> ChangeView:
    """Propose where the payment belongs; posted once a checker confirms it."""
    created = propose_resolution(runtime, changes, maker=principal.staff.staff_id, receipt_id=receipt_id,
                                 person_id=body.person_id, payment_number=body.payment_number,
                                 to_overpayment=body.to_overpayment, note=body.note, request_id=principal.request_id)
    return change_view(created)
