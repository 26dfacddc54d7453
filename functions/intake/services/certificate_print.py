"""Printing a 資格確認書: the card of one issuance record as a PDF and the cards of a run, one file per chunk.

The card's 交付年月日 is the record's `issued_on` and its number derives from the record, so printing the same
record again gives the same card with the same number. Printing goes through `shared.notices.printing`: the
route's print is an audited read with a purpose, a run's cards go to `documents/notices/certificate/<run>/`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from shared.adapters.persons import PersonRepository
from shared.domain.errors import NotFound
from shared.notices.certificate import CERTIFICATE, card_from_records
from shared.notices.document import Context, document_number
from shared.notices.issuer import Issuer
from shared.notices.printing import CHUNK, Notice, print_one
from shared.notices.printing import print_run as print_notices
from shared.notices.printing import run_files as printed_files
from shared.runtime import Runtime

__all__ = ["certificate_notice", "certificate_pdf", "print_cards", "print_run", "run_files"]

RUN_PURPOSE = "資格確認書の送付"


def certificate_notice(rt: Runtime, person: dict[str, Any], certificate: dict[str, Any]) -> Notice:
    issued_on = date.fromisoformat(certificate["issued_on"])
    context = Context(Issuer.from_settings(rt.settings),
                      document_number(CERTIFICATE, certificate["certificate_id"], issued_on), issued_on)
    return Notice(CERTIFICATE, card_from_records(person, certificate), context)


def certificate_pdf(rt: Runtime, person_id: str, certificate_id: str, staff_id: str, request_id: str | None,
                    purpose: str) -> tuple[bytes, str]:
    """The PDF of one card and its document number; an audited read with the purpose stated."""
    certificate = rt.records("certificates").get(certificate_id)
    person = rt.repository(PersonRepository).get(person_id)
    if certificate is None or person is None or certificate.get("person_id") != person_id:
        raise NotFound("no such 資格確認書 for this person")
    notice = certificate_notice(rt, person, certificate)
    pdf = print_one(rt, notice, person_id=person_id, record=certificate_id, staff_id=staff_id,
                    request_id=request_id, purpose=purpose)
    return pdf, notice.context.number


def _cards(rt: Runtime, certificate_ids: Sequence[str]) -> Iterator[Notice]:
    certificates = rt.records("certificates")
    people = rt.repository(PersonRepository)
    for certificate_id in certificate_ids:
        certificate = certificates.get(certificate_id)
        person = people.get(certificate["person_id"]) if certificate else None
        if certificate is None or person is None:
            raise NotFound(f"certificate {certificate_id} or its person is missing")
        yield certificate_notice(rt, person, certificate)


def print_cards(rt: Runtime, run: str, cards: Iterable[tuple[dict[str, Any], dict[str, Any]]], file_prefix: str = "",
                chunk: int = CHUNK) -> list[str]:
    """The cards of (person, certificate) records already in hand — a batch chunk's — with `file_prefix` for its
    files."""
    notices = (certificate_notice(rt, person, certificate) for person, certificate in cards)
    return print_notices(rt, CERTIFICATE.kind, run, notices, RUN_PURPOSE, chunk, file_prefix)


def run_files(rt: Runtime, run: str) -> list[str]:
    """Every file a run of cards has printed, all its chunks'."""
    return printed_files(rt, CERTIFICATE.kind, run)


def print_run(rt: Runtime, run: str, certificate_ids: Sequence[str], chunk: int = CHUNK) -> list[str]:
    """The cards of a run (e.g. `renewal-2027`), in the order given (the run's own, so a re-run cuts the same
    chunks), `chunk` cards per file. Returns the keys written."""
    return print_notices(rt, CERTIFICATE.kind, run, _cards(rt, certificate_ids), RUN_PURPOSE, chunk)

