"""The daily job: people who reach 75 in a period, their 資格確認書 (mailed the month before the birthday) and
the eligibility events for the 広域連合 (PIA-I-1-b). Idempotent: re-running queues and issues nothing twice."""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.certificates import mailing_month
from functions.intake.rules.eligibility import (
    Facts,
    birth_months_to_search,
    is_insured_on,
    reaches_75_between,
    seventy_fifth_birthday,
)
from functions.intake.services.certificate_print import print_run
from functions.intake.services.certificates import issue_once
from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.counterparties import KOUIKI_RENGO
from shared.protection.views import summary
from shared.runtime import Runtime


def _facts(person: dict[str, Any]) -> Facts:
    def day(name: str) -> date | None:
        return date.fromisoformat(person[name]) if person.get(name) else None

    return Facts(birth_date=date.fromisoformat(person["birth_date"]),
                 resident_in_prefecture=person.get("resident_status") in ("registered", "non-resident"),
                 public_assistance_since=day("public_assistance_since"),
                 public_assistance_ended_on=day("public_assistance_ended_on"),
                 special_address_insurer=person.get("special_address_insurer"))


def people_reaching_75(rt: Runtime, first: date, last: date) -> list[dict[str, Any]]:
    """Who becomes insured at 75 in [first, last] (法第50条第1号, 第52条), excluding 適用除外 (第51条)."""
    found = []
    for month in birth_months_to_search(first, last):
        for person in rt.repository(PersonRepository).by_birth_month(month):
            birth = date.fromisoformat(person["birth_date"])
            if not reaches_75_between(birth, first, last):
                continue
            birthday = seventy_fifth_birthday(birth)
            if not is_insured_on(_facts(person), birthday):
                continue
            found.append({**summary(person), "seventy_fifth_birthday": birthday.isoformat(),
                          "certificate_mailing_month": mailing_month(birthday)})
    return sorted(found, key=lambda p: (p["seventy_fifth_birthday"], p["person_id"]))


def run_reaching_75(rt: Runtime, first: date, last: date, today: date) -> dict[str, Any]:
    """Queue the acquisition events and record the new 資格確認書 for everyone reaching 75 in the period who
    receives one under the current rule (functions/intake/rules/certificates.py)."""
    people = people_reaching_75(rt, first, last)
    certificates = rt.records("certificates")
    queued = issued = 0
    printable = []
    for person in people:
        birthday = person["seventy_fifth_birthday"]
        queued += rt.repository(TransferQueue).enqueue(
            kind="eligibility-acquired", counterparty=KOUIKI_RENGO, entity_id=person["person_id"],
            reference=f"75:{birthday}", at=rt.clock(), queue_id=f"R75-{person['person_id']}-{birthday}",
            summary={"eligibility_acquired_on": birthday, "eligibility_change_reason": "75歳到達"})
        full = rt.repository(PersonRepository).get(person["person_id"]) or person
        certificate_id = f"QC-{person['person_id']}-{birthday}"
        issued += issue_once(rt, certificates, full, "new", today, certificate_id, date.fromisoformat(birthday))
        if certificates.get(certificate_id) is not None:
            printable.append(certificate_id)
    files = print_run(rt, f"reaching-75-{first:%Y%m%d}-{last:%Y%m%d}", printable) if printable else []
    rt.audit.append(AuditEvent("system", "batch.reaching-75", "success", target=f"{first}..{last}",
                               detail={"people": str(len(people)), "queued": str(queued), "issued": str(issued)}))
    return {"from": first.isoformat(), "to": last.isoformat(), "people": people, "queued": queued,
            "certificates_issued": issued, "files": files}
