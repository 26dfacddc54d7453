"""Printed notices of the collection workflow (issue 19; docs/notices.md): the 納付書 of a person's 普通徴収 期
with their 納付番号, and the 督促状 of a 期 the daily 督促 run dunned.

- **納付書:** every open 普通徴収 期 of the 年度 that has its payment slip (`payment-slips`, written by the
  `collection-schedules` run), in 納期限 order, each with its 納付番号, 納期限 and amount. Dated the day the
  schedule was last written (a 更正 re-makes it), numbered from the schedule and its version: a reprint of the
  same schedule is the same 納付書.
- **督促状:** one per dunned 期, from the ledger's 督促 record (notice id, day of issue, 指定期限) and the 期's
  unpaid principal; the daily run prints each chunk's 督促状 into the documents bucket through `print_run`
  (`notices/dunning/dunning-<day>/<納期限>-<part>-NNNN.pdf`), the print data it also writes stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from functions.collection.rules.ledger import Instalment, Ledger, Method
from functions.collection.rules.policy import policy
from functions.collection.services.store import INSTALMENTS, LEDGER, SLIPS, instalments_by_number, instalments_of
from shared.adapters.persons import PersonRepository
from shared.domain.calendar import date_in_japan
from shared.domain.errors import NotFound
from shared.notices.document import Context, document_number
from shared.notices.dunning_notice import DUNNING, DunningLine, DunningNotice
from shared.notices.issuer import Issuer
from shared.notices.parts import Recipient
from shared.notices.payment_slip import PAYMENT_SLIPS, PaymentSlips, Slip
from shared.notices.printing import Notice, print_one, print_run
from shared.runtime import Runtime

__all__ = ["dunning_notice", "dunning_pdf", "dunning_preview", "print_dunning_chunk", "slips_notice", "slips_pdf",
           "slips_preview"]

DUNNING_PURPOSE = "督促状の送付（地方自治法第231条の3第1項）"


def _recipient(person: dict[str, Any]) -> Recipient:
    return Recipient(person.get("name") or "", person.get("mailing_address") or person.get("address") or "",
                     person.get("postal_code"))


def _person(rt: Runtime, person_id: str) -> dict[str, Any]:
    person = rt.repository(PersonRepository).get(person_id)
    if person is None:
        raise NotFound("there is no such person")
    return person


def slips_notice(rt: Runtime, person: dict[str, Any], fiscal_year: int) -> tuple[Notice, str] | None:
    """The 納付書 of the 年度's open 普通徴収 期 with their slips, and the record printed; None if there are none."""
    periods = [i for i in instalments_of(rt, person["person_id"])
               if i.fiscal_year == fiscal_year and i.method is Method.ORDINARY and i.collectable]
    slips = rt.records(SLIPS).get_many(i.payment_number for i in periods)
    periods = [i for i in periods if i.payment_number in slips]
    if not periods:
        return None
    schedule = rt.records(INSTALMENTS).get(periods[0].schedule_id) or {}
    issued_on = date_in_japan(datetime.fromisoformat(schedule["updated_at"])) if schedule.get("updated_at") \
        else date(fiscal_year, 7, 1)
    record = f"payment-slips/{periods[0].schedule_id}/v{periods[0].schedule_version}"
    recipient = _recipient(person)
    data = PaymentSlips(recipient.name, recipient.address, person.get("insured_number") or "", fiscal_year,
                        tuple(Slip(i.period, i.due_date, i.amount, i.payment_number) for i in periods))
    context = Context(Issuer.from_settings(rt.settings), document_number(PAYMENT_SLIPS, record, issued_on), issued_on)
    return Notice(PAYMENT_SLIPS, data, context), record


def slips_pdf(rt: Runtime, person_id: str, fiscal_year: int, staff_id: str, request_id: str | None,
              purpose: str) -> tuple[bytes, str]:
    found = slips_notice(rt, _person(rt, person_id), fiscal_year)
    if found is None:
        raise NotFound("the person has no 納付書 to print in this fiscal year")
    notice, record = found
    return print_one(rt, notice, person_id=person_id, record=record, staff_id=staff_id, request_id=request_id,
                     purpose=purpose), notice.context.number


