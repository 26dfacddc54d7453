"""Printing a 資格確認書: the card of one issuance record as a PDF, and the cards of a run, one file per chunk.

Printing is a read of the person's data (PIA-III-3-d): the route asks for person:read and a purpose, and each
print is an audit event naming the document number and the record it was made from (PIA-III-2-c, III-3-f).
The card's 交付年月日 is the record's `issued_on`, so printing the same record again gives the same card and the same
number. A run's cards go to the documents bucket, `chunk` cards per file; a re-run writes the same bytes to the
same keys (the renderer is deterministic), so nothing is printed twice or lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.domain.errors import NotFound
from shared.notices.certificate import CERTIFICATE, card_from_records
from shared.notices.document import Context, NoticeWriter, document_number, render
from shared.notices.issuer import Issuer
from shared.runtime import Runtime

__all__ = ["CHUNK", "PRINT_PREFIX", "certificate_pdf", "print_run"]

CHUNK = 500  # cards per file: about 0.6 MB of PDF and a few seconds of rendering, well inside Lambda's limits
PRINT_PREFIX = "notices/certificates/"


def _context(rt: Runtime, certificate: dict[str, Any]) -> Context:
    issued_on = date.fromisoformat(certificate["issued_on"])
    return Context(Issuer.from_settings(rt.settings),
                   document_number(CERTIFICATE, certificate["certificate_id"], issued_on), issued_on)


def certificate_pdf(rt: Runtime, person_id: str, certificate_id: str, staff_id: str, request_id: str,
                    purpose: str) -> tuple[bytes, str]:
    """The PDF of one card and its document number; an audited read with the purpose stated."""
    certificate = rt.records("certificates").get(certificate_id)
    person = rt.repository(PersonRepository).get(person_id)
    if certificate is None or person is None or certificate.get("person_id") != person_id:
        raise NotFound("no such 資格確認書 for this person")
    context = _context(rt, certificate)
    pdf = render(CERTIFICATE, card_from_records(person, certificate), context)
    rt.audit.append(AuditEvent(staff_id, "notice.print", "success", target=person_id, purpose=purpose,
                               request_id=request_id, detail={"kind": CERTIFICATE.kind, "record": certificate_id,
                                                              "document_number": context.number}))
    return pdf, context.number


def print_run(rt: Runtime, run: str, certificate_ids: Sequence[str], chunk: int = CHUNK) -> list[str]:
    """The cards of a run (e.g. `renewal-2027`) into the documents bucket, `chunk` cards per file, in the order
    given (the run's own order, so a re-run cuts the same chunks). Returns the keys written."""
    if not certificate_ids:
        return []
    certificates = rt.records("certificates")
    people = rt.repository(PersonRepository)
    keys = []
    for part, start in enumerate(range(0, len(certificate_ids), chunk)):
        writer = NoticeWriter(f"{CERTIFICATE.title} {run}", Issuer.from_settings(rt.settings).mayor)
        for certificate_id in certificate_ids[start:start + chunk]:
            certificate = certificates.get(certificate_id)
            person = people.get(certificate["person_id"]) if certificate else None
            if certificate is None or person is None:
                raise NotFound(f"certificate {certificate_id} or its person is missing")
            writer.add(CERTIFICATE, card_from_records(person, certificate), _context(rt, certificate))
        key = f"{PRINT_PREFIX}{run}/{part:04d}.pdf"
        rt.objects("documents").put(key, writer.pdf(), "application/pdf",
                                    {"cards": str(writer.pages), "run": run})
        keys.append(key)
    rt.audit.append(AuditEvent("system", "notice.print-run", "success", target=run, purpose="資格確認書の送付",
                               detail={"kind": CERTIFICATE.kind, "cards": str(len(certificate_ids)),
                                       "files": str(len(keys))}))
    return keys
