"""不納欠損 (法第160条) and 延滞金 減免: candidates, and proposals for a checker (collection:write)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from functions.collection.rules.decisions import PAYMENT_NUMBER
from functions.collection.services.limitation import propose_remission, propose_write_off, write_off_candidates
from functions.collection.workflow import WORKFLOW
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.change_routes import ChangeView, change_view, changes_of
from shared.api.routing import Router
from shared.domain.calendar import date_in_japan
from shared.domain.roles import Permission

router = Router(prefix="/collection", tags=["collection 不納欠損・減免"])
Officer = Annotated[Principal, Depends(require(Permission.COLLECTION_WRITE))]
Changes = changes_of(WORKFLOW)


class WriteOff(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payment_number: str = Field(pattern=PAYMENT_NUMBER)
    reason: str = Field(min_length=1, max_length=300)


class Remission(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payment_number: str = Field(pattern=PAYMENT_NUMBER)
    amount: int = Field(gt=0, le=10_000_000, strict=True, description="yen of 延滞金 remitted")
    reason: str = Field(min_length=1, max_length=300)


@router.get("/write-off-candidates")
def candidates(_: Officer, runtime: RuntimeDep,
               as_of: Annotated[date | None, Query(description="default today")] = None) -> dict[str, Any]:
    """Unpaid 期 whose collection right has lapsed, and lapsed refund claims."""
    return write_off_candidates(runtime, as_of or date_in_japan(runtime.clock()))


@router.post("/write-offs", response_model=ChangeView, status_code=202)
def write_off(body: WriteOff, principal: Officer, runtime: RuntimeDep, changes: Changes) -> ChangeView:
    return change_view(propose_write_off(runtime, changes, maker=principal.staff.staff_id,
                                         payment_number=body.payment_number, reason=body.reason,
                                         request_id=principal.request_id, as_of=date_in_japan(runtime.clock())))


@router.post("/late-fee-remissions", response_model=ChangeView, status_code=202)
def remission(body: Remission, principal: Officer, runtime: RuntimeDep, changes: Changes) -> ChangeView:
    return change_view(propose_remission(runtime, changes, maker=principal.staff.staff_id,
                                         payment_number=body.payment_number, amount=body.amount,
                                         reason=body.reason, request_id=principal.request_id,
                                         today=date_in_japan(runtime.clock())))