def dunning_notice(rt: Runtime, person: dict[str, Any], instalment: Instalment, unpaid: int,
                   dunning: dict[str, Any]) -> Notice:
    """The 督促状 of one dunned 期 (its ledger's 督促 record: notice id, day of issue, 指定期限)."""
    issued_on = date.fromisoformat(dunning["issued_on"])
    data = DunningNotice(_recipient(person), person.get("insured_number") or "",
                         date.fromisoformat(dunning["deadline"]),
                         (DunningLine(instalment.fiscal_year, instalment.period, instalment.due_date, unpaid,
                                      instalment.payment_number, policy().dunning.fee),))
    context = Context(Issuer.from_settings(rt.settings), document_number(DUNNING, dunning["notice_id"], issued_on),
                      issued_on)
    return Notice(DUNNING, data, context)


def _dunned(rt: Runtime, person_id: str) -> list[tuple[Instalment, Ledger]]:
    """The person's dunned 期 and their ledgers, the latest 督促 first."""
    periods = instalments_of(rt, person_id)
    items = rt.records(LEDGER).get_many(i.payment_number for i in periods)
    ledgers = [(i, Ledger.from_item(items[i.payment_number], i.payment_number, person_id))
               for i in periods if i.payment_number in items]
    dunned = [(i, ledger) for i, ledger in ledgers if ledger.dunning]
    return sorted(dunned, key=lambda p: (p[1].dunning["issued_on"], p[0].payment_number), reverse=True)


def dunning_pdf(rt: Runtime, person_id: str, notice_id: str, staff_id: str, request_id: str | None,
                purpose: str) -> tuple[bytes, str]:
    """The 督促状 `notice_id` of the person again (a reprint: the principal still unpaid as the ledger holds it)."""
    person = _person(rt, person_id)
    for instalment, ledger in _dunned(rt, person_id):
        if ledger.dunning.get("notice_id") == notice_id:
            notice = dunning_notice(rt, person, instalment, ledger.outstanding(instalment), ledger.dunning)
            return print_one(rt, notice, person_id=person_id, record=f"collection-ledger/{instalment.payment_number}",
                             staff_id=staff_id, request_id=request_id, purpose=purpose), notice.context.number
    raise NotFound("the person has no such 督促状")


def print_dunning_chunk(rt: Runtime, lines: Iterable[dict[str, Any]], today: date, name: str) -> list[str]:
    """The 督促状 of one chunk of the daily run (its print-data lines, in the chunk's order) as PDF files:
    `notices/dunning/dunning-<today>/<name>-NNNN.pdf`. The same chunk of a repeated run rewrites the same files."""
    lines = list(lines)
    people = rt.repository(PersonRepository).get_many({line["person_id"] for line in lines})
    instalments = instalments_by_number(rt, [line["payment_number"] for line in lines])
    notices = (dunning_notice(rt, people.get(line["person_id"]) or {}, instalments[line["payment_number"]],
                              int(line["unpaid"]), line)
               for line in lines if line["payment_number"] in instalments)
    return print_run(rt, DUNNING.kind, f"dunning-{today:%Y%m%d}", notices, DUNNING_PURPOSE, file_prefix=f"{name}-")


def slips_preview(rt: Runtime, person: dict[str, Any], today: date) -> Notice | None:
    """`choju notice render --kind payment-slip`: the 納付書 of the latest 年度 with slips, else None."""
    years = sorted({i.fiscal_year for i in instalments_of(rt, person["person_id"])}, reverse=True)
    for year in years:
        found = slips_notice(rt, person, year)
        if found is not None:
            return found[0]
    return None


def dunning_preview(rt: Runtime, person: dict[str, Any], today: date) -> Notice | None:
    """`choju notice render --kind dunning`: the person's latest 督促状, else None."""
    for instalment, ledger in _dunned(rt, person["person_id"]):
        return dunning_notice(rt, person, instalment, ledger.outstanding(instalment), ledger.dunning)
    return None
