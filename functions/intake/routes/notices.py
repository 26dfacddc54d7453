"""Printing a 資格確認書 at the counter: the PDF of an issuance record, for staff who may read the person."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response

from shared.api.auth import Principal, RuntimeDep, require
from shared.api.routing import Router
from shared.lazy import lazy_module

# Loaded with the first card printed at the counter: the service brings the PDF renderer and the batch framework,
# the kinds table every notice template.
certificate_print = lazy_module("functions.intake.services.certificate_print")
kinds = lazy_module("shared.notices.kinds")

router = Router(prefix="/intake/persons", tags=["intake notices"])


def may_print(request: Request) -> Principal:
    """`require` with the permission the kinds table gives the 資格確認書, read when a card is printed."""
    return require(kinds.KINDS["certificate"].permission)(request)


Printer = Annotated[Principal, Depends(may_print)]
PURPOSE = Query(min_length=2, max_length=200, description="why it is printed, e.g. 再交付; recorded in the audit log")


@router.get("/{person_id}/certificates/{certificate_id}/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "the card, 86 × 54 mm"}})
def certificate_pdf_route(person_id: str, certificate_id: str, principal: Printer, runtime: RuntimeDep,
                          purpose: Annotated[str, PURPOSE]) -> Response:
    """The 資格確認書 of one issuance record as a PDF (no My Number: the card carries none). An audited read with
    its purpose (PIA-III-2-c): the event names the document number printed on the card."""
    pdf, number = certificate_print.certificate_pdf(runtime, person_id, certificate_id, principal.staff.staff_id,
                                                    principal.request_id, purpose)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{number}.pdf"', "Cache-Control": "no-store"})
