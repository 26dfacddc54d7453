"""療養費支給申請 at the counter (PIA-I-1-f): the application through maker-checker, its scanned documents."""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Literal

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from functions.intake.routes.notifications import IDENTITY_DOCUMENTS, Applicant
from functions.intake.rules.ryoyohi import TYPES, my_number_required
from functions.intake.services.ryoyohi import check_claim
from functions.intake.workflow import RYOYOHI, WORKFLOW
from shared.adapters.audit_log import AuditEvent
from shared.adapters.change_requests import ChangeRequestStore
from shared.api.auth import Principal, RuntimeDep, forbid, require
from shared.api.change_routes import ChangeView, change_view, changes_of
from shared.api.fields import Day, MyNumberText, PersonId
from shared.api.pages import PageDep, encode_cursor
from shared.api.problems import Problem
from shared.api.routing import Router
from shared.api.uploads import content_matches
from shared.domain.calendar import date_in_japan
from shared.domain.changes import Operation
from shared.domain.counterparties import KOUIKI_RENGO
from shared.domain.errors import NotFound
from shared.domain.roles import Permission
from shared.runtime import Runtime

router = Router(prefix="/intake/ryoyohi", tags=["intake 療養費"])
Clerk = Annotated[Principal, Depends(require(Permission.INTAKE_WRITE))]
Changes = changes_of(WORKFLOW)


class BankAccount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # [0-9], not \d: the API's regular expressions treat ０１２３ as digits too, and banks do not.
    bank_code: str = Field(pattern=r"^[0-9]{4}$")
    branch_code: str = Field(pattern=r"^[0-9]{3}$")
    account_type: Literal["ordinary", "current"]
    account_number: str = Field(pattern=r"^[0-9]{7}$")
    holder_kana: str = Field(min_length=1, max_length=60)


class RyoyohiIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: PersonId
    type: Literal[tuple(TYPES)]  # type: ignore[valid-type]
    period_from: Day
    period_to: Day
    amount_claimed: int = Field(gt=0, le=100_000_000, description="yen")
    paid_on: Day = Field(description="支払日: the day the person paid; the 2-year limit runs from the day after")
    bank: BankAccount
    my_number: MyNumberText | None = Field(None, description="required for 移送費 only; must be the person's")
    applicant: Applicant
    identity_documents: list[IDENTITY_DOCUMENTS] = Field(min_length=1)  # type: ignore[valid-type]


@router.post("", response_model=ChangeView, status_code=202)
def apply(body: RyoyohiIn, request: Request, principal: Clerk, runtime: RuntimeDep, changes: Changes) -> ChangeView:
    """Receive an application; a checker confirms it, and then it is queued for the monthly file."""
    if my_number_required(body.type) and not body.my_number:
        raise Problem(422, "my-number-required", "My Number required",
                      "移送費 applications carry the 個人番号 (熊本県広域連合 様式)")
    needs_my_number = body.my_number or body.applicant.proxy_my_number
    if needs_my_number and not principal.staff.can(Permission.MYNUMBER_WRITE):
        raise forbid(runtime, request, principal, "'mynumber:write'")
    body.applicant.require_proxy_check()
    received_on = date_in_japan(runtime.clock())
    checked = check_claim(runtime, person_id=body.person_id, period_from=body.period_from,
                          period_to=body.period_to, paid_on=body.paid_on, received_on=received_on,
                          my_number=body.my_number, applicant=body.applicant.model_dump())
    values: dict[str, Any] = {**body.model_dump(mode="json", exclude={"my_number", "applicant"}), **checked,
                              "received_on": received_on.isoformat(), "status": "received"}
    if body.my_number:
        values["mynumber"] = body.my_number
    created = changes.propose(
        maker=principal.staff.staff_id, operation=Operation.CREATE, person_id=None, values=values,
        reason=f"療養費支給申請 ({TYPES[body.type]})", request_id=principal.request_id, kind=RYOYOHI,
        follow_up={"transfer": {"kind": "ryoyohi-application", "counterparty": KOUIKI_RENGO,
                                "summary": {"schedule": "monthly"}}})
    return change_view(created)


def _application_exists(runtime: Runtime, application_id: str) -> bool:
    if runtime.records(RYOYOHI.table).get(application_id):
        return True
    return any(r.entity == RYOYOHI.name for r in runtime.repository(ChangeRequestStore).about(application_id))


@router.put("/{application_id}/documents", status_code=201)
async def upload(application_id: str, request: Request, principal: Clerk, runtime: RuntimeDep) -> dict[str, Any]:
    """Attach a scanned document (PDF, JPEG, PNG, TIFF; 4 MiB at most), stored SSE-KMS under an unguessable key."""
    if not _application_exists(runtime, application_id):
        raise NotFound("there is no such 療養費 application")
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if not body or not content_matches(media_type, body):
        raise Problem(415, "document-content-mismatch", "Unsupported document",
                      f"the content is not a {media_type or 'known'} file")
    document_id = secrets.token_urlsafe(24)
    runtime.objects("documents").put(f"ryoyohi/{application_id}/{document_id}", body, media_type,
                                     {"application-id": application_id, "uploaded-by": principal.staff.staff_id})
    runtime.audit.append(AuditEvent(principal.staff.staff_id, "ryoyohi.document-upload", "success",
                                    target=application_id, request_id=principal.request_id,
                                    detail={"bytes": str(len(body)), "type": media_type}))
    return {"application_id": application_id, "document_id": document_id, "content_type": media_type,
            "bytes": len(body)}


@router.get("/{application_id}/documents")
def documents(application_id: str, _: Annotated[Principal, Depends(require(Permission.PERSON_READ))],
              runtime: RuntimeDep, page: PageDep) -> dict[str, Any]:
    """The application's scanned documents, a page at a time."""
    if not _application_exists(runtime, application_id):
        raise NotFound("there is no such 療養費 application")
    prefix = f"ryoyohi/{application_id}/"
    start = page.start(("document_id",))
    after = prefix + start["document_id"] if start else None
    listed, last = runtime.objects("documents").page(prefix, page.limit, after)
    return {"application_id": application_id,
            "documents": [{"document_id": o.key.rsplit("/", 1)[1], "bytes": o.size} for o in listed],
            "next_cursor": encode_cursor({"document_id": last.rsplit("/", 1)[1]} if last else None)}
