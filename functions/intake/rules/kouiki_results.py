"""The 広域連合's 被保険者情報 file (広域 → city; PIA-II-5, file-layouts.md §5 "被保険者(資格)情報"): what the
広域連合 decided for each insured person, applied as the city's amount of record, and where the city's own view
of the 資格 disagrees with it.

Pure. The layout (docs/intake.md "広域連合 被保険者情報") is 120-byte records — header (データ区分 1), data (2)…,
trailer (8) — back to back or each followed by CR LF, digits and spaces only, so the 広域連合's UTF-8 and CP932
read alike. The public sources give no record layout for this exchange (file-layouts.md §5 [U]): the positions
are this system's, agreed with the 広域連合 as configuration. Any record that breaks the layout or a rule below
refuses the whole file, naming record, byte and field, never the value (design rule 9).

What the 広域連合 decides is the city's record, never recomputed here:
- 被保険者番号: the 広域連合 assigns it (法第48条: the 広域連合 is the insurer); a new entrant's number arrives here.
- 一部負担金の割合 with its 判定年度 (法第67条第1項; domain-rules §5: 1割, 2割 一般Ⅱ, 3割 現役並み; the year runs
  8/1–7/31) and the 限度額区分 that goes with it (令第14条, 高額療養費の所得区分 [P]): 現役並みⅠ–Ⅲ only with 3割,
  一般Ⅱ only with 2割, 一般Ⅰ and 低所得Ⅰ・Ⅱ only with 1割. A 判定年度 older than the one on record never
  overwrites it (an older file never overwrites newer data).
- A new 負担割合 changes what the 資格確認書 prints, so an insured person whose 割合 changes gets a `change` card
  (施行規則: 記載事項の変更; rules/certificates.needs_new_card). It holds from the 8/1 that starts its 判定年度 (the
  割合 is judged every August for 8月〜翌年7月 from the 住民税 figures, 川崎町 (宮城) 後期高齢者医療; domain-rules
  §5), or, for a re-judgment within the year (a 世帯員の異動 changes it mid-year, same source), from the file's
  作成年月日: the file carries no date of its own for the change, and a card is never backdated before the day
  the 広域連合 decided (`ratio_effective_on`).
- 資格取得日 / 資格喪失日 are the 広域連合's decision too, but the city keeps its own view from the resident
  register and the 届書 (法第52条, 第53条; PIA-II-3-b 突合: 住基関係情報 and 住登外情報 against the 届書): when
  the two differ nothing is overwritten; the difference becomes a discrepancy a clerk works through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.domain.fixed_width import Field, FileRejected, Layout, RecordError, read_sectioned, trailer_mismatches

__all__ = ["DATA", "HEADER", "LIMIT_CLASSES", "RATIOS", "RECORD_LENGTH", "TRAILER", "Discrepancy", "ResultRow",
           "Results", "older_than_record", "ratio_effective_on", "read_results", "reconcile"]

RECORD_LENGTH = 120
WHAT = "広域連合 被保険者情報 file"

HEADER = Layout("header", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "1"), Field("insurer_number", 2, 8, "N"), Field("city_code", 10, 6, "N"),
    Field("created_on", 16, 8, "N"), Field("filler", 24, 97, "C")))
DATA = Layout("data", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "2"), Field("record_no", 2, 6, "N"), Field("atena_code", 8, 10, "N"),
    Field("insured_number", 18, 8, "N"), Field("acquired_on", 26, 8, "N"), Field("lost_on", 34, 8, "N"),
    Field("ratio", 42, 1, "N"), Field("ratio_year", 43, 4, "N"), Field("limit_class", 47, 2, "N"),
    Field("filler", 49, 72, "C")))
TRAILER = Layout("trailer", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "8"), Field("count", 2, 6, "N"), Field("filler", 8, 113, "C")))

RATIOS = {"1": "1割", "2": "2割", "3": "3割"}  # 一部負担金の割合 (法第67条第1項)
# 限度額区分 code → (name, the 割合 it goes with) (令第14条 [P]; domain-rules §5)
LIMIT_CLASSES: dict[str, tuple[str, str]] = {
    "01": ("現役並みⅢ", "3割"), "02": ("現役並みⅡ", "3割"), "03": ("現役並みⅠ", "3割"), "04": ("一般Ⅱ", "2割"),
    "05": ("一般Ⅰ", "1割"), "06": ("低所得Ⅱ", "1割"), "07": ("低所得Ⅰ", "1割")}
FIRST_YEAR = 2008  # 後期高齢者医療 began 2008-04-01
# The city's view and the 広域連合's: the 資格 dates compared (法第52条 取得日, 第53条 喪失日).
COMPARED = (("acquired_on", "eligibility_acquired_on", "資格取得日"), ("lost_on", "eligibility_lost_on", "資格喪失日"))


@dataclass(frozen=True)
class ResultRow:
    record: int  # record number in the file (the header is 1)
    record_no: int
    person_id: str
    insured_number: str
    acquired_on: date
    lost_on: date | None
    ratio: str  # "1割" | "2割" | "3割"
    ratio_year: int  # 判定年度
    limit_class: str  # 限度額区分 name


@dataclass(frozen=True)
class Results:
    created_on: date
    rows: list[ResultRow]


@dataclass(frozen=True)
class Discrepancy:
    field: str  # the person field the two views disagree on
    label: str
    city: str | None
    kouiki: str | None
    basis: str  # 住基 or 住登外: where the city's view comes from (PIA-II-3-b)


def _date(values: Mapping[str, str], name: str, record: int, start: int, errors: list[RecordError],
          optional: bool = False) -> date | None:
    raw = values[name]
    if optional and raw == "00000000":
        return None
    try:
        found = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        found = None
    if found is None or found.year < FIRST_YEAR or found.year > 2199:
        errors.append(RecordError(record, start, name, "a date YYYYMMDD from 2008" +
                                  (" (00000000 for none)" if optional else "")))
        return None
    return found


def _row(record: int, values: Mapping[str, str], errors: list[RecordError]) -> ResultRow | None:
    starts = {f.name: f.start for f in DATA.fields}
    before = len(errors)
    acquired = _date(values, "acquired_on", record, starts["acquired_on"], errors)
    lost = _date(values, "lost_on", record, starts["lost_on"], errors, optional=True)
    if acquired and lost and lost <= acquired:
        errors.append(RecordError(record, starts["lost_on"], "lost_on", "the 資格喪失日 is after the 資格取得日"))
    ratio = RATIOS.get(values["ratio"])
    if ratio is None:
        errors.append(RecordError(record, starts["ratio"], "ratio", "一部負担金の割合 is 1, 2 or 3"))
    year = int(values["ratio_year"])
    if year < FIRST_YEAR:
        errors.append(RecordError(record, starts["ratio_year"], "ratio_year", "判定年度 from 2008"))
    limit = LIMIT_CLASSES.get(values["limit_class"])
    if limit is None:
        errors.append(RecordError(record, starts["limit_class"], "limit_class",
                                  f"限度額区分 is one of {', '.join(LIMIT_CLASSES)}"))
    elif ratio is not None and limit[1] != ratio:
        errors.append(RecordError(record, starts["limit_class"], "limit_class",
                                  f"限度額区分 {limit[0]} goes with {limit[1]}, not {ratio}"))
    if values["insured_number"] == "00000000":
        errors.append(RecordError(record, starts["insured_number"], "insured_number", "被保険者番号 is required"))
    if len(errors) > before or acquired is None or ratio is None or limit is None:
        return None
    return ResultRow(record, int(values["record_no"]), f"P{values['atena_code']}", values["insured_number"],
                     acquired, lost, ratio, year, limit[0])


def read_results(content: bytes) -> Results:
    """Every record checked; raises FileRejected with every error (record, byte, field, reason) found."""
    sectioned = read_sectioned(content, HEADER, DATA, TRAILER, None, WHAT)
    errors: list[RecordError] = []
    created = _date(sectioned.header, "created_on", 1, 16, errors)
    rows: list[ResultRow] = []
    seen: dict[str, int] = {}
    for record, values in sectioned.data:
        row = _row(record, values, errors)
        if row is None:
            continue
        if row.person_id in seen:
            errors.append(RecordError(record, 8, "atena_code", f"the person is in record {seen[row.person_id]} "
                                                               "already: a file says one thing once"))
            continue
        seen[row.person_id] = record
        rows.append(row)
    errors += trailer_mismatches(TRAILER, sectioned.trailer, {"count": len(sectioned.data)})
    if errors:
        raise FileRejected(sorted(errors, key=lambda e: (e.record, e.position)), WHAT)
    assert created is not None
    return Results(created, rows)


def older_than_record(person: Mapping[str, Any], row: ResultRow) -> bool:
    """The person's 負担割合 on record was judged for a later 年度 than the row's."""
    held = str(person.get("copayment_year") or "")
    return held.isdigit() and int(held) > row.ratio_year


def ratio_effective_on(row: ResultRow, created_on: date) -> date:
    """The day the row's 負担割合 holds from: the 8/1 starting its 判定年度, or the file's 作成年月日 when later
    (a re-judgment within the year)."""
    return max(date(row.ratio_year, 8, 1), created_on)


def reconcile(person: Mapping[str, Any], row: ResultRow) -> tuple[dict[str, Any], list[Discrepancy]]:
    """What the row sets on the person (the 広域連合's decisions) and where the city's 資格 dates differ."""
    updates: dict[str, Any] = {"insured_number": row.insured_number, "copayment_ratio": row.ratio,
                               "copayment_year": str(row.ratio_year), "limit_class": row.limit_class}
    basis = "住登外" if person.get("resident_status") == "non-resident" else "住基"
    found = []
    for attribute, field, label in COMPARED:
        theirs: date | None = getattr(row, attribute)
        kouiki = theirs.isoformat() if theirs else None
        city = person.get(field) or None
        if city != kouiki:
            found.append(Discrepancy(field, label, city, kouiki, basis))
    return updates, found
