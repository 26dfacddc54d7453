"""Counter notifications (届出) through maker-checker (PIA-I-1-a, III-2-j, III-2-k, III-2-l).

Each notification records which identity documents were checked and whether the applicant is a proxy; a
proxy's My Number is checked against the resident register. The person change it asks for is a pending
change request; once a checker confirms it, the notification is queued for the 広域連合 in the same
transaction. Forms and deadlines: 規則第8条 (障害認定申請), 第10・11条 (資格取得届), 第22条 (氏名変更),
第23条 (住所変更), 第23条の2 (個人番号変更届), 第25条 (障害状態不該当), 第26条 (資格喪失届).
The rules a notification must meet are in rules/eligibility_checks.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.certificates import needs_new_card
from functions.intake.rules.eligibility import (
    Acquisition,
    Loss,
    acquisition_date,
    loss_date,
)
from functions.intake.rules.eligibility_checks import (
    check_acquisition,
    check_disability_application,
    check_disability_end,
    check_disability_withdrawal,
    check_event_date,
)
from functions.intake.rules.eligibility_events import acquired as acquired_fields
from functions.intake.rules.eligibility_events import facts_of, lost
from functions.intake.rules.special_address import special_address_ended, special_address_started
from functions.intake.workflow import CERTIFICATE
from shared.adapters.audit_log import AuditEvent
from shared.adapters.change_requests import ChangeRequestStore
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.changes import ChangeRequest, Operation
from shared.domain.counterparties import KOUIKI_RENGO
from shared.domain.errors import Invalid, NotFound
from shared.domain.ids import new_id
from shared.domain.kana import kana_key
from shared.domain.mynumber import parse_my_number
from shared.lazy import lazy_module
from shared.observability import count
from shared.protection.changes import ChangeService, follow_up_queue_id
from shared.protection.entities import PERSON
from shared.runtime import Runtime

# Loaded with the first 再交付 that issues a card: the issuance service brings the batch framework and printing.
certificates = lazy_module("functions.intake.services.certificates")

KINDS = {
    "acquisition": "資格取得届",
    "loss": "資格喪失届",
    "address-change": "住所変更届",
    "name-change": "氏名変更届",
    "mynumber-change": "個人番号変更届",
    "disability-application": "障害認定申請",
    "disability-withdrawal": "障害認定申請の撤回",
    "disability-ended": "障害状態不該当届",
    "certificate-reissue": "資格確認書 再交付申請",
    "special-address": "住所地特例届",
    "special-address-ended": "住所地特例 終了届",
}
REQUIRED_VALUES = {"address-change": ("address",), "name-change": ("name", "name_kana"),
                   "mynumber-change": ("mynumber",)}


def verify_proxy(rt: Runtime, proxy_name_kana: str, proxy_my_number: str) -> str:
    """PIA-III-2-k: the proxy's number must belong, in the resident register, to a person of that name."""
    index = rt.vault.blind_index(parse_my_number(proxy_my_number))
    for person in rt.repository(PersonRepository).by_mynumber_index(index):
        if person.get("kana_key") == kana_key(proxy_name_kana) and person.get("resident_status") != "deceased":
            return str(person["person_id"])
    raise Invalid("the proxy's My Number does not match a resident of that name in the resident register",
                  code="proxy-mynumber-mismatch", title="The change is not valid")


def _eligibility(kind: str, details: dict[str, Any], person: dict[str, Any], today: date) -> dict[str, Any]:
    day = date.fromisoformat(details["event_date"])
    check_event_date(day, today)
    if kind == "acquisition":
        reason = Acquisition(details.get("acquisition_reason") or Acquisition.MOVED_IN.value)
        check_acquisition(reason, day, person)
        acquired = acquisition_date(reason, day, date.fromisoformat(person["birth_date"]))
        return acquired_fields(acquired, reason)
    if kind == "loss":
        reason = Loss(details.get("loss_reason") or Loss.MOVED_OUT.value)
        return lost(loss_date(reason, day, bool(details.get("insured_elsewhere_same_day"))), reason)
    if kind == "disability-application":
        check_disability_application(day, person)
        return {"disability_certified_on": day.isoformat(), "disability_certificate": details.get("certificate"),
                **acquired_fields(day, Acquisition.DISABILITY_CERTIFIED)}
    if kind in ("disability-withdrawal", "disability-ended"):
        if kind == "disability-withdrawal":
            check_disability_withdrawal(day, today, person)
        else:
            check_disability_end(day, person)
        reason = Loss.DISABILITY_WITHDRAWN if kind == "disability-withdrawal" else Loss.DISABILITY_ENDED
        return {"disability_withdrawn_on": day.isoformat(), **lost(loss_date(reason, day), reason)}
    if kind == "special-address":
        return _special_address(details, person, day, today)
    if kind == "special-address-ended":
        ended = {**person, "special_address_until": day.isoformat()}
        return special_address_ended(person, day, facts_of(ended, resident=True))
    return {}


