"""The 所得・課税情報 file from the 市民税課 (庁内連携; PIA-II-3-a, II-3-b): per person and 年度 the figures the
premium needs. Layout in docs/assessment.md ("所得・課税情報"); 120-character records, amounts in yen,
zero-filled. The file carries no 個人番号 (PIA-III-2-b).

Checks besides the frame: amounts are digits; 所得 never exceeds its 収入; the 総所得金額等 lies between the sum
of its parts less the largest 所得金額調整控除 (10万 + 15万, 措置法第41条の3の3) and that sum; a 未申告 record
carries no amounts; a person appears once.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.domain.fixed_width import (
    Field,
    FileRefused,
    Frame,
    Parsed,
    RowError,
    count_trailer,
    digits,
    flag,
    parse_records,
    reject_repeats,
)

__all__ = ["AMOUNTS", "LAYOUT", "IncomeRow", "parse_income_file"]

AMOUNTS = ("total_income", "pension_receipts", "pension_income", "salary_receipts", "salary_income",
           "other_income", "dedicated_worker_deduction", "transfer_special_deduction", "taxable_base")
MAX_ADJUSTMENT = 250_000  # 所得金額調整控除: at most 10万 (給与と年金) + 15万 (子育て・介護) = 25万

LAYOUT = Frame(
    record_length=120,
    header=(Field("kind", 1, 1), Field("fiscal_year", 2, 4), Field("income_year", 6, 4), Field("created_on", 10, 8)),
    data=(Field("kind", 1, 1), Field("record_no", 2, 6), Field("atena_code", 8, 10), Field("undeclared", 18, 1),
          Field("resident_tax", 19, 1), Field("total_income", 20, 11), Field("pension_receipts", 31, 11),
          Field("pension_income", 42, 11), Field("salary_receipts", 53, 11), Field("salary_income", 64, 11),
          Field("other_income", 75, 11), Field("dedicated_worker_deduction", 86, 11),
          Field("transfer_special_deduction", 97, 11), Field("taxable_base", 108, 11)),
    trailer=(Field("kind", 1, 1), Field("count", 2, 6), Field("total_income_sum", 8, 13)),
)
RESIDENT_TAX = {"1": "taxable", "2": "non-taxable", "0": "undetermined"}  # 住民税 課税区分


@dataclass(frozen=True)
class IncomeRow:
    position: int  # the data record's place in the file
    record_no: int
    person_id: str
    undeclared: bool
    resident_tax: str
    amounts: dict[str, int]


def _read(position: int, raw: dict[str, str]) -> IncomeRow:
    if not raw["atena_code"].isdigit():
        raise RowError("atena_code", "宛名コード is 10 digits")
    undeclared = flag(raw, "undeclared", "01") == "1"
    resident_tax = RESIDENT_TAX[flag(raw, "resident_tax", "012")]
    amounts = {name: digits(raw, name) for name in AMOUNTS}
    if undeclared and any(amounts.values()):
        raise RowError("undeclared", "a 未申告 record carries no amounts")
    for income, receipts in (("pension_income", "pension_receipts"), ("salary_income", "salary_receipts")):
        if amounts[income] > amounts[receipts]:
            raise RowError(income, f"more than {receipts}")
    parts = amounts["pension_income"] + amounts["salary_income"] + amounts["other_income"]
    if not parts - MAX_ADJUSTMENT <= amounts["total_income"] <= parts:
        raise RowError("total_income", "not the sum of 公的年金等所得, 給与所得 and その他の所得 (less at most "
                                       "25万 of 所得金額調整控除)")
    return IncomeRow(position, digits(raw, "record_no"), f"P{raw['atena_code']}", undeclared, resident_tax, amounts)


def _trailer(trailer: dict[str, str], rows: list[dict[str, str]]) -> None:
    count_trailer(trailer, rows, "total_income", "total_income_sum")


def parse_income_file(content: bytes, encoding: str) -> tuple[int, Parsed[IncomeRow]]:
    """The 年度 of the file and its rows; the second record of a person is rejected, not merged."""
    parsed = parse_records(content, encoding, LAYOUT, _read, _trailer)
    header = parsed.header
    if not (header["fiscal_year"].isdigit() and header["income_year"].isdigit()) or \
            int(header["income_year"]) != int(header["fiscal_year"]) - 1:
        raise FileRefused("the header names the 賦課年度 (2–5) and its income year, the year before (6–9)")
    reject_repeats(parsed, lambda r: r.record_no, "record_no", "duplicate record number")
    reject_repeats(parsed, lambda r: r.person_id, "atena_code", "a person appears once in a file")
    return int(header["fiscal_year"]), parsed

