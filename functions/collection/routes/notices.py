"""Printed notices of a person's collection at the counter: the 納付書 of a 年度, a 督促状 again and the
還付・充当通知書 of an over-payment, as PDF.

Each is an audited read with its purpose (PIA-III-2-c), limited to the roles that may read its data
(shared/notices/kinds.py: the 納付書 is assessment data, the 督促状 and the 還付・充当通知書 collection data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Response

from functions.collection.services.notices import dunning_pdf, slips_pdf
from functions.collection.services.refund_notices import refund_pdf
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.fields import PersonId
from shared.api.routing import Router
from shared.notices.kinds import KINDS

router = Router(prefix="/collection/persons", tags=["collection notices"])
SlipPrinter = Annotated[Principal, Depends(require(KINDS["payment-slip"].permission))]
DunningPrinter = Annotated[Principal, Depends(require(KINDS["dunning"].permission))]
RefundPrinter = Annotated[Principal, Depends(require(KINDS["refund"].permission))]
Purpose = Annotated[str, Query(min_length=2, max_length=200,
                               description="why it is printed, e.g. 再発行; recorded in the audit log")]
PDF = {200: {"content": {"application/pdf": {}}, "description": "the notice, A4"}}


def _pdf(pdf: bytes, number: str) -> Response:
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{number}.pdf"', "Cache-Control": "no-store"})


@router.get("/{person_id}/notices/payment-slips", response_class=Response, responses=PDF)
def payment_slips(person_id: PersonId, principal: SlipPrinter,
                  runtime: RuntimeDep, fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="賦課年度")],
                  purpose: Purpose) -> Response:
    """The 納付書 of the 年度's open 普通徴収 期, one a row with its 納付番号, 納期限 and amount (no My Number)."""
    return _pdf(*slips_pdf(runtime, person_id, fiscal_year, principal.staff.staff_id, principal.request_id,
                           purpose))


@router.get("/{person_id}/notices/dunning/{notice_id}", response_class=Response, responses=PDF)
def dunning(person_id: PersonId,
            notice_id: Annotated[str, Path(pattern=r"^DN[A-HJ-NP-Z]{18}$", description="the 督促状's id")],
            principal: DunningPrinter, runtime: RuntimeDep, purpose: Purpose) -> Response:
    """A 督促状 the daily run issued, again: its 期, 納期限, unpaid principal, 指定期限 and the 延滞金 notice."""
    return _pdf(*dunning_pdf(runtime, person_id, notice_id, principal.staff.staff_id, principal.request_id, purpose))


@router.get("/{person_id}/notices/refund/{overpayment_id}", response_class=Response,
            responses={**PDF, 409: {"description": "the decision on the over-payment is not posted yet"}})
def refund(person_id: PersonId,
           overpayment_id: Annotated[str, Path(pattern=r"^OP[A-Z0-9-]{4,40}$", description="the 過誤納金's id")],
           principal: RefundPrinter, runtime: RuntimeDep, purpose: Purpose) -> Response:
    """The 還付通知書 / 充当通知書 of a posted 充当・還付 decision: the over-payment, each 充当, the refund with its
    還付加算金 and the masked account."""
    return _pdf(*refund_pdf(runtime, person_id, overpayment_id, principal.staff.staff_id, principal.request_id,
                            purpose))
