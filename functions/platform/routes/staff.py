"""Staff registry administration: personal accounts only, kept accurate (PIA-III-3-c)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from shared.adapters.audit_log import AuditEvent
from shared.adapters.staff_registry import StaffRegistry
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.routing import Router
from shared.domain.errors import NotFound
from shared.domain.roles import Permission, Role
from shared.domain.staff import StaffMember

router = Router(prefix="/staff", tags=["staff"])
Admin = Annotated[Principal, Depends(require(Permission.STAFF_ADMIN))]


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
    model_config = ConfigDict(extra="forbid")
    active: bool


def _out(member: StaffMember) -> StaffOut:
    return StaffOut(staff_id=member.staff_id, name=member.name, department=member.department,
                    roles=sorted(member.roles, key=lambda r: r.value), active=member.active)


@router.get("", response_model=list[StaffOut])
def list_staff(_: Admin, runtime: RuntimeDep) -> list[StaffOut]:
    return [_out(m) for m in runtime.repository(StaffRegistry).all()]


@router.post("", response_model=StaffOut, status_code=201)
def register_staff(body: StaffIn, principal: Admin, runtime: RuntimeDep) -> StaffOut:
    member = StaffMember(body.staff_id, body.name.strip(), body.department, frozenset(body.roles),
                         shared_account=body.shared_account)
    runtime.repository(StaffRegistry).register(member, replace=False)
    runtime.audit.append(AuditEvent(principal.staff.staff_id, "staff.register", "success",
                                    target=member.staff_id, request_id=principal.request_id))
    return _out(member)


@router.patch("/{staff_id}", response_model=StaffOut)
def update_staff(staff_id: str, body: StaffPatch, principal: Admin, runtime: RuntimeDep) -> StaffOut:
    member = runtime.repository(StaffRegistry).get(staff_id)
    if member is None:
        raise NotFound("there is no such staff member")
    runtime.repository(StaffRegistry).set_active(staff_id, body.active)
    runtime.audit.append(AuditEvent(principal.staff.staff_id, "staff.enable" if body.active else "staff.disable",
                                    "success", target=staff_id, request_id=principal.request_id))
    return _out(StaffMember(member.staff_id, member.name, member.department, member.roles, body.active))
