"""The 福祉 department's 生活保護 file (保護課 → 後期高齢者医療; issue 12 item 5): 保護の開始・停止・停止解除・廃止
with their dates, feeding 適用除外 (法第51条第1号) and the 資格 it decides.

Pure. Layout (docs/intake.md "生活保護 異動"): 80-byte records — header (データ区分 1), data (2)…, trailer (8) —
back to back or each followed by CR LF, digits and spaces only (UTF-8 and CP932 read alike). The positions are
this system's, agreed with the 保護課 as configuration: no public layout exists for this 庁内連携.

Sources (../shared/docs/domain-rules.md §4):
- 法第51条第1号: 「生活保護法による保護を受けている世帯（その保護を停止されている世帯を除く。）に属する者」 is not
  insured (適用除外); a household whose 保護 is 停止 is therefore not excluded.
- 法第53条第2項: a person who comes under 第51条第1号 loses the 資格 on that day (開始 → loss that day; 停止解除, the
  保護 running again, likewise).
- 法第52条: 「前条各号のいずれにも該当しなくなつたとき」 the 資格 is acquired that day (廃止 → acquisition that day;
  停止 → the household is no longer excluded, acquisition that day), provided the person is otherwise insured
  (75 or over, or 65–74 with 障害認定, living in the area: 法第50条).
The decision is `is_insured_on` (rules/eligibility.py) before and after the row, so age, residence and 住所地特例
decide together with the 保護.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from functions.intake.rules.eligibility import Acquisition, Loss, is_insured_on, loss_date
from functions.intake.rules.eligibility_events import facts_of, lost
from functions.intake.rules.eligibility_periods import with_new_period
from shared.domain.fixed_width import Field, FileRejected, Layout, RecordError, read_sectioned, trailer_mismatches

__all__ = ["ACTIONS", "DATA", "HEADER", "RECORD_LENGTH", "TRAILER", "WHAT", "AssistanceRow", "against_record",
           "assistance_update", "read_assistance"]

RECORD_LENGTH = 80
WHAT = "生活保護 異動 file"
HEADER = Layout("header", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "1"), Field("city_code", 2, 6, "N"), Field("created_on", 8, 8, "N"),
    Field("filler", 16, 65, "C")))
DATA = Layout("data", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "2"), Field("record_no", 2, 6, "N"), Field("atena_code", 8, 10, "N"),
    Field("action", 18, 1, "N"), Field("action_date", 19, 8, "N"), Field("filler", 27, 54, "C")))
TRAILER = Layout("trailer", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "8"), Field("count", 2, 6, "N"), Field("filler", 8, 73, "C")))
ACTIONS = {"1": "開始", "2": "停止", "3": "停止解除", "4": "廃止"}
FIRST_YEAR = 2008  # 後期高齢者医療 began 2008-04-01
_START = {f.name: f.start for f in DATA.fields}
# the 保護 dates on record; a row older than the newest of them would overwrite newer data
DATES = ("public_assistance_since", "public_assistance_ended_on", "public_assistance_suspended_from",
         "public_assistance_suspended_until")


@dataclass(frozen=True)
class AssistanceRow:
    record: int  # record number in the file (the header is 1)
    person_id: str
    action: str  # 開始 | 停止 | 停止解除 | 廃止
    day: date


def _date(raw: str, record: int, start: int, name: str, errors: list[RecordError]) -> date | None:
    try:
        found = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        found = None
    if found is None or not FIRST_YEAR <= found.year <= 2199:
        errors.append(RecordError(record, start, name, "a date YYYYMMDD from 2008"))
        return None
    return found


def read_assistance(content: bytes) -> list[AssistanceRow]:
    """Every record checked; raises FileRejected with every error (record, byte, field, reason, never a value)."""
    sectioned = read_sectioned(content, HEADER, DATA, TRAILER, None, WHAT)
    errors: list[RecordError] = []
    _date(sectioned.header["created_on"], 1, 8, "created_on", errors)
    rows: list[AssistanceRow] = []
    seen: dict[str, int] = {}
    for record, values in sectioned.data:
        action = ACTIONS.get(values["action"])
        if action is None:
            errors.append(RecordError(record, _START["action"], "action",
                                      "異動区分 is 1 開始, 2 停止, 3 停止解除 or 4 廃止"))
        day = _date(values["action_date"], record, _START["action_date"], "action_date", errors)
        person_id = f"P{values['atena_code']}"
        if person_id in seen:
            errors.append(RecordError(record, _START["atena_code"], "atena_code",
                                      f"the person is in record {seen[person_id]} already: one 異動 a person a file"))
            continue
        seen[person_id] = record
        if action is not None and day is not None:
            rows.append(AssistanceRow(record, person_id, action, day))
    errors += trailer_mismatches(TRAILER, sectioned.trailer, {"count": len(sectioned.data)})
    if errors:
        raise FileRejected(sorted(errors, key=lambda e: (e.record, e.position)), WHAT)
    return rows


def _under_assistance(record: dict[str, Any]) -> bool:
    return bool(record.get("public_assistance_since")) and not record.get("public_assistance_ended_on")


def _suspended(record: dict[str, Any]) -> bool:
    return bool(record.get("public_assistance_suspended_from")) and not record.get("public_assistance_suspended_until")


def against_record(record: dict[str, Any] | None, row: AssistanceRow) -> RecordError | None:
    """Why the row cannot apply to the person as stored, or None: an unknown 宛名コード; a date older than the
    newest 保護 date on record (an older file never overwrites newer data); a 停止, 停止解除 or 廃止 without a
    保護 in force, a 停止解除 without a 停止, a 開始 while the 保護 runs."""
    if record is None:
        return RecordError(row.record, _START["atena_code"], "atena_code", "unknown 宛名コード")
    newest = max((record[d] for d in DATES if record.get(d)), default=None)
    if newest and row.day.isoformat() < newest:
        return RecordError(row.record, _START["action_date"], "action_date",
                           "older than the 保護 date on record (an older file never overwrites newer data)")
    under, suspended = _under_assistance(record), _suspended(record)
    wrong = {"開始": under, "停止": not under or suspended, "停止解除": not under or not suspended,
             "廃止": not under}[row.action]
    if wrong:
        return RecordError(row.record, _START["action"], "action",
                           {"開始": "a 開始 while the 保護 on record runs", "停止": "a 停止 without a 保護 in force",
                            "停止解除": "a 停止解除 without a 停止 on record",
                            "廃止": "a 廃止 without a 保護 on record"}[row.action])
    return None


def assistance_update(record: dict[str, Any], row: AssistanceRow) -> tuple[dict[str, Any], str | None]:
    """(the record after the row, the eligibility event for the 広域連合 or None)."""
    day = row.day.isoformat()
    dates = {"開始": {"public_assistance_since": day, "public_assistance_ended_on": None,
                      "public_assistance_suspended_from": None, "public_assistance_suspended_until": None},
             "停止": {"public_assistance_suspended_from": day, "public_assistance_suspended_until": None},
             "停止解除": {"public_assistance_suspended_until": day},
             "廃止": {"public_assistance_ended_on": day}}[row.action]
    after = {**record, **dates}
    insured = record.get("eligibility_status") == "insured"
    insured_after = is_insured_on(facts_of(after), row.day)
    if insured and not insured_after:  # 開始 or 停止解除: 第51条第1号 applies from that day → loss that day
        loss = lost(loss_date(Loss.PUBLIC_ASSISTANCE, row.day), Loss.PUBLIC_ASSISTANCE)  # 法第53条第2項: その日
        return {**after, **loss}, "eligibility-lost"
    if not insured and insured_after:  # 廃止 or 停止: no longer 適用除外 → acquisition that day (法第52条)
        return {**with_new_period(after, day, Acquisition.EXCLUSION_ENDED.value),
                "insurer": "43"}, "eligibility-acquired"
    return after, None
