"""Routes every deployment serves whatever the workflow: who am I, sign out, read the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from shared.adapters.audit_log import AuditEvent
from shared.api.auth import Principal, authenticate, get_runtime, require
from shared.domain.roles import Permission
from shared.runtime import Runtime

router = APIRouter()


class Me(BaseModel):
    staff_id: str
    name: str
    department: str
    roles: list[str]
    permissions: list[str]
    session_idle_minutes: int


@router.get("/auth/me", response_model=Me, tags=["auth"])
def me(principal: Principal = Depends(authenticate), runtime: Runtime = Depends(get_runtime)) -> Me:
    staff = principal.staff
    return Me(
        staff_id=staff.staff_id,
        name=staff.name,
        department=staff.department,
        roles=sorted(r.value for r in staff.roles),
        permissions=sorted(p.value for p in staff.permissions),
        session_idle_minutes=runtime.settings.session_idle_minutes,
    )


@router.post("/auth/logout", tags=["auth"])
def logout(principal: Principal = Depends(authenticate), runtime: Runtime = Depends(get_runtime)) -> dict[str, str]:
    if runtime.sessions.close(principal.session_id, "sign-out", runtime.clock()):
        runtime.audit.append(AuditEvent(staff_id=principal.staff.staff_id, action="auth.sign-out",
                                        outcome="success", request_id=principal.request_id))
    return {"status": "signed-out"}


@router.get("/audit/records", tags=["audit"])
def audit_records(
    request: Request,
    limit: int = Query(50, ge=1, le=500),
    principal: Principal = Depends(require(Permission.AUDIT_READ)),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    """The latest audit records, newest first, for inspection (PIA-III-2-c, III-8)."""
    records = runtime.audit.latest(limit)
    runtime.audit.append(AuditEvent(staff_id=principal.staff.staff_id, action="audit.read", outcome="success",
                                    purpose="inspection", request_id=principal.request_id))
    return {"records": records}
