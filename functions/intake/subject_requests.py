"""Disclosure requests (開示請求) and inquiries (問合せ) at the counter (PIA-IV-1, IV-2)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from shared.api.auth import Principal, get_runtime, require
from shared.api.problems import Problem
from shared.domain.roles import Permission
from shared.protection import subject_requests as requests
from shared.runtime import Runtime

router = APIRouter(prefix="/intake", tags=["intake requests"])
DISCLOSURE = require(Permission.DISCLOSURE_HANDLE)
INQUIRY = require(Permission.INQUIRY_HANDLE)


class DisclosureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: str = Field(pattern=r"^P[0-9A-Z]{4,20}$")
    requester: Literal["self", "proxy"]
    identity_documents: list[Literal["mynumber-card", "drivers-license", "passport", "notification-card+photo-id",
                                     "power-of-attorney", "other"]] = Field(min_length=1)


class InquiryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: str | None = Field(None, pattern=r"^P[0-9A-Z]{4,20}$")
    channel: Literal["counter", "phone", "mail", "letter"]
    subject: str = Field(min_length=1, max_length=1000)


class InquiryResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    response: str = Field(min_length=1, max_length=2000)


@router.post("/disclosures", status_code=201)
def open_disclosure(body: DisclosureRequest, principal: Principal = Depends(DISCLOSURE),
                    runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    """Record the identity check and prepare the disclosure document (PIA-IV-1)."""
    opened = requests.open_disclosure(runtime, body.person_id, body.requester, list(body.identity_documents),
                                      principal.staff.staff_id, principal.request_id)
    if opened is None:
        raise Problem(404, "not-found", "Not found", f"no person {body.person_id}")
    return opened


@router.get("/disclosures/{receipt}")
def disclosure_document(receipt: str, principal: Principal = Depends(DISCLOSURE),
                        runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    """The prepared document: one person's full record with the My Number, and who accessed it."""
    document = requests.read_disclosure(runtime, receipt, principal.staff.staff_id, principal.request_id)
    if document is None:
        raise Problem(404, "not-found", "Not found", f"no disclosure {receipt}")
    return document


@router.post("/inquiries", status_code=201)
def open_inquiry(body: InquiryIn, principal: Principal = Depends(INQUIRY),
                 runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    """受付: every inquiry gets a receipt number (PIA-IV-2)."""
    return requests.open_inquiry(runtime, body.person_id, body.channel, body.subject, principal.staff.staff_id,
                                 principal.request_id)


@router.get("/inquiries/{receipt}")
def inquiry(receipt: str, _: Principal = Depends(INQUIRY), runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    found = requests.get_inquiry(runtime, receipt)
    if found is None:
        raise Problem(404, "not-found", "Not found", f"no inquiry {receipt}")
    return found


@router.post("/inquiries/{receipt}/response")
def respond(receipt: str, body: InquiryResponse, principal: Principal = Depends(INQUIRY),
            runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    answered = requests.respond_to_inquiry(runtime, receipt, body.response, principal.staff.staff_id,
                                           principal.request_id)
    if answered is None:
        raise Problem(404, "not-found", "Not found", f"no inquiry {receipt}")
    return answered