def _special_address(details: dict[str, Any], person: dict[str, Any], day: date, today: date) -> dict[str, Any]:
    """住所地特例届 (法第55条, 第55条の2; rules/special_address.py): the facility, the 特例's start and end."""
    facts = details.get("special_address")
    if not facts:
        raise Invalid("a 住所地特例届 names the basis, the facility, its kind and prefecture",
                      code="special-address-required", title="The 住所地特例 is not valid")
    until = date.fromisoformat(facts["until"]) if facts.get("until") else None
    return special_address_started(person, basis=facts["basis"], insurer=facts.get("insurer"),
                                   facility=facts["facility"], facility_kind=facts["facility_kind"],
                                   facility_prefecture=facts["facility_prefecture"], day=day, until=until,
                                   today=today)


def _new_card(rt: Runtime, person: dict[str, Any], values: dict[str, Any],
              details: dict[str, Any]) -> dict[str, Any]:
    """A change of 住所 or 氏名 of an insured person issues a new 資格確認書 when the change is confirmed (rules
    .certificates.needs_new_card), effective from the day of the change."""
    if not needs_new_card(person, values):
        return {}
    certificate_id = certificates.new_certificate_id()
    changed_on = date.fromisoformat(details["event_date"]) if details.get("event_date") else None
    record = {"certificate_id": certificate_id, "version": 1,
              **certificates.certificate_values({**person, **values}, "change", rt.clock().date(), changed_on,
                                                changed_on, rt.settings.insurer_number)}
    return {"records": [{"table": CERTIFICATE.table, "id": certificate_id, "record": record}]}


def submit_notification(rt: Runtime, service: ChangeService, *, staff_id: str, request_id: str, kind: str,
                        person_id: str, details: dict[str, Any], values: dict[str, Any],
                        applicant: dict[str, Any], identity_documents: list[str]) -> dict[str, Any]:
    """Record the notification and propose its change; returns what the counter shows."""
    person = rt.repository(PersonRepository).get(person_id)
    if person is None:
        raise NotFound("there is no such person")
    missing = [v for v in REQUIRED_VALUES.get(kind, ()) if not values.get(v)]
    if missing:
        raise Invalid(f"{KINDS[kind]} needs values: {', '.join(missing)}", code="invalid-change",
                      title="The change is not valid")
    applicant_record = {"type": applicant["type"], "relationship": applicant.get("relationship")}
    if applicant["type"] == "proxy":
        applicant_record["proxy_person_id"] = verify_proxy(rt, applicant["proxy_name_kana"],
                                                           applicant["proxy_my_number"])
    notification_id = new_id("NT")
    follow_up = {"transfer": {"kind": f"notification:{kind}", "counterparty": KOUIKI_RENGO,
                              "reference": notification_id,
                              "summary": {"notification": KINDS[kind]}}}
    if kind == "certificate-reissue":
        change = service.propose(maker=staff_id, operation=Operation.CREATE, person_id=None,
                                 values=certificates.certificate_values(person, "reissue", rt.clock().date(),
                                                                        insurer_number=rt.settings.insurer_number),
                                 reason=KINDS[kind], request_id=request_id, kind=CERTIFICATE, follow_up=follow_up)
    else:
        follow_up |= _new_card(rt, person, values, details)
        change = service.propose(maker=staff_id, operation=Operation.UPDATE, person_id=person_id,
                                 values={**values, **_eligibility(kind, details, person, rt.clock().date())},
                                 reason=KINDS[kind], request_id=request_id, kind=PERSON, follow_up=follow_up)
    record = {"notification_id": notification_id, "kind": kind, "form": KINDS[kind], "person_id": person_id,
              "received_at": rt.clock().isoformat(), "received_by": staff_id, "applicant": applicant_record,
              "identity_documents": identity_documents, "change_request_id": change.request_id,
              "event_date": details.get("event_date"), "version": 1}
    rt.records("notifications").put_new(record)
    rt.audit.append(AuditEvent(staff_id, f"notification.{kind}", "success", target=person_id, purpose=KINDS[kind],
                               request_id=request_id, detail={"notification": notification_id,
                                                              "applicant": applicant["type"]}))
    count("NotificationsTaken")
    return notification_view(rt, record, change)


def notification_view(rt: Runtime, record: dict[str, Any], change: ChangeRequest | None = None) -> dict[str, Any]:
    change = change or rt.repository(ChangeRequestStore).get(record["change_request_id"])
    queued = rt.repository(TransferQueue).get(follow_up_queue_id(record["notification_id"]))
    return {**{k: v for k, v in record.items() if k != "version"},
            "status": change.status.value if change else "unknown",
            "queued_for_kouiki_at": queued["queued_at"] if queued else None}

