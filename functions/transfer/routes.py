"""HTTP routes of the transfer workflow: データ使用承認, the jobs, runs by hand, the ledger for auditors, 受付結果.

Approvals are maker-checker (PIA-III-5-a, III-2-l): a data steward proposes here, a different checker confirms at
/transfer/changes/{id}/confirm. Revocation takes effect at once (withdrawing a permission never waits for a
second person). Refusals are problem+json with the failed check's code; nothing here returns file rows.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from functions.transfer.routes_exports import router as exports_router
from functions.transfer.rules.approvals import ACTIVE, REVOKED
from functions.transfer.rules.jobs import JOBS, RECIPIENTS, TransferJob
from functions.transfer.rules.jobs import job as job_named
from functions.transfer.services.acks import import_ack
from functions.transfer.services.catch_up import run_by_hand, start_by_hand
from functions.transfer.workflow import APPROVAL, WORKFLOW
from shared.adapters.audit_log import AuditEvent
from shared.adapters.transfer_ledger import TransferLedger
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.change_routes import ChangeView, change_view, changes_of
from shared.api.fields import Day
from shared.api.pages import PageDep, encode_cursor
from shared.api.routing import Router
from shared.domain.calendar import JST, date_in_japan
from shared.domain.changes import Operation
from shared.domain.errors import Conflict, Invalid, NotFound
from shared.domain.roles import Permission

__all__ = ["ROUTERS"]

router = Router(prefix="/transfer", tags=["transfer"])
Steward = Annotated[Principal, Depends(require(Permission.TRANSFER_APPROVE))]
Overseer = Annotated[Principal, Depends(require(Permission.TRANSFER_APPROVE, Permission.CHANGE_CONFIRM))]
Auditor = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]
Changes = changes_of(WORKFLOW)
Text = Annotated[str, Field(min_length=1, max_length=400)]
FieldName = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]
JobName = Literal[tuple(j.name for j in JOBS)]  # type: ignore[valid-type]
MAX_LEDGER_DAYS = 366


class ApprovalIn(BaseModel):
    """データ使用承認願: every item the seed's III-5 rule names."""

    model_config = ConfigDict(extra="forbid")
    recipient: Literal[tuple(RECIPIENTS)]  # type: ignore[valid-type]
    legal_basis: Text = Field(description="使用根拠: the law or ordinance article")
    purpose: Text = Field(description="使用目的")
    conditions: Text = Field(description="使用条件")
    valid_from: Day
    valid_to: Day
    fields: list[FieldName] = Field(min_length=1, max_length=40, description="使用データ; 'my_number' only if named")
    jobs: list[JobName] = Field(min_length=1, max_length=len(JOBS))  # type: ignore[valid-type]
    frequency: Literal["daily", "monthly", "yearly"]


class Revocation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    job: JobName  # type: ignore[valid-type]
    date: Day = Field(description="a day of the period to send (JST)")


def _job(name: str) -> TransferJob:
    found = job_named(name)
    if found is None:
        raise NotFound("there is no such transfer job")
    return found


@router.post("/approvals", response_model=ChangeView, status_code=202)
def propose_approval(body: ApprovalIn, principal: Steward, changes: Changes) -> ChangeView:
    """Propose an approval; it takes effect when a different checker confirms it."""
    values = {**body.model_dump(mode="json"), "status": ACTIVE}
    created = changes.propose(maker=principal.staff.staff_id, operation=Operation.CREATE, person_id=None,
                              values=values, reason=f"データ使用承認願: {body.purpose}"[:200],
                              request_id=principal.request_id, kind=APPROVAL)
    return change_view(created)


def _approval_view(record: dict[str, Any], today: date) -> dict[str, Any]:
    state = record.get("status", ACTIVE)
    if state == ACTIVE and record["valid_to"] < today.isoformat():
        state = "expired"
    return {k: record.get(k) for k in ("approval_id", "recipient", "legal_basis", "purpose", "conditions",
                                       "valid_from", "valid_to", "fields", "jobs", "frequency", "revoked_at",
                                       "revoked_by", "revocation_reason", "version")} | {"state": state}


@router.get("/approvals")
def approvals(_: Overseer, runtime: RuntimeDep, page: PageDep) -> dict[str, Any]:
    """The approvals by id, a page at a time (`limit`, `cursor`; shared/api/pages.py)."""
    after = page.start(("approval_id",))
    today = date_in_japan(runtime.clock())
    found = sorted((r for code in RECIPIENTS for part in runtime.records(APPROVAL.table).scan_segment(
        0, 1, "recipient", code) for r in part if after is None or r["approval_id"] > after["approval_id"]),
        key=lambda r: r["approval_id"])
    shown = found[:page.limit]
    more = len(found) > page.limit
    return {"approvals": [_approval_view(r, today) for r in shown],
            "next_cursor": encode_cursor({"approval_id": shown[-1]["approval_id"]}) if more else None}


