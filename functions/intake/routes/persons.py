"""Person look-up at the counter: search, single-person view, suspension of use."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from functions.intake.services.eligibility_view import eligibility_of
from functions.intake.workflow import WORKFLOW
from shared.api.auth import Principal, RuntimeDep, forbid, require
from shared.api.change_routes import ChangeView, change_view, changes_of
from shared.api.fields import Day, MyNumberText
from shared.api.pages import DEFAULT_LIMIT, MAX_CURSOR, MAX_LIMIT, decode_cursor, encode_cursor
from shared.api.routing import Router
from shared.domain.calendar import date_in_japan
from shared.domain.changes import Operation
from shared.domain.errors import NotFound
from shared.domain.kana import kana_key
from shared.domain.roles import Permission
from shared.protection.views import PersonViews
from shared.storage import STORAGE

router = Router(prefix="/intake/persons", tags=["intake persons"])
PURPOSE = Field(min_length=2, max_length=200, description="why the My Number is needed; recorded in the audit log")
Changes = changes_of(WORKFLOW)
KANA_KEY = STORAGE.table("persons").page_key("by-kana-birth")


class KanaSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name_kana: str = Field(min_length=1, max_length=100, description="カナ, かな or ｶﾅ; spaces ignored")
    birth_date: Day | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"results per page, at most {MAX_LIMIT}")
    cursor: str | None = Field(None, min_length=1, max_length=MAX_CURSOR,
                               description="the next_cursor of the previous page")


class MyNumberSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    my_number: MyNumberText
    purpose: str = PURPOSE


class Suspension(BaseModel):
    model_config = ConfigDict(extra="forbid")
    suspend: bool = True
    reason: str = Field(min_length=1, max_length=500, description="e.g. 利用停止請求 受付番号")


@router.post("/search")
def search(body: KanaSearch, principal: Annotated[Principal, Depends(require(Permission.PERSON_SEARCH))],
           runtime: RuntimeDep) -> dict[str, Any]:
    """Search by kana name and birth date, a page at a time; results never carry a My Number (PIA-III-2-a)."""
    start = decode_cursor(body.cursor, KANA_KEY, {"kana_key": kana_key(body.name_kana)})
    found, after = PersonViews(runtime).search_by_kana(body.name_kana,
                                                       body.birth_date.isoformat() if body.birth_date else None,
                                                       principal.staff.staff_id, principal.request_id, body.limit,
                                                       start)
    return {"results": found, "count": len(found), "next_cursor": encode_cursor(after)}


@router.post("/search-by-my-number")
def search_by_my_number(body: MyNumberSearch,
                        principal: Annotated[Principal, Depends(require(Permission.MYNUMBER_SEARCH))],
                        runtime: RuntimeDep) -> dict[str, Any]:
    """Exact look-up through the blind index, for mynumber:search only (PIA-III-3-d); the results are a list, so
    they carry no My Number."""
    found = PersonViews(runtime).search_by_my_number(body.my_number, principal.staff.staff_id,
                                                     principal.request_id, body.purpose)
    return {"results": found, "count": len(found)}


@router.get("/{person_id}")
def view(person_id: str, request: Request, principal: Annotated[Principal, Depends(require(Permission.PERSON_READ))],
         runtime: RuntimeDep,
         purpose: Annotated[str | None, Query(min_length=2, max_length=200,
                                              description="state it to see the My Number (needs mynumber:read)")]
         = None) -> dict[str, Any]:
    """One person with their 資格 (status, periods, 住所地特例, 適用除外, 負担割合, the current 資格確認書). With
    `purpose` and mynumber:read the view adds `my_number`, always beside name, birth date and address
    (PIA-III-2-e); without the permission the field is absent, not masked."""
    if purpose is not None and not principal.staff.can(Permission.MYNUMBER_READ):
        raise forbid(runtime, request, principal, "'mynumber:read'")
    today = date_in_japan(runtime.clock())
    found = PersonViews(runtime).view(person_id, principal.staff.staff_id, principal.request_id, purpose,
                                      lambda record: {"eligibility": eligibility_of(runtime, record, today)})
    if found is None:
        raise NotFound("there is no such person")
    return found


@router.post("/{person_id}/suspension", response_model=ChangeView, status_code=202)
def request_suspension(person_id: str, body: Suspension,
                       principal: Annotated[Principal, Depends(require(Permission.CHANGE_REQUEST))],
                       changes: Changes) -> ChangeView:
    """利用停止 (PIA-IV-1): a change request like any other; once confirmed, exports skip the person."""
    created = changes.propose(maker=principal.staff.staff_id, operation=Operation.UPDATE, person_id=person_id,
                              values={"suspended": body.suspend}, reason=body.reason, request_id=principal.request_id)
    return change_view(created)
