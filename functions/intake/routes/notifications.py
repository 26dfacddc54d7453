"""Counter notifications (届出): taken at the counter, confirmed by a checker, queued for the 広域連合."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Header, Request
from pydantic import BaseModel, ConfigDict, Field

from functions.intake.rules.eligibility import Acquisition, Loss
from functions.intake.rules.special_address import BASES, FACILITY_KINDS
from functions.intake.services.notifications import KINDS, notification_view, submit_notification
from functions.intake.workflow import WORKFLOW
from shared.adapters.idempotency import fingerprint, once
from shared.api.auth import Principal, RuntimeDep, forbid, require
from shared.api.change_routes import changes_of, person_values
from shared.api.fields import Day, MyNumberText, PersonId
from shared.api.problems import Problem
from shared.api.routing import Router
from shared.domain.errors import NotFound
from shared.domain.roles import Permission

router = Router(prefix="/intake/notifications", tags=["intake notifications"])
IDENTITY_DOCUMENTS = Literal["mynumber-card", "notification-card", "drivers-license", "passport",
                             "health-insurance-certificate", "residence-card", "power-of-attorney", "other"]
Changes = changes_of(WORKFLOW)
PersonValues = person_values()
Clerk = Annotated[Principal, Depends(require(Permission.INTAKE_WRITE))]


class Applicant(BaseModel):
    """Who is at the counter (PIA-III-2-j, III-2-k)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["self", "proxy"]
    relationship: str | None = Field(None, max_length=20, description="the proxy's relation to the person")
    proxy_name_kana: str | None = Field(None, max_length=100)
    proxy_my_number: MyNumberText | None = Field(None, description="checked against the resident register")

    def require_proxy_check(self) -> None:
        """A proxy gives their name (kana) and My Number, which are checked against the register (PIA-III-2-k)."""
        if self.type == "proxy" and not (self.proxy_name_kana and self.proxy_my_number):
            raise Problem(422, "proxy-check-required", "Proxy check required",
                          "a proxy's name (kana) and My Number are checked against the resident register "
                          "(PIA-III-2-k)")


class SpecialAddressIn(BaseModel):
    """住所地特例届 (法第55条, 第55条の2): `event_date` is the day of entering the facility (入院等の日)."""

    model_config = ConfigDict(extra="forbid")
    basis: Literal[tuple(BASES)]  # type: ignore[valid-type]
    insurer: str | None = Field(None, pattern=r"^[0-9]{2}$",
                                description="facility-in / kokuho-carryover: the other 広域連合's prefecture code")
    facility: str = Field(min_length=1, max_length=100, description="施設名")
    facility_kind: Literal[tuple(FACILITY_KINDS)]  # type: ignore[valid-type]
    facility_prefecture: str = Field(pattern=r"^[0-9]{2}$", description="JIS X 0401 of the facility's address")
    until: Day | None = Field(None, description="the day the 特例 ends, when known (退所等)")


class NotificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal[tuple(KINDS)]  # type: ignore[valid-type]
    person_id: PersonId
    event_date: Day = Field(description="the day of the event: move, death, 認定, change")
    acquisition_reason: Acquisition | None = None
    loss_reason: Loss | None = None
    insured_elsewhere_same_day: bool = False
    certificate: str | None = Field(None, max_length=40, description="障害認定: 手帳の種類と等級")
    values: PersonValues = Field(default_factory=PersonValues)  # type: ignore[valid-type]
    special_address: SpecialAddressIn | None = None
    applicant: Applicant
    identity_documents: list[IDENTITY_DOCUMENTS] = Field(min_length=1)  # type: ignore[valid-type]


@router.post("", status_code=201)
def take_notification(body: NotificationIn, request: Request, principal: Clerk, runtime: RuntimeDep,
                      changes: Changes,
                      idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)] = None,
                      ) -> dict[str, Any]:
    """Take a notification; it changes the record only when a checker confirms it. Send an Idempotency-Key:
    a retry with the same key and body returns the first result instead of a second notification."""
    if not idempotency_key:
        raise Problem(400, "idempotency-key-required", "Idempotency-Key required",
                      "send a unique Idempotency-Key header so a retried submission is not taken twice")
    values = body.values.as_values()
    needs_my_number = "mynumber" in values or body.applicant.proxy_my_number
    if needs_my_number and not principal.staff.can(Permission.MYNUMBER_WRITE):
        raise forbid(runtime, request, principal, "'mynumber:write'")
    body.applicant.require_proxy_check()
    details = {"event_date": body.event_date.isoformat(),
               "acquisition_reason": body.acquisition_reason.value if body.acquisition_reason else None,
               "loss_reason": body.loss_reason.value if body.loss_reason else None,
               "insured_elsewhere_same_day": body.insured_elsewhere_same_day, "certificate": body.certificate,
               "special_address": body.special_address.model_dump(mode="json") if body.special_address else None}

    def work() -> dict[str, Any]:
        return submit_notification(
            runtime, changes, staff_id=principal.staff.staff_id, request_id=principal.request_id,
            kind=body.kind, person_id=body.person_id, details=details, values=values,
            applicant=body.applicant.model_dump(), identity_documents=list(body.identity_documents))

    return once(runtime.idempotency, f"notification:{principal.staff.staff_id}", idempotency_key,
                fingerprint(runtime.vault.keyed_digest, body.model_dump(mode="json")), work,
                request.scope.get("aws.context"))


@router.get("/{notification_id}")
def notification(notification_id: str, _: Annotated[Principal, Depends(require(Permission.PERSON_READ))],
                 runtime: RuntimeDep) -> dict[str, Any]:
    """The notification, its maker-checker status, and when it was queued for the 広域連合."""
    record = runtime.records("notifications").get(notification_id)
    if record is None:
        raise NotFound("there is no such notification")
    return notification_view(runtime, record)
