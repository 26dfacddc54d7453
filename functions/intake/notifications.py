"""Counter notifications (届出): taken at the counter, confirmed by a checker, queued for the 広域連合."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel, ConfigDict, Field

from shared.adapters.idempotency import IdempotencyKeyReused, IdempotentRequestInProgress, once
from shared.api.auth import Principal, forbid, get_runtime, require
from shared.api.change_routes import PersonValues, as_problem, change_service
from shared.api.problems import Problem
from shared.api.problems_domain import invalid_my_number
from shared.domain.eligibility import Acquisition, Loss
from shared.domain.mynumber import InvalidMyNumber
from shared.domain.roles import Permission
from shared.intake.notifications import KINDS, notification_view, submit_notification
from shared.protection.changes import ChangeError
from shared.runtime import Runtime

router = APIRouter(prefix="/intake/notifications", tags=["intake notifications"])
IDENTITY_DOCUMENTS = Literal["mynumber-card", "notification-card", "drivers-license", "passport",
                             "health-insurance-certificate", "residence-card", "power-of-attorney", "other"]


class Applicant(BaseModel):
    """Who is at the counter (PIA-III-2-j, III-2-k)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["self", "proxy"]
    relationship: str | None = Field(None, max_length=20, description="the proxy's relation to the person")
    proxy_name_kana: str | None = Field(None, max_length=100)
    proxy_my_number: str | None = Field(None, max_length=40, description="checked against the resident register")


class NotificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal[tuple(KINDS)]  # type: ignore[valid-type]
    person_id: str = Field(pattern=r"^P[0-9A-Z]{4,20}$")
    event_date: date = Field(description="the day of the event: move, death, 認定, change")
    acquisition_reason: Acquisition | None = None
    loss_reason: Loss | None = None
    insured_elsewhere_same_day: bool = False
    certificate: str | None = Field(None, max_length=40, description="障害認定: 手帳の種類と等級")
    values: PersonValues = Field(default_factory=PersonValues)  # type: ignore[valid-type]
    applicant: Applicant
    identity_documents: list[IDENTITY_DOCUMENTS] = Field(min_length=1)  # type: ignore[valid-type]


@router.post("", status_code=201)
def take_notification(body: NotificationIn, request: Request,
                      idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=100),
                      principal: Principal = Depends(require(Permission.INTAKE_WRITE)),
                      runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    """Take a notification; it changes the record only when a checker confirms it. Send an Idempotency-Key:
    a retry with the same key and body returns the first result instead of a second notification."""
    if not idempotency_key:
        raise Problem(400, "idempotency-key-required", "Idempotency-Key required",
                      "send a unique Idempotency-Key header so a retried submission is not taken twice")
    values = body.values.as_values()
    needs_my_number = "mynumber" in values or body.applicant.proxy_my_number
    if needs_my_number and not principal.staff.can(Permission.MYNUMBER_WRITE):
        raise forbid(runtime, request, principal, "'mynumber:write'")
    if body.applicant.type == "proxy" and not (body.applicant.proxy_name_kana and body.applicant.proxy_my_number):
        raise Problem(422, "proxy-check-required", "Proxy check required",
                      "a proxy's name (kana) and My Number are checked against the resident register (PIA-III-2-k)")
    details = {"event_date": body.event_date.isoformat(),
               "acquisition_reason": body.acquisition_reason.value if body.acquisition_reason else None,
               "loss_reason": body.loss_reason.value if body.loss_reason else None,
               "insured_elsewhere_same_day": body.insured_elsewhere_same_day, "certificate": body.certificate}

    def work() -> dict[str, Any]:
        return submit_notification(
            runtime, change_service(runtime), staff_id=principal.staff.staff_id, request_id=principal.request_id,
            kind=body.kind, person_id=body.person_id, details=details, values=values,
            applicant=body.applicant.model_dump(), identity_documents=list(body.identity_documents))

    try:
        return once(runtime.idempotency, f"notification:{principal.staff.staff_id}", idempotency_key,
                    body.model_dump(mode="json"), work, request.scope.get("aws.context"))
    except InvalidMyNumber as invalid:
        raise invalid_my_number(invalid, "body") from None
    except ChangeError as error:
        raise as_problem(error) from None
    except IdempotencyKeyReused as reused:
        raise Problem(422, "idempotency-key-reused", "Idempotency-Key reused", str(reused)) from None
    except IdempotentRequestInProgress as busy:
        raise Problem(409, "idempotency-in-progress", "Request in progress", str(busy)) from None


@router.get("/{notification_id}")
def notification(notification_id: str, _: Principal = Depends(require(Permission.PERSON_READ)),
                 runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    """The notification, its maker-checker status, and when it was queued for the 広域連合."""
    record = runtime.records("notifications", "notification_id").get(notification_id)
    if record is None:
        raise Problem(404, "not-found", "Not found", f"no notification {notification_id}")
    return notification_view(runtime, record)
