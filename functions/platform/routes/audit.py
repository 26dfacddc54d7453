"""Reading the audit log: latest records, one record, self-inspection and search (PIA-III-2-c, III-8)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from functions.platform.rules.inspection import inspect
from shared.adapters.audit_log import AuditEvent
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.problems import Problem
from shared.api.routing import Router
from shared.domain.errors import NotFound
from shared.domain.roles import Permission
from shared.runtime import Runtime

router = Router(prefix="/audit", tags=["audit"])
Auditor = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]


def _inspected(runtime: Runtime, principal: Principal, what: str) -> None:
    """Reading the audit log is itself audited (PIA-III-8)."""
    runtime.audit.append(AuditEvent(staff_id=principal.staff.staff_id, action="audit.read", outcome="success",
                                    purpose="inspection", target=what, request_id=principal.request_id))


@router.get("/records")
def audit_records(principal: Auditor, runtime: RuntimeDep,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """The latest audit records, newest first (PIA-III-2-c, III-8)."""
    records = runtime.audit.latest(limit)
    _inspected(runtime, principal, "latest")
    return {"records": records}


@router.get("/records/{seq}")
def audit_record(seq: Annotated[int, Path(ge=1, le=10**15)], principal: Auditor, runtime: RuntimeDep) -> dict[str, Any]:
    record = runtime.audit.get(seq)
    if record is None:
        raise NotFound("there is no such audit record")
    _inspected(runtime, principal, f"seq:{seq}")
    return record


@router.get("/inspection")
def audit_inspection(since: Annotated[AwareDatetime, Query(alias="from")],
                     until: Annotated[AwareDatetime, Query(alias="to")],
                     principal: Auditor, runtime: RuntimeDep) -> dict[str, Any]:
    """The periodic self-inspection (PIA-III-2-c, III-8): My Number access with purposes, refusals, actions."""
    if until <= since:  # both carry an offset (AwareDatetime): comparable, never a TypeError
        raise Problem(422, "invalid-period", "Invalid period", "'to' must be after 'from'")
    report = inspect(runtime.audit.records(), since, until)
    _inspected(runtime, principal, "inspection")
    return report.as_dict()


class AuditSearch(BaseModel):
    """Filters for an inspection; all optional, combined with AND."""

    model_config = ConfigDict(extra="forbid")
    staff_id: str | None = Field(None, max_length=80)
    action: str | None = Field(None, max_length=80)
    target: str | None = Field(None, max_length=200)
    outcome: str | None = Field(None, pattern="^(success|refused|failure)$")
    since: AwareDatetime | None = None  # with a UTC offset: records are compared in absolute time
    until: AwareDatetime | None = None
    limit: int = Field(100, ge=1, le=1000)


@router.post("/search")
def audit_search(body: AuditSearch, principal: Auditor, runtime: RuntimeDep) -> dict[str, Any]:
    """Who did what to whom, for a periodic inspection of access to My Number files (PIA-III-2-c)."""
    wanted = {k: v for k, v in body.model_dump(include={"staff_id", "action", "target", "outcome"}).items() if v}
    found = []
    for record in runtime.audit.records():
        at = datetime.fromisoformat(record["at"])
        if any(record.get(k) != v for k, v in wanted.items()):
            continue
        if (body.since and at < body.since) or (body.until and at > body.until):
            continue
        found.append(record)
        if len(found) >= body.limit:
            break
    _inspected(runtime, principal, "search")
    return {"records": found, "count": len(found)}
