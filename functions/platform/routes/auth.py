"""Who am I, and sign out (PIA-III-3-e): every counter terminal's first and last call."""

from __future__ import annotations

from pydantic import BaseModel

from shared.adapters.audit_log import AuditEvent
from shared.adapters.sessions import SessionStore
from shared.api.auth import Authenticated, RuntimeDep
from shared.api.routing import Router

router = Router(prefix="/auth", tags=["auth"])


class Me(BaseModel):
    staff_id: str
    name: str
    department: str
    roles: list[str]
    permissions: list[str]
    session_idle_minutes: int


@router.get("/me", response_model=Me)
def me(principal: Authenticated, runtime: RuntimeDep) -> Me:
    staff = principal.staff
    return Me(staff_id=staff.staff_id, name=staff.name, department=staff.department,
              roles=sorted(r.value for r in staff.roles), permissions=sorted(p.value for p in staff.permissions),
              session_idle_minutes=runtime.settings.session_idle_minutes)


@router.post("/logout")
def logout(principal: Authenticated, runtime: RuntimeDep) -> dict[str, str]:
    if runtime.repository(SessionStore).close(principal.session_id, "sign-out", runtime.clock()):
        runtime.audit.append(AuditEvent(staff_id=principal.staff.staff_id, action="auth.sign-out",
                                        outcome="success", request_id=principal.request_id))
    return {"status": "signed-out"}
