"""Disclosure requests (開示請求) and inquiries (問合せ) at the counter (PIA-IV-1, IV-2)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from functions.intake.services import subject_requests as requests
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.fields import PersonId
from shared.api.routing import Router
from shared.domain.roles import Permission

router = Router(prefix="/intake", tags=["intake requests"])
DisclosureOfficer = Annotated[Principal, Depends(require(Permission.DISCLOSURE_HANDLE))]
InquiryOfficer = Annotated[Principal, Depends(require(Permission.INQUIRY_HANDLE))]


class DisclosureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: PersonId
    requester: Literal["self", "proxy"]
    identity_documents: list[Literal["mynumber-card", "drivers-license", "passport", "notification-card+photo-id",
                                     "power-of-attorney", "other"]] = Field(min_length=1)


class InquiryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: PersonId | None = None
    channel: Literal["counter", "phone", "mail", "letter"]
    subject: str = Field(min_length=1, max_length=1000)


class InquiryResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    response: str = Field(min_length=1, max_length=2000)


@router.post("/disclosures", status_code=201)
def open_disclosure(body: DisclosureRequest, principal: DisclosureOfficer, runtime: RuntimeDep) -> dict[str, Any]:
    """Record the identity check and prepare the disclosure document (PIA-IV-1)."""
    return requests.open_disclosure(runtime, body.person_id, body.requester, list(body.identity_documents),
                                    principal.staff.staff_id, principal.request_id)


@router.get("/disclosures/{receipt}")
def disclosure_document(receipt: str, principal: DisclosureOfficer, runtime: RuntimeDep) -> dict[str, Any]:
    """The prepared document: one person's full record with the My Number, and who accessed it."""
    return requests.read_disclosure(runtime, receipt, principal.staff.staff_id, principal.request_id)


@router.post("/inquiries", status_code=201)
def open_inquiry(body: InquiryIn, principal: InquiryOfficer, runtime: RuntimeDep) -> dict[str, Any]:
    """受付: every inquiry gets a receipt number (PIA-IV-2)."""
    return requests.open_inquiry(runtime, body.person_id, body.channel, body.subject, principal.staff.staff_id,
                                 principal.request_id)


@router.get("/inquiries/{receipt}")
def inquiry(receipt: str, _: InquiryOfficer, runtime: RuntimeDep) -> dict[str, Any]:
    return requests.get_inquiry(runtime, receipt)


@router.post("/inquiries/{receipt}/response")
def respond(receipt: str, body: InquiryResponse, principal: InquiryOfficer, runtime: RuntimeDep) -> dict[str, Any]:
    return requests.respond_to_inquiry(runtime, receipt, body.response, principal.staff.staff_id,
                                       principal.request_id)
