"""資格確認書 issuance records, what a counter terminal prints, and the yearly renewal with its printed cards."""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.certificates import Reason, receives_certificate, valid_until
from functions.intake.services.certificate_print import print_run
from shared.adapters.audit_log import AuditEvent
from shared.domain.counterparties import COUNTERPARTIES, KOUIKI_RENGO
from shared.domain.ids import new_id
from shared.runtime import Runtime

INSURER = COUNTERPARTIES[KOUIKI_RENGO].name


def certificate_values(person: dict[str, Any], reason: Reason, issued_on: date,
                       valid_from: date | None = None) -> dict[str, Any]:
    """An issuance record: reason, validity and the print data (no My Number: the card does not carry it).
    A card mailed before the insurance starts (75歳到達: the month before the birthday) is valid from that day
    to the 7/31 after it, not from the day it is made."""
    start = max(valid_from or issued_on, issued_on)
    until = valid_until(start)
    return {
        "person_id": person["person_id"], "reason": reason, "issued_on": issued_on.isoformat(),
        "valid_from": start.isoformat(), "valid_until": until.isoformat(),
        "print": {"insurer": INSURER, "insured_number": person.get("insured_number"), "name": person.get("name"),
                  "name_kana": person.get("name_kana"), "birth_date": person.get("birth_date"),
                  "sex": person.get("sex"), "address": person.get("address"), "valid_until": until.isoformat()},
    }


def new_certificate_id() -> str:
    return new_id("QC")


def issue_once(rt: Runtime, certificates: Any, person: dict[str, Any], reason: Reason, today: date,
               certificate_id: str, valid_from: date | None = None) -> int:
    """Record a certificate with a derived id unless it exists or the rule gives this person none; 1 if issued."""
    if not receives_certificate(today, bool(person.get("has_myna_insurance_card")), rt.settings.certificate_rule):
        return 0
    if certificates.get(certificate_id) is not None:
        return 0
    certificates.put_new({"certificate_id": certificate_id, "version": 1,
                          **certificate_values(person, reason, today, valid_from)})
    return 1


def run_annual_renewal(rt: Runtime, today: date) -> dict[str, Any]:
    """8/1 renewal: a certificate valid to next 7/31 for every insured person the rule covers (idempotent)."""
    certificates = rt.records("certificates")
    insured = issued = 0
    printable = []
    for person in rt.records("persons").scan_where("eligibility_status", "insured"):
        insured += 1
        certificate_id = f"QC-{person['person_id']}-renewal-{today.year}"
        issued += issue_once(rt, certificates, person, "renewal", today, certificate_id)
        if certificates.get(certificate_id) is not None:
            printable.append(certificate_id)
    # Every card of the run is printed, those issued by an earlier attempt too: the files are the same bytes.
    files = print_run(rt, f"renewal-{today.year}", sorted(printable))
    rt.audit.append(AuditEvent("system", "batch.certificate-renewal", "success", target=str(today.year),
                               detail={"insured": str(insured), "issued": str(issued),
                                       "rule": rt.settings.certificate_rule, "files": str(len(files))}))
    return {"year": today.year, "insured": insured, "issued": issued, "rule": rt.settings.certificate_rule,
            "files": files}
