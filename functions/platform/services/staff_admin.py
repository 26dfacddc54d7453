"""Staff administration under separation of duties (PIA-III-3-c, III-3-d; issue 18).

Granting roles (a new account, or new roles for an existing one), re-enabling an account, and disabling an
auditor or an operator are maker-checker changes: one administrator proposes, a different one confirms
(`/platform/changes`). Disabling anyone else takes effect at once, as an emergency must. Nothing may leave the
system without an active auditor, checker or operator, and nobody may disable their own account.
"""

from __future__ import annotations

from typing import Any

from functions.platform.rules.separation import ALWAYS_HELD, check_compatible, check_still_held
from functions.platform.workflow import STAFF, WORKFLOW
from shared.adapters.audit_log import AuditEvent
from shared.adapters.staff_registry import StaffRegistry
from shared.domain.changes import ChangeRequest, Operation
from shared.domain.errors import NotFound, Refused
from shared.domain.roles import Role, parse_roles
from shared.domain.staff import StaffMember, validate_for_registry
from shared.protection.changes import ChangeService
from shared.runtime import Runtime

__all__ = ["disable", "propose_enable", "propose_registration", "propose_roles", "roles_after"]


def _service(rt: Runtime) -> ChangeService:
    return ChangeService(rt, WORKFLOW)


def roles_after(rt: Runtime, staff_id: str, record: dict[str, Any] | None) -> list[frozenset[Role]]:
    """The roles of every active account once `staff_id` is as `record` says (None: removed)."""
    held = [m.roles for m in rt.repository(StaffRegistry).all() if m.active and m.staff_id != staff_id]
    if record is not None and record.get("active"):
        held.append(parse_roles(record.get("roles", [])))
    return held


def propose_registration(rt: Runtime, member: StaffMember, maker: str, request_id: str) -> ChangeRequest:
    validate_for_registry(member)
    check_compatible(member.roles)
    if rt.repository(StaffRegistry).get(member.staff_id) is not None:
        from shared.adapters.staff_registry import StaffAlreadyRegistered

        raise StaffAlreadyRegistered(f"{member.staff_id} is already registered")
    values = {"name": member.name, "department": member.department, "active": True,
              "roles": sorted(r.value for r in member.roles), "shared_account": False}
    return _service(rt).propose(maker=maker, operation=Operation.CREATE, person_id=member.staff_id, values=values,
                                reason="職員登録 (roles granted)", request_id=request_id, kind=STAFF)


def propose_roles(rt: Runtime, staff_id: str, roles: frozenset[Role], maker: str, request_id: str) -> ChangeRequest:
    current = _existing(rt, staff_id)
    check_compatible(roles)
    if current.active:
        check_still_held(roles_after(rt, staff_id, {"active": True, "roles": [r.value for r in roles]}))
    return _service(rt).propose(maker=maker, operation=Operation.UPDATE, person_id=staff_id,
                                values={"roles": sorted(r.value for r in roles)}, reason="役割の変更",
                                request_id=request_id, kind=STAFF)


def propose_enable(rt: Runtime, staff_id: str, maker: str, request_id: str) -> ChangeRequest:
    current = _existing(rt, staff_id)
    if current.active:
        raise Refused(f"{staff_id} is already active", code="no-change")
    return _service(rt).propose(maker=maker, operation=Operation.UPDATE, person_id=staff_id, values={"active": True},
                                reason="職員の再有効化", request_id=request_id, kind=STAFF)


def disable(rt: Runtime, staff_id: str, by: str, request_id: str) -> ChangeRequest | StaffMember:
    """Disable at once, or propose it (auditors, operators); refuse leaving a role without holder or oneself."""
    current = _existing(rt, staff_id)
    if staff_id == by:
        raise Refused("nobody disables their own account; another administrator must", code="self-disable")
    check_still_held(roles_after(rt, staff_id, None))
    if current.roles & {Role.AUDITOR, Role.OPERATOR}:
        return _service(rt).propose(maker=by, operation=Operation.UPDATE, person_id=staff_id,
                                    values={"active": False}, reason="監査・運用担当の無効化", request_id=request_id,
                                    kind=STAFF)
    rt.repository(StaffRegistry).set_active(staff_id, False)
    rt.audit.append(AuditEvent(by, "staff.disable", "success", target=staff_id, request_id=request_id))
    return StaffMember(current.staff_id, current.name, current.department, current.roles, False)


def _existing(rt: Runtime, staff_id: str) -> StaffMember:
    member = rt.repository(StaffRegistry).get(staff_id)
    if member is None:
        raise NotFound("there is no such staff member")
    return member


def guard_staff_change(rt: Runtime, current: dict[str, Any] | None, record: dict[str, Any] | None) -> None:
    """At confirmation, against the registry as it is then: compatible roles, every ALWAYS_HELD role held."""
    if record is not None:
        check_compatible(parse_roles(record.get("roles", [])))
    staff_id = (record or current or {}).get("staff_id", "")
    if (current or {}).get("active") or any(r in parse_roles((current or {}).get("roles", [])) for r in ALWAYS_HELD):
        check_still_held(roles_after(rt, staff_id, record))
