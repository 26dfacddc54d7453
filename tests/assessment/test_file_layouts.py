"""The 所得・課税情報 and 保険料情報 layouts: every field read from its documented position, every rule a reject
naming the record and the field (never the value), and a file that cannot be read as a whole refused
(PIA-III-2-d: documented fixed layouts)."""

from __future__ import annotations

from datetime import date

import pytest

from functions.assessment.rules.income_file import parse_income_file
from functions.assessment.rules.results_file import parse_results_file
from shared.domain.fixed_width import FileRefused
from tests.assessment.files import income_file, income_record, result_record, results_file

# 公的年金 180万 → 所得 70万; 給与 100万 → 45万; 所得金額調整控除 10万 → 総所得 105万
ROW = income_record(1, "0000000001", total=1_050_000, pension_receipts=1_800_000, pension_income=700_000,
                    salary_receipts=1_000_000, salary_income=450_000, dedicated=0, taxable=120_000)


def test_an_income_file_reads_every_field_from_its_position() -> None:
    for encoding, newline in (("cp932", "\r\n"), ("utf-8", "\n"), ("utf-8", "")):
        year, parsed = parse_income_file(income_file(2025, [ROW], newline=newline), encoding)
        assert year == 2025 and parsed.rejects == [] and parsed.count == 1
        row = parsed.rows[0]
        assert (row.person_id, row.undeclared, row.resident_tax) == ("P0000000001", False, "taxable")
        assert row.amounts == {"total_income": 1_050_000, "pension_receipts": 1_800_000, "pension_income": 700_000,
                               "salary_receipts": 1_000_000, "salary_income": 450_000, "other_income": 0,
                               "dedicated_worker_deduction": 0, "transfer_special_deduction": 0,
                               "taxable_base": 120_000}


@pytest.mark.parametrize(("record", "field"), [
    (ROW[:7] + "00000A0001" + ROW[17:], "atena_code"),
    (ROW[:17] + "2" + ROW[18:], "undeclared"),
    (ROW[:18] + "9" + ROW[19:], "resident_tax"),
    (ROW[:30] + "00001 00000" + ROW[41:], "pension_receipts"),
    (income_record(1, "0000000001", undeclared=True, other=10), "undeclared"),
    (income_record(1, "0000000001", total=80, pension_receipts=50, pension_income=80), "pension_income"),
    (income_record(1, "0000000001", total=1_300_000, pension_income=700_000, pension_receipts=1_800_000,
                   other=500_000), "total_income"),  # 130万 > 70万 + 50万
    (income_record(1, "0000000001", total=949_999, pension_income=700_000, pension_receipts=1_800_000,
                   other=500_000), "total_income"),  # below 120万 − 25万
])
def test_each_income_rule_is_a_reject_naming_the_field(record: str, field: str) -> None:
    _, parsed = parse_income_file(income_file(2025, [ROW.replace("000001", "000002", 1), record]), "utf-8")
    assert [(r.row, r.field) for r in parsed.rejects] == [(2, field)]
    assert len(parsed.rows) == 1
    assert all(record[19:30] not in r.reason for r in parsed.rejects)


def test_a_person_or_record_number_twice_is_rejected() -> None:
    again = income_record(2, "0000000001", total=0)
    same_no = income_record(1, "0000000002", total=0)
    _, parsed = parse_income_file(income_file(2025, [ROW, again, same_no]), "utf-8")
    assert [(r.row, r.field) for r in parsed.rejects] == [(2, "atena_code"), (3, "record_no")]


@pytest.mark.parametrize(("content", "says"), [
    (income_file(2025, [ROW], count=2), "the trailer counts 000002"),
    (income_file(2025, [ROW], total=1), "does not equal the sum"),
    (income_file(2025, [ROW], income_year=2025), "income year"),
    (income_file(2025, [ROW]).replace(b"\r\n", b"X\r\n", 1), "not a 120-character"),
    (income_file(2025, [ROW])[122:], "header record"),
    ("所得".encode("cp932") + income_file(2025, [ROW]), "not valid utf-8"),
])
def test_a_file_that_cannot_be_read_whole_is_refused(content: bytes, says: str) -> None:
    with pytest.raises(FileRefused) as refused:
        parse_income_file(content, "utf-8")
    assert says in refused.value.detail


# ---- 保険料情報 --------------------------------------------------------------------------------------------------
RESULT = result_record(1, "0000000001", insured="10000001", version=0, annual=58_000, equal=29_000, income=29_646,
                       reduction="2", months=12, base=270_000, acquired=date(2023, 6, 15), exemption=600)


def test_a_results_file_reads_every_field_from_its_position() -> None:
    year, parsed = parse_results_file(results_file(2025, [RESULT]), "utf-8")
    assert year == 2025 and parsed.rejects == []
    assert parsed.rows[0].values() == {
        "insured_number": "10000001", "version": 0, "annual_premium": 58_000, "equal_share": 29_000,
        "income_share": 29_646, "reduction": "50%", "former_dependant": False, "capped": False, "reason": "00",
        "reason_name": "当初賦課", "decided_on": "2025-07-01", "acquired_on": "2023-06-15", "lost_on": None,
        "months": 12, "assessment_base": 270_000, "exemption": 600}


@pytest.mark.parametrize(("record", "field"), [
    (result_record(1, "0000000002", annual=58_650, equal=29_000, income=29_650), "annual_premium"),
    (result_record(1, "0000000002", annual=58_700, equal=29_000, income=29_646), "annual_premium"),
    (result_record(1, "0000000002", annual=58_600, equal=29_000, income=29_646, exemption=100), "annual_premium"),
    (result_record(1, "0000000002", annual=100, equal=100, reduction="4"), "reduction"),
    (result_record(1, "0000000002", annual=100, equal=100, version=1, reason="00"), "reason"),
    (result_record(1, "0000000002", annual=100, equal=100, version=0, reason="01"), "reason"),
    (result_record(1, "0000000002", annual=100, equal=100, reason="42"), "reason"),
    (result_record(1, "0000000002", annual=100, equal=100, months=13), "months"),
    (result_record(1, "0000000002", annual=100, equal=100, acquired=date(2025, 5, 1), lost=date(2025, 5, 1)),
     "lost_on"),
    (result_record(1, "0000000002", annual=100, equal=100).replace("20250701", "20250231"), "decided_on"),
])
def test_each_result_rule_is_a_reject_naming_the_field(record: str, field: str) -> None:
    _, parsed = parse_results_file(results_file(2025, [RESULT, record.replace("000001", "000002", 1)]), "utf-8")
    assert [(r.row, r.field) for r in parsed.rejects] == [(2, field)]


def test_the_same_correction_twice_is_rejected_and_two_corrections_are_not() -> None:
    first = result_record(2, "0000000001", version=1, reason="01", annual=100, equal=100)
    second = result_record(3, "0000000001", version=1, reason="01", annual=200, equal=200)
    _, parsed = parse_results_file(results_file(2025, [RESULT, first, second]), "utf-8")
    assert [(r.row, r.field) for r in parsed.rejects] == [(3, "version")]
    assert [r.version for r in parsed.rows] == [0, 1]
