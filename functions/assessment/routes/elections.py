"""口座振替 elections (徴収方法の申出) at the counter: proposed by a clerk, in force once a checker confirms them
at /assessment/changes/{id}/confirm (PIA-III-2-l)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from functions.assessment.workflow import ELECTION, WORKFLOW
from shared.adapters.persons import PersonRepository
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.change_routes import ChangeView, change_view, changes_of
from shared.api.fields import PersonId
from shared.api.routing import Router
from shared.domain.changes import Operation
from shared.domain.errors import NotFound
from shared.domain.roles import Permission

router = Router(prefix="/assessment/elections", tags=["assessment 徴収方法"])
Maker = Annotated[Principal, Depends(require(Permission.CHANGE_REQUEST))]
Changes = changes_of(WORKFLOW)


class ElectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: PersonId
    method: Literal["account-transfer"] = "account-transfer"
    effective_from: date = Field(description="the first day 特別徴収 no longer applies")
    reason: str = Field(min_length=1, max_length=500, description="e.g. 口座振替依頼書 受付番号")


class WithdrawalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


@router.post("", response_model=ChangeView, status_code=202)
def elect(body: ElectionIn, principal: Maker, runtime: RuntimeDep, changes: Changes) -> ChangeView:
    """Propose the election; it is in force (for the 期割 made after) once a checker confirms it."""
    if runtime.repository(PersonRepository).get(body.person_id) is None:
        raise NotFound("there is no such person")
    values = {"person_id": body.person_id, "method": body.method, "effective_from": body.effective_from.isoformat(),
              "received_on": runtime.clock().date().isoformat(), "status": "in-force"}
    return change_view(changes.propose(maker=principal.staff.staff_id, operation=Operation.CREATE, person_id=None,
                                       values=values, reason=body.reason, request_id=principal.request_id,
                                       kind=ELECTION))


@router.post("/{election_id}/withdrawal", response_model=ChangeView, status_code=202)
def withdraw(election_id: Annotated[str, Path(pattern=r"^CE[0-9A-Z]{16}$")], body: WithdrawalIn,
             principal: Maker, changes: Changes) -> ChangeView:
    return change_view(changes.propose(maker=principal.staff.staff_id, operation=Operation.UPDATE,
                                       person_id=election_id, values={"status": "withdrawn"}, reason=body.reason,
                                       request_id=principal.request_id, kind=ELECTION))
