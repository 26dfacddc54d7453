"""Authentication, sessions and permissions as FastAPI dependencies (PIA-III-3-c, III-3-d, III-3-e, III-3-f).

`authenticate` turns a bearer token into a Principal: a verified token, an active personal staff account,
and an open, non-idle server-side session. `require(permission)` adds the role check. Sign-in, sign-out,
idle log-off and every refusal are audit events. A session opens only once its sign-in event is written, and
refusals (missing, forged or unknown tokens) are recorded at a bounded rate, so they cannot slow or break the
work of signed-in staff (design rule 7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from shared.api.problems import Problem
from shared.domain.roles import Permission
from shared.lazy import lazy_module
from shared.runtime import Runtime

if TYPE_CHECKING:
    from shared.domain.staff import StaffMember

# Loaded with the first request that carries a token: health checks and refused bodies never need them.
audit_log = lazy_module("shared.adapters.audit_log")
sessions = lazy_module("shared.adapters.sessions")
staff_registry = lazy_module("shared.adapters.staff_registry")
tokens = lazy_module("shared.security.tokens")

__all__ = ["Authenticated", "Principal", "RuntimeDep", "authenticate", "forbid", "get_runtime", "require"]

BEARER = {"WWW-Authenticate": 'Bearer realm="choju"'}


@dataclass(frozen=True)
class Principal:
    staff: StaffMember
    session_id: str
    request_id: str


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def request_id_of(request: Request) -> str:
    return getattr(request.state, "request_id", "-")


def _refuse(runtime: Runtime, request: Request, code: str, detail: str, staff_id: str,
            title: str = "Authentication failed") -> Problem:
    """Record the refusal (rate-limited: noise is not evidence) and build the 401 to raise."""
    runtime.refusals.record(audit_log.AuditEvent(
        staff_id=staff_id, action="auth.refused", outcome="refused", target=request.url.path,
        request_id=request_id_of(request), detail={"code": code}), code)
    return Problem(401, code, title, detail, headers=BEARER)


def authenticate(request: Request) -> Principal:
    """The caller, authenticated once per request: every dependency that needs it asks here, and the answer is
    kept on the request, so a route's dependencies form one level (FastAPI analyses each level of every route
    at cold start) and the session is touched once."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is None:
        known = request.state.principal = _authenticate(request, get_runtime(request))
    return known


def _authenticate(request: Request, runtime: Runtime) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refuse(runtime, request, "missing-token", "send a staff token as 'Authorization: Bearer <token>'",
                      "anonymous", title="Authentication required")
    token = token.strip()
    try:
        verified = runtime.tokens.verify(token)
    except tokens.TokenRejected as rejected:
        claimed = tokens.unverified_subject(token)
        raise _refuse(runtime, request, rejected.code, rejected.detail,
                      f"unverified:{claimed}" if claimed else "anonymous") from None
    except tokens.KeySetUnavailable as unavailable:
        # Not the caller's fault: the key set cannot be read. Fast and explicit, so the counter can retry.
        from shared.observability import get_logger

        get_logger().error("identity provider key set unavailable", extra={"reason": str(unavailable)})
        raise Problem(503, "identity-keys-unavailable", "Sign-in is temporarily unavailable",
                      "the identity provider's keys cannot be read; try again shortly", headers={"Retry-After": "30"}
                      ) from None

    staff = runtime.repository(staff_registry.StaffRegistry).get(verified.subject)
    if staff is None:
        raise _refuse(runtime, request, "unknown-staff", "the token's subject is not in the staff registry",
                      f"unverified:{verified.subject}")
    if staff.shared_account:
        raise _refuse(runtime, request, "shared-account", "shared or generic accounts may not sign in (PIA-III-3-c)",
                      staff.staff_id)
    if not staff.active:
        raise _refuse(runtime, request, "staff-disabled", "this staff account is disabled", staff.staff_id)

    return Principal(staff, _session(runtime, request, verified.issuer, verified.jti, staff), request_id_of(request))


def _session(runtime: Runtime, request: Request, issuer: str, jti: str, staff: StaffMember) -> str:
    """Open the token's session on first use; close it when idle too long (PIA-III-3-e)."""
    store, now = runtime.repository(sessions.SessionStore), runtime.clock()
    session_id = sessions.session_id_for(issuer, jti)
    session = store.get(session_id)
    if session is None:
        # The sign-in is written first: a session that exists always has its sign-in in the log (PIA-III-3-f).
        _audit(runtime, request, staff.staff_id, "auth.sign-in")
        if store.open(session_id, staff.staff_id, now) is not None:
            return session_id
        session = store.get(session_id)  # a concurrent first request opened it
    if session is None or session.staff_id != staff.staff_id:
        raise _refuse(runtime, request, "invalid-token", "the token does not belong to this session", staff.staff_id)
    if session.status != "open":
        raise Problem(401, "session-closed", "Session closed",
                      "this session was closed; sign in again for a new token", headers=BEARER)
    idle_limit = timedelta(minutes=runtime.settings.session_idle_minutes)
    if session.idle_for(now) > idle_limit:
        if store.close(session_id, "idle-timeout", now):
            _audit(runtime, request, staff.staff_id, "auth.idle-logoff")
        raise Problem(401, "session-idle-timeout", "Session timed out",
                      f"no activity for more than {runtime.settings.session_idle_minutes} minutes; sign in again",
                      headers=BEARER)
    if not store.touch(session_id, now):
        raise Problem(401, "session-closed", "Session closed", "this session was closed; sign in again",
                      headers=BEARER)
    return session_id


def _audit(runtime: Runtime, request: Request, staff_id: str, action: str, outcome: str = "success") -> None:
    runtime.audit.append(audit_log.AuditEvent(staff_id=staff_id, action=action, outcome=outcome,
                                    target=request.url.path, request_id=request_id_of(request)))


def forbid(runtime: Runtime, request: Request, principal: Principal, needed: str) -> Problem:
    """Audit a refused access and build the 403 to raise."""
    _audit(runtime, request, principal.staff.staff_id, "access.forbidden", outcome="refused")
    return Problem(403, "forbidden", "Forbidden",
                   f"this operation needs the permission {needed}, which your roles do not grant")


Authenticated = Annotated[Principal, Depends(authenticate)]


def require(*permissions: Permission) -> Callable[..., Principal]:
    """A dependency that lets the request through when the caller's roles grant any of `permissions`:
    `Annotated[Principal, Depends(require(Permission.PERSON_READ))]`."""

    def check(request: Request) -> Principal:
        principal, runtime = authenticate(request), get_runtime(request)
        if not any(principal.staff.can(p) for p in permissions):
            raise forbid(runtime, request, principal, " or ".join(f"'{p.value}'" for p in permissions))
        return principal

    check.__name__ = "require_" + "_or_".join(p.name.lower() for p in permissions)
    return check
