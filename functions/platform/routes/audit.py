"""Reading the audit log: latest records, one record, self-inspection and search (PIA-III-2-c, III-8).

Every read goes through a key or an index for a bounded time window (or one person's history); nothing reads
the log from its first record. Reading the log is itself audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import islice
from typing import Annotated, Any

from fastapi import Depends, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from functions.platform.rules.inspection import inspect
from shared.adapters.audit_log import AuditEvent
from shared.adapters.transfer_ledger import TransferLedger
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.problems import Problem
from shared.api.routing import Router
from shared.domain.errors import NotFound
from shared.domain.roles import Permission
from shared.runtime import Runtime

router = Router(prefix="/audit", tags=["audit"])
Auditor = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]
LONGEST_WINDOW = timedelta(days=366)
DEFAULT_SEARCH_WINDOW = timedelta(days=31)


def _inspected(runtime: Runtime, principal: Principal, what: str) -> None:
    """Reading the audit log is itself audited (PIA-III-8)."""
    runtime.audit.append(AuditEvent(staff_id=principal.staff.staff_id, action="audit.read", outcome="success",
                                    purpose="inspection", target=what, request_id=principal.request_id))


def _window(since: datetime | None, until: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """A bounded period with a UTC offset: 'to' defaults to now (and a minute, for clocks slightly ahead), 'from'
    to 31 days before it."""
    if (since and since.tzinfo is None) or (until and until.tzinfo is None):
        raise Problem(422, "invalid-period", "Invalid period",
                      "give times with a UTC offset, e.g. 2026-11-01T00:00+09:00")
    until = until or now + timedelta(minutes=1)
    since = since or until - DEFAULT_SEARCH_WINDOW
    if until <= since:
        raise Problem(422, "invalid-period", "Invalid period", "'to' must be after 'from'")
    if until - since > LONGEST_WINDOW:
        raise Problem(422, "period-too-long", "Period too long",
                      f"a period covers at most {LONGEST_WINDOW.days} days; split it")
    return since, until


@router.get("/records")
def audit_records(principal: Auditor, runtime: RuntimeDep,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """The latest audit records, newest first, sealed or not yet (PIA-III-2-c, III-8)."""
    records = runtime.audit.latest(limit)
    _inspected(runtime, principal, "latest")
    return {"records": records}


@router.get("/records/{ref}")
def audit_record(ref: Annotated[str, Path(max_length=64)], principal: Auditor, runtime: RuntimeDep
                 ) -> dict[str, Any]:
    """One record by its sequence number in the chain, or by its event id (also before it is sealed)."""
    record = runtime.audit.get(int(ref)) if ref.isdigit() and len(ref) <= 12 else runtime.audit.get_event(ref)
    if record is None:
        raise NotFound("there is no such audit record")  # the reference is not echoed (issue 18)
    _inspected(runtime, principal, f"record:{ref}")
    return record


@router.get("/inspection")
def audit_inspection(since: Annotated[AwareDatetime, Query(alias="from")],
                     until: Annotated[AwareDatetime, Query(alias="to")],
                     principal: Auditor, runtime: RuntimeDep) -> dict[str, Any]:
    """The periodic self-inspection (PIA-III-2-c, III-8): My Number access with purposes, refusals, actions."""
    since, until = _window(since, until, runtime.clock())
    report = inspect(runtime.audit.between(since, until), since, until,
                     runtime.repository(TransferLedger).between(since, until))
    _inspected(runtime, principal, "inspection")
    return report.as_dict()


class AuditSearch(BaseModel):
    """Filters for an inspection; all optional, combined with AND, over at most 366 days (default: 31)."""

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
    """Who did what to whom, for a periodic inspection of access to My Number files (PIA-III-2-c): a person's
    history through the `by-target` index, anything else through the time window's keys."""
    since, until = _window(body.since, body.until, runtime.clock())
    where = {k: v for k, v in body.model_dump(include={"staff_id", "action", "outcome"}).items() if v}
    if body.target:
        found = runtime.audit.about(body.target, since, until, where)[: body.limit]
    else:
        found = list(islice(runtime.audit.between(since, until, where=where), body.limit))
    _inspected(runtime, principal, "search")
    return {"records": found, "count": len(found), "from": since.isoformat(), "to": until.isoformat()}

