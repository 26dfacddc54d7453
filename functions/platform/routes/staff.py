"""Staff registry administration: personal accounts only, kept accurate, duties separated (PIA-III-3-c, III-3-d)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from functions.platform.services import staff_admin
from shared.adapters.staff_registry import StaffRegistry
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.change_routes import ChangeView, change_view
from shared.api.pages import PageDep, encode_cursor
from shared.api.routing import Router
from shared.domain.changes import ChangeRequest
from shared.domain.errors import Invalid
from shared.domain.roles import Permission, Role
from shared.domain.staff import StaffMember
from shared.storage import STORAGE

router = Router(prefix="/staff", tags=["staff"])
Admin = Annotated[Principal, Depends(require(Permission.STAFF_ADMIN))]
STAFF_KEY = STORAGE.table("staff").page_key()


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    staff_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")
    name: str = Field(min_length=1, max_length=100)
    department: str = Field(min_length=1, max_length=100)
    roles: list[Role] = Field(min_length=1)
    shared_account: bool = False


class StaffOut(BaseModel):
    staff_id: str
    name: str
    department: str
    roles: list[Role]
    active: bool


class StaffPatch(BaseModel):
    """Disable (at once, or by proposal for auditors and operators), re-enable or change roles (proposals)."""

    model_config = ConfigDict(extra="forbid")
    active: bool | None = None
    roles: list[Role] | None = Field(None, min_length=1)


def _out(member: StaffMember) -> StaffOut:
    return StaffOut(staff_id=member.staff_id, name=member.name, department=member.department,
                    roles=sorted(member.roles, key=lambda r: r.value), active=member.active)


class StaffPage(BaseModel):
    """A page of the staff registry; `next_cursor` (None on the last page) asks for the next."""

    staff: list[StaffOut]
    next_cursor: str | None


@router.get("", response_model=StaffPage)
def list_staff(_: Admin, runtime: RuntimeDep, page: PageDep) -> StaffPage:
    """The staff registry, a page at a time (shared/api/pages.py)."""
    found, after = runtime.repository(StaffRegistry).page(page.limit, page.start(STAFF_KEY))
    return StaffPage(staff=[_out(m) for m in found], next_cursor=encode_cursor(after))


@router.post("", response_model=ChangeView, status_code=202)
def register_staff(body: StaffIn, principal: Admin, runtime: RuntimeDep) -> ChangeView:
    """Propose a new personal account with its roles; it exists once a different administrator confirms it
    (`POST /platform/changes/{id}/confirm`). Incompatible roles are refused with the reason."""
    member = StaffMember(body.staff_id, body.name.strip(), body.department, frozenset(body.roles),
                         shared_account=body.shared_account)
    return change_view(staff_admin.propose_registration(runtime, member, principal.staff.staff_id,
                                                        principal.request_id))


@router.patch("/{staff_id}", responses={202: {"description": "a proposal for a second administrator",
                                              "model": ChangeView}}, response_model=StaffOut | ChangeView)
def update_staff(staff_id: str, body: StaffPatch, principal: Admin, runtime: RuntimeDep,
                 response: Response) -> StaffOut | ChangeView:
    """`{"active": false}` disables at once (202 with a proposal for an auditor or operator); `{"active": true}`
    and `{"roles": […]}` are proposals for a second administrator."""
    if (body.active is None) == (body.roles is None):
        raise Invalid("send either active or roles", code="validation-failed")
    me = principal.staff.staff_id
    if body.roles is not None:
        outcome: ChangeRequest | StaffMember = staff_admin.propose_roles(runtime, staff_id, frozenset(body.roles), me,
                                                                        principal.request_id)
    elif body.active:
        outcome = staff_admin.propose_enable(runtime, staff_id, me, principal.request_id)
    else:
        outcome = staff_admin.disable(runtime, staff_id, me, principal.request_id)
    if isinstance(outcome, StaffMember):
        return _out(outcome)
    response.status_code = 202
    return change_view(outcome)
