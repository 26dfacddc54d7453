"""特別徴収 (法第107条・第110条; `rules/pension.py`, `rules/pension_files.py`; PIA-I-1-d, PIA-II-3-b 年金 vs 賦課).

1. The pension insurers' 特別徴収対象者 notices (Z11, through the 国保連) are matched to persons — kana name, birth
   date and sex against the resident records (the file carries no 宛名番号) — and judged: pension ≥ 18万円 and
   介護 + 後期 ≤ half of it, 後期 being the year's premium of record (the sum of the person's 期). A notice that
   matches no one, or several, is reported for manual 突合 and not used.
2. The 特別徴収依頼 (Z12) asks for the 本徴収 of the targets' 特別徴収 期 (10, 12, 2月); a person with 特別徴収 期
   who is not a target (the half rule) is moved to 普通徴収 instead.
3. The result (Z14): 徴収済 is posted as a payment of the 期 of that pension payment day; 徴収不能 stops 特別徴収 for
   the rest of the year — that 期 and the later ones move to 普通徴収 with new 納期 (`rules/pension.reschedule`),
   in one transaction on the person's `instalments` schedule (under the version read): each 特別徴収 期 keeps what
   it collected (cancelled when nothing), the new 普通徴収 期 take the rest (`origin: collection`), and each gets
   its payment slip.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from functions.collection.rules.ids import derived_id
from functions.collection.rules.ledger import CANCELLED, OPEN, Instalment, Method
from functions.collection.rules.matching import Receipt
from functions.collection.rules.pension import DEDUCTION_MONTHS, is_deduction_target, reschedule
from functions.collection.rules.pension_files import Kind, PensionRecord, build_pension_file, parse_pension_file
from functions.collection.rules.policy import policy
from functions.collection.services.inbound import FileRun, Plan, receive
from functions.collection.services.postings import post_receipts
from functions.collection.services.store import INSTALMENTS, SLIPS, instalments_of, ledgers_of, slip_number
from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.domain.calendar import date_in_japan
from shared.domain.fixed_width import FileRejected, RecordError
from shared.domain.kana import kana_key
from shared.runtime import Runtime

__all__ = ["NOTICES", "fiscal_year_of", "import_pension_results", "import_pension_targets", "move_to_ordinary",
           "write_pension_request"]

NOTICES = "pension-notices"
CITY_CODE = "43100"  # 熊本市 (全国地方公共団体コード 431001 without its check digit)


def fiscal_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _notice_id(fiscal_year: int, basic: str, code: str) -> str:
    return derived_id("PN", str(fiscal_year), basic, code)


NAMESAKES = 50  # more people of one kana name and birth date than this cannot be told apart by them anyway


def _match(rt: Runtime, record: PensionRecord) -> str | None:
    """The one person with the record's kana name, birth date and sex; None when there is none or several."""
    page, more = rt.repository(PersonRepository).by_kana_and_birth(kana_key(record.name_kana),
                                                                   record.birth_date.isoformat(), NAMESAKES, None)
    found = [p for p in page if p.get("sex") == record.sex]
    return found[0]["person_id"] if len(found) == 1 and more is None else None


def import_pension_targets(rt: Runtime, counterparty: str, content: bytes, *, staff_id: str = "system") -> FileRun:
    today = date_in_japan(rt.clock())

    def plan(data: bytes, file_hash: str) -> Plan[PensionRecord]:
        parsed = parse_pension_file(data, Kind.TARGETS)
        year = fiscal_year_of(parsed.created_on)

        def apply(chunk: Sequence[PensionRecord]) -> dict[str, int]:
            notices, unmatched = [], []
            for record in chunk:
                person = _match(rt, record)
                if person is None:
                    unmatched.append(record)
                    continue
                premium = sum(i.amount for i in instalments_of(rt, person) if i.fiscal_year == year
                              and i.collectable)
                pension, kaigo = record.amounts[0], record.amounts[1]
                notices.append({"notice_id": _notice_id(year, record.basic_pension_number, record.pension_code),
                                "fiscal_year": str(year), "person_id": person, "payer_code": record.payer_code,
                                "basic_pension_number": record.basic_pension_number,
                                "pension_code": record.pension_code, "pension_annual": pension,
                                "kaigo_annual": kaigo, "kouki_annual": premium,
                                "target": is_deduction_target(pension, kaigo, premium),
                                "received_on": today.isoformat(), "file": file_hash[:16]})
            rt.records(NOTICES).put_many(notices)
            if unmatched:
                _unmatched_report(rt, counterparty, file_hash, unmatched, today)
            return {"matched": len(notices), "targets": sum(n["target"] for n in notices),
                    "unmatched": len(unmatched)}

        return Plan(parsed.records, apply, 500)

    return receive(rt, counterparty, "pension-targets", content, plan, staff_id=staff_id,
                   purpose="特別徴収対象者の判定 (PIA-II-3-b 年金 vs 賦課)")


