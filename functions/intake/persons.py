"""Person look-up at the counter: search, single-person view, suspension of use."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from shared.api.auth import Principal, forbid, get_runtime, require
from shared.api.change_routes import ChangeView, as_problem, change_service, change_view
from shared.api.problems import Problem
from shared.api.problems_domain import invalid_my_number
from shared.domain.changes import Operation
from shared.domain.mynumber import InvalidMyNumber
from shared.domain.roles import Permission
from shared.protection.changes import ChangeError
from shared.protection.views import PersonViews
from shared.runtime import Runtime

router = APIRouter(prefix="/intake/persons", tags=["intake persons"])
PURPOSE = Field(min_length=2, max_length=200, description="why the My Number is needed; recorded in the audit log")


class KanaSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name_kana: str = Field(min_length=1, max_length=100, description="カナ, かな or ｶﾅ; spaces ignored")
    birth_date: date | None = None


class MyNumberSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    my_number: str = Field(max_length=40, description="12 digits; full-width, spaces and hyphens accepted")
    purpose: str = PURPOSE


class Suspension(BaseModel):
    model_config = ConfigDict(extra="forbid")
    suspend: bool = True
    reason: str = Field(min_length=1, max_length=500, description="e.g. 利用停止請求 受付番号")


@router.post("/search")
def search(body: KanaSearch, principal: Principal = Depends(require(Permission.PERSON_SEARCH)),
           runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    """Search by kana name and birth date; results never carry a My Number (PIA-III-2-a)."""
    found = PersonViews(runtime).search_by_kana(body.name_kana, body.birth_date.isoformat() if body.birth_date else None,
                                                principal.staff.staff_id, principal.request_id)
    return {"results": found, "count": len(found)}


@router.post("/search-by-my-number")
def search_by_my_number(body: MyNumberSearch, principal: Principal = Depends(require(Permission.MYNUMBER_SEARCH)),
                        runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    """Exact look-up through the blind index, for mynumber:search only (PIA-III-3-d); the results are a list, so
    they carry no My Number."""
    try:
        found = PersonViews(runtime).search_by_my_number(body.my_number, principal.staff.staff_id,
                                                         principal.request_id, body.purpose)
    except InvalidMyNumber as invalid:
        raise invalid_my_number(invalid, "body.my_number") from None
    return {"results": found, "count": len(found)}


@router.get("/{person_id}")
def view(person_id: str, request: Request,
         purpose: str | None = Query(None, min_length=2, max_length=200,
                                     description="state it to see the My Number (needs mynumber:read)"),
         principal: Principal = Depends(require(Permission.PERSON_READ)),
         runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    """One person. With `purpose` and mynumber:read the view adds `my_number`, always beside name, birth date
    and address (PIA-III-2-e); without the permission the field is absent, not masked."""
    if purpose is not None and not principal.staff.can(Permission.MYNUMBER_READ):
        raise forbid(runtime, request, principal, "'mynumber:read'")
    found = PersonViews(runtime).view(person_id, principal.staff.staff_id, principal.request_id, purpose)
    if found is None:
        raise Problem(404, "not-found", "Not found", f"no person {person_id}")
    return found


@router.post("/{person_id}/suspension", response_model=ChangeView, status_code=202)
def request_suspension(person_id: str, body: Suspension,
                       principal: Principal = Depends(require(Permission.CHANGE_REQUEST)),
                       runtime: Runtime = Depends(get_runtime)) -> ChangeView:
    """利用停止 (PIA-IV-1): a change request like any other; once confirmed, exports skip the person."""
    try:
        created = change_service(runtime).propose(
            workflow="intake", maker=principal.staff.staff_id, operation=Operation.UPDATE, person_id=person_id,
            values={"suspended": body.suspend}, reason=body.reason, request_id=principal.request_id)
    except ChangeError as error:
        raise as_problem(error) from None
    return change_view(created)