@router.post("/approvals/{approval_id}/revoke")
def revoke(approval_id: str, body: Revocation, principal: Overseer, runtime: RuntimeDep) -> dict[str, Any]:
    """Withdraw an approval at once; runs under it are refused from now on."""
    table = runtime.records(APPROVAL.table)
    record = table.get(approval_id) if len(approval_id) <= 40 else None
    if record is None:
        raise NotFound("there is no such approval")
    if record.get("status") == REVOKED:
        raise Conflict("the approval is already revoked", code="approval-already-revoked")
    now = runtime.clock()
    updated = {**record, "status": REVOKED, "revoked_at": now.isoformat(), "revoked_by": principal.staff.staff_id,
               "revocation_reason": body.reason, "version": int(record.get("version", 0)) + 1,
               "updated_at": now.isoformat()}
    event = AuditEvent(principal.staff.staff_id, "transfer.approval-revoked", "success", target=approval_id,
                       purpose=body.reason[:200], request_id=principal.request_id)
    runtime.audit.transact_with([table.write_item(updated, approval_id, int(record.get("version", 0)))], event)
    return _approval_view(updated, date_in_japan(now))


@router.get("/jobs")
def jobs(_: Overseer) -> list[dict[str, Any]]:
    return [{"job": j.name, "recipient": j.recipient, "title": j.title, "frequency": j.frequency,
             "layout": j.layout, "encoding": j.encoding, "fields": list(j.fields), "schedule": j.schedule,
             "schedule_note": j.schedule_note, "my_number": j.carries_my_number,
             "required_by_law": j.required_by_law} for j in JOBS]


@router.post("/runs", status_code=201)
def run(body: RunIn, principal: Steward, runtime: RuntimeDep, response: Response) -> dict[str, Any]:
    """Run one period by hand; an identical re-run is answered "not-resent" and sends nothing. In AWS the job's
    worker takes its chunks from the queue: the answer is 202 with the job id (`GET /jobs/{id}`, the ledger);
    elsewhere (local mode) the chunks run in this process and the answer is the outcome."""
    job, today = _job(body.job), date_in_japan(runtime.clock())
    if runtime.settings.runs_chunks_here:
        return run_by_hand(runtime, job, body.date, today, principal.staff.staff_id, principal.request_id).as_dict()
    started = start_by_hand(runtime, job, body.date, today, principal.staff.staff_id, principal.request_id)
    response.status_code = 202
    return {"job": job.name, "job_id": started.job_id, "state": started.state.value}


@router.get("/ledger")
def ledger(principal: Auditor, runtime: RuntimeDep, page: PageDep,
           first: Annotated[Day, Query(alias="from")], last: Annotated[Day, Query(alias="to")]) -> dict[str, Any]:
    """The transfer ledger for a period, oldest first, a page at a time, for auditors (PIA-III-5-a, III-8);
    reading it is itself audited. A cursor belongs to its period (another period's is `invalid-cursor`)."""
    if last < first or (last - first).days > MAX_LEDGER_DAYS:
        raise Invalid(f"to must follow from within {MAX_LEDGER_DAYS} days", code="invalid-period")
    after = page.start(("from", "to", "recorded_at", "entry_id"), {"from": first.isoformat(), "to": last.isoformat()})
    since = datetime.combine(first, time(), JST)
    until = datetime.combine(last + timedelta(days=1), time(), JST)
    entries = [e for e in runtime.repository(TransferLedger).between(since, until)
               if after is None or (e["recorded_at"], e["entry_id"]) > (after["recorded_at"], after["entry_id"])]
    shown = entries[:page.limit]
    runtime.audit.append(AuditEvent(principal.staff.staff_id, "transfer.ledger-read", "success", target="ledger",
                                    purpose="監査", request_id=principal.request_id,
                                    detail={"from": first.isoformat(), "to": last.isoformat(),
                                            "entries": str(len(shown))}))
    more = len(entries) > page.limit
    return {"from": first.isoformat(), "to": last.isoformat(), "entries": shown,
            "next_cursor": encode_cursor({"from": first.isoformat(), "to": last.isoformat(),
                                          "recorded_at": shown[-1]["recorded_at"],
                                          "entry_id": shown[-1]["entry_id"]}) if more else None}


class AckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    job: JobName  # type: ignore[valid-type]
    period: str = Field(min_length=4, max_length=20, pattern=r"^[0-9]{4}(-[0-9]{2}){0,2}(-C[0-9]{1,4})?$")
    key: str = Field(min_length=1, max_length=300, pattern=r"^inbound/[a-z0-9-]+/[A-Za-z0-9_./-]+$")


@router.post("/acks")
def ack(body: AckIn, principal: Steward, runtime: RuntimeDep) -> dict[str, Any]:
    """Import a 受付結果 the recipient delivered under its inbound prefix; rejected rows are queued to resend."""
    job = _job(body.job)
    if not body.key.startswith(f"inbound/{job.recipient}/"):
        raise Invalid("the 受付結果 must come from the recipient's own inbound prefix", code="ack-invalid")
    content = runtime.objects("exchange").find(body.key)
    if content is None:
        raise NotFound("there is no such file")
    return import_ack(runtime, job, body.period, content, principal.staff.staff_id, principal.request_id).as_dict()


ROUTERS = (router, exports_router)