def _unmatched_report(rt: Runtime, counterparty: str, file_hash: str, records: Sequence[PensionRecord],
                      today: date) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record", "reason"])
    writer.writerows([r.record, "no single person with this kana name, birth date and sex"] for r in records)
    key = f"reports/{counterparty}/{today:%Y%m%d}/{file_hash[:16]}-{records[0].record:07d}-unmatched.csv"
    rt.objects("exchange").put(key, out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")


def _specials(rt: Runtime, person: str, year: int) -> list[Instalment]:
    return [i for i in instalments_of(rt, person)
            if i.fiscal_year == year and i.method is Method.SPECIAL and i.collectable]


def write_pension_request(rt: Runtime, fiscal_year: int, today: date, staff_id: str = "system") -> dict[str, Any]:
    """Z12: the 本徴収 (10, 12, 2月) of every target; non-targets with 特別徴収 期 move to 普通徴収."""
    requests, moved = [], 0
    for notice in rt.records(NOTICES).iterate("by-year", "fiscal_year", str(fiscal_year)):
        specials = _specials(rt, notice["person_id"], fiscal_year)
        if not specials:
            continue
        if not notice["target"]:
            moved += bool(move_to_ordinary(rt, notice["person_id"], fiscal_year, specials[0].due_date, today))
            continue
        by_month = {i.due_date.month: i.amount for i in specials}
        person = rt.repository(PersonRepository).get(notice["person_id"]) or {}
        requests.append(PensionRecord(notice["basic_pension_number"], notice["pension_code"],
                                      date.fromisoformat(person.get("birth_date", "1900-01-01")),
                                      person.get("sex", "1"), "", notice["payer_code"], category="01",
                                      amounts=(by_month.get(10, 0), by_month.get(12, 0), by_month.get(2, 0))))
    key = f"outbound/kokuhoren/{today:%Y%m%d}/Z12-{fiscal_year}.DTA"
    rt.objects("exchange").put(key, build_pension_file(Kind.REQUEST, today, CITY_CODE, requests),
                               "application/octet-stream")
    rt.audit.append(AuditEvent(staff_id, "collection.pension-request", "success", target=f"Z12:{fiscal_year}",
                               purpose="特別徴収依頼 (法第107条)",
                               detail={"requests": str(len(requests)), "moved_to_ordinary": str(moved)}))
    return {"key": key, "requests": len(requests), "moved_to_ordinary": moved}


def import_pension_results(rt: Runtime, counterparty: str, content: bytes, *, staff_id: str = "system") -> FileRun:
    today = date_in_japan(rt.clock())

    def plan(data: bytes, file_hash: str) -> Plan[PensionRecord]:
        parsed = parse_pension_file(data, Kind.RESULT)
        notices = rt.records(NOTICES).get_many(
            _notice_id(fiscal_year_of(r.on or parsed.created_on), r.basic_pension_number, r.pension_code)
            for r in parsed.records)
        errors = [RecordError(r.record, 22, "basic_pension_number", "no 特別徴収対象者 notice for this pension")
                  for r in parsed.records
                  if _notice_id(fiscal_year_of(r.on or parsed.created_on), r.basic_pension_number,
                                r.pension_code) not in notices]
        errors += [RecordError(r.record, 387, "on", "the pension payment day is required") for r in parsed.records
                   if r.on is None or r.on.month not in DEDUCTION_MONTHS]
        if errors:
            raise FileRejected(errors, "特別徴収 result")

        def apply(chunk: Sequence[PensionRecord]) -> dict[str, int]:
            receipts, stopped = [], 0
            for record in chunk:
                assert record.on is not None
                year = fiscal_year_of(record.on)
                person = notices[_notice_id(year, record.basic_pension_number, record.pension_code)]["person_id"]
                period = next((i for i in _specials(rt, person, year) if i.due_date.month == record.on.month), None)
                if record.outcome != "00":
                    if period is not None:
                        stopped += bool(move_to_ordinary(rt, person, year, period.due_date, today))
                    continue
                number = period.payment_number if period else f"pension:{person}:{record.on:%Y%m}"
                receipts.append(Receipt(derived_id("RC", "pension", record.basic_pension_number,
                                                   record.pension_code, f"{record.on:%Y%m%d}"), number,
                                        record.amounts[0], record.on, "pension", f"{file_hash[:16]}:{record.record}",
                                        record.on))
            totals = post_receipts(rt, receipts, today).totals()
            totals["pension_stopped"] = stopped
            return totals

        return Plan(parsed.records, apply, 500)

    return receive(rt, counterparty, "pension-results", content, plan, staff_id=staff_id,
                   purpose="特別徴収結果の消込 (PIA-I-1-d)")


def _new_key(month: date, taken: set[str]) -> tuple[str, str, int]:
    """Key, stage and 期別 of a 普通徴収 期 due in `month`, in the schedule's naming (docs/assessment.md): `Nmm` in
    a month of the 普通徴収 calendar not yet used, else a 随時期 `Zyyyymm`."""
    months = policy().ordinary.months
    if month.month in months and f"N{month.month:02d}" not in taken:
        return f"N{month.month:02d}", "ordinary", months.index(month.month) + 1
    key = f"Z{month:%Y%m}"
    return next(k for k in (key, *(f"{key}-{n}" for n in range(2, 20))) if k not in taken), "extra", 0


def move_to_ordinary(rt: Runtime, person: str, fiscal_year: int, from_due: date, today: date) -> list[Instalment]:
    """Move the person's 特別徴収 期 from `from_due` on to new 普通徴収 期; [] when there is nothing to move.

    In the schedule, under the version read: each such 期 keeps what it collected (cancelled when that is
    nothing), and new 普通徴収 期 take the rest, so the 期 still add up to the annual premium."""
    specials = [i for i in _specials(rt, person, fiscal_year) if i.due_date >= from_due]
    ledgers = ledgers_of(rt, specials)
    unpaid = {i.period_key: ledgers[i.payment_number].outstanding(i) for i in specials}
    total = sum(unpaid.values())
    if total <= 0:
        return []
    schedule = rt.records(INSTALMENTS).get(specials[0].schedule_id)
    if schedule is None or int(schedule.get("version", 0)) != specials[0].schedule_version:
        return []  # changed meanwhile (a 更正): the next result or request sees the new schedule
    periods = []
    for period in schedule["periods"]:
        left = unpaid.get(period["key"], 0)
        if left > 0:
            amount = int(period["amount"]) - left
            period = {**period, "amount": amount, "status": CANCELLED if amount == 0 else period["status"]}
        periods.append(period)
    taken = {p["key"] for p in periods}
    for due, amount in reschedule(total, today, fiscal_year):
        key, stage, number = _new_key(due, taken)
        taken.add(key)
        periods.append({"key": key, "method": Method.ORDINARY.value, "stage": stage, "number": number,
                        "due_date": due.isoformat(), "amount": amount, "paid": 0, "status": OPEN,
                        "levy_year": fiscal_year_of(today), "origin": "collection"})
    version = int(schedule.get("version", 0))
    moved = {**schedule, "periods": periods, "version": version + 1, "updated_at": rt.clock().isoformat()}
    created = [Instalment.of_schedule(slip_number(moved["schedule_id"], p["key"]), moved, index)
               for index, p in enumerate(periods) if p["key"] not in {q["key"] for q in schedule["periods"]}]
    items = [rt.records(INSTALMENTS).write_item(moved, moved["schedule_id"], version),
             *(rt.records(SLIPS).write_item(c.slip(), "", 0) for c in created)]
    if not rt.transact(items):
        return []  # moved meanwhile (a repeated result): nothing to do
    return created
