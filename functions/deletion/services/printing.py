"""The 廃棄証明書 of a run, printed through the notices mechanism (shared/notices/printing.py; docs/notices.md
"Printing from a workflow"; PIA-III-7-e): the stored certificate is read back under Object Lock (its digest checked),
drawn with the `disposal-certificate` template, and the print is an audited read with its purpose."""

from __future__ import annotations

from datetime import date

from functions.deletion.rules.certificate import Certificate
from shared.domain.errors import NotFound
from shared.notices.disposal_certificate import DISPOSAL
from shared.notices.document import Context, Notice, document_number
from shared.notices.issuer import Issuer
from shared.notices.printing import print_one
from shared.runtime import Runtime

__all__ = ["certificate_notice", "print_certificate"]


def certificate_notice(rt: Runtime, run_id: str) -> Notice:
    """The run's stored 廃棄証明書 as a notice, issued on the day the run finished (a reprint is the same)."""
    stored = [c for c in rt.erasure_certificates.listing() if c.run_id == run_id]
    if not stored:
        raise NotFound(f"deletion run {run_id} has no certificate yet")
    certificate = Certificate.from_json(rt.erasure_certificates.read(stored[-1].key))
    issued_on = date.fromisoformat(certificate.finished_at[:10])
    context = Context(Issuer.from_settings(rt.settings), document_number(DISPOSAL, run_id, issued_on), issued_on)
    return Notice(DISPOSAL, certificate.disposal(), context)


def print_certificate(rt: Runtime, run_id: str, *, staff_id: str, request_id: str | None, purpose: str) -> bytes:
    """The PDF, with the `notice.print` audit event naming the run and the document number."""
    return print_one(rt, certificate_notice(rt, run_id), person_id=run_id, record=run_id, staff_id=staff_id,
                     request_id=request_id, purpose=purpose)
