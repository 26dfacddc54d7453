"""督促 (dunning.py), 時効 (limitation.py), 特別徴収 (pension.py), open days and bank accounts, hand-computed."""

from __future__ import annotations

from datetime import date

import pytest

from functions.collection.rules.bank_account import InvalidAccount, parse_bank_account
from functions.collection.rules.days import CalendarNotRecorded, next_open_day
from functions.collection.rules.dunning import due_dates_to_dun, dunning_decision, notice_deadline
from functions.collection.rules.ledger import Ledger, Method
from functions.collection.rules.limitation import lapse_day, limitation_start
from functions.collection.rules.pension import is_deduction_target, ordinary_due_dates, reschedule
from tests.collection.rules_data import instalment, paid

D = date.fromisoformat
DUE = instalment("A", 9_800, "2025-07-31")


@pytest.mark.parametrize(("today", "issue", "late"), [
    ("2025-08-14", False, False),  # 14 days after the 納期限: too early (wait 15)
    ("2025-08-15", True, False),  # 15 days
    ("2025-08-20", True, False),  # 20 days: the last day of 「納期限後20日以内」
    ("2025-08-21", True, True),  # 21 days: still sent, reported as late
])
def test_a_dunning_notice_waits_15_days_and_is_due_within_20(today: str, issue: bool, late: bool) -> None:
    decision = dunning_decision(DUE, Ledger("A", "P1"), D(today))
    assert (decision.issue, decision.late) == (issue, late)


def test_no_notice_for_paid_announced_special_or_already_dunned_periods() -> None:
    day = D("2025-08-15")
    assert not dunning_decision(DUE, paid(Ledger("A", "P1"), "R1", 9_800, "2025-07-31"), day).issue
    assert dunning_decision(DUE, paid(Ledger("A", "P1"), "R1", 9_000, "2025-07-31"), day).unpaid == 800
    announced = Ledger("A", "P1", provisional={"R2": 9_800})
    assert not dunning_decision(DUE, announced, day).issue
    assert not dunning_decision(instalment("S", 9_800, "2025-07-31", method=Method.SPECIAL), Ledger("S", "P1"),
                                day).issue
    dunned = Ledger("A", "P1", dunning={"notice_id": "DN1", "issued_on": "2025-08-15", "deadline": "2025-08-25"})
    assert not dunning_decision(DUE, dunned, D("2025-08-16")).issue


def test_the_run_looks_at_the_due_dates_15_to_20_days_back() -> None:
    assert due_dates_to_dun(D("2025-08-15")) == [D("2025-07-31"), D("2025-07-30"), D("2025-07-29"),
                                                 D("2025-07-28"), D("2025-07-27"), D("2025-07-26")]


@pytest.mark.parametrize(("issued", "deadline"), [
    ("2025-08-15", "2025-08-25"),  # + 10 days: a Monday
    ("2025-08-14", "2025-08-25"),  # + 10 = Sunday 8/24 → Monday
    ("2025-12-22", "2026-01-05"),  # + 10 = 1/1: 12/29–1/3 closed, 1/4 Sunday → 1/5
])
def test_the_designated_deadline(issued: str, deadline: str) -> None:
    assert notice_deadline(D(issued)) == D(deadline)


@pytest.mark.parametrize(("due", "deadline", "payments", "lapses"), [
    ("2023-07-31", None, [], "2025-08-01"),  # from 2023-08-01, two years end 2025-07-31
    ("2023-07-31", "2023-08-25", [], "2025-08-26"),  # 督促 renews from the day after its 指定期限
    ("2023-07-31", "2023-08-25", ["2024-01-10"], "2026-01-11"),  # a partial payment renews again
    ("2024-02-28", None, [], "2026-03-01"),  # from 2024-02-29: no 2026-02-29, the period ends 2/28
])
def test_when_a_premium_lapses(due: str, deadline: str | None, payments: list[str], lapses: str) -> None:
    start = limitation_start(D(due), D(deadline) if deadline else None, [D(p) for p in payments])
    assert lapse_day(start, 2) == D(lapses)


@pytest.mark.parametrize(("pension", "kaigo", "kouki", "target"), [
    (180_000, 30_000, 60_000, True),  # 2 × 90,000 = 180,000: exactly half still qualifies
    (180_000, 30_000, 60_001, False),  # more than half
    (179_999, 10_000, 10_000, False),  # under 18万円
])
def test_who_is_a_pension_deduction_target(pension: int, kaigo: int, kouki: int, target: bool) -> None:
    assert is_deduction_target(pension, kaigo, kouki) is target


def test_the_ordinary_due_dates_of_2025_move_off_closed_days() -> None:
    assert ordinary_due_dates(2025) == [D(d) for d in (
        "2025-07-31", "2025-09-01",  # 8/31 is a Sunday
        "2025-09-30", "2025-10-31", "2025-12-01",  # 11/30 Sunday
        "2025-12-25", "2026-02-02",  # 1/31 Saturday
        "2026-03-02",  # 2/28 Saturday
        "2026-03-31")]


def test_a_failed_deduction_moves_to_the_remaining_due_dates_with_the_remainder_first() -> None:
    """20,150 notified 2025-12-05: 納期 from 12/25 (20 days later): 12/25, 2/2, 3/2, 3/31;
    20,150 / 4 = 5,037 → 5,000 (100円 units); first 20,150 − 3 × 5,000 = 5,150."""
    assert reschedule(20_150, D("2025-12-05"), 2025) == [(D("2025-12-25"), 5_150), (D("2026-02-02"), 5_000),
                                                          (D("2026-03-02"), 5_000), (D("2026-03-31"), 5_000)]


def test_a_failure_after_the_last_due_date_gets_one_due_date_the_month_after_next() -> None:
    """Notified 2026-03-20: none left (3/31 is 11 days away); May → 5/31 is a Sunday → 6/1."""
    assert reschedule(9_800, D("2026-03-20"), 2025) == [(D("2026-06-01"), 9_800)]


def test_a_year_without_a_holiday_calendar_is_refused() -> None:
    with pytest.raises(CalendarNotRecorded):
        next_open_day(D("2030-01-07"))


def test_a_bank_account_is_normalised_and_masked() -> None:
    account = parse_bank_account({"bank_code": "0182", "branch_code": "023", "account_type": "1",
                                  "account_number": "7654321", "holder_kana": "くまもと　たろう"})
    assert account.holder_kana == "ｸﾏﾓﾄ ﾀﾛｳ"
    assert account.summary()["account_number"] == "****321"


def test_full_width_digits_and_unwritable_names_are_refused_field_by_field() -> None:
    with pytest.raises(InvalidAccount) as refused:
        parse_bank_account({"bank_code": "０１８２", "branch_code": "23", "account_type": "3",
                            "account_number": "7654321", "holder_kana": "熊本"})
    assert [e["field"] for e in refused.value.errors] == ["bank_code", "branch_code", "account_type", "holder_kana"]
    assert "7654321" not in str(refused.value.errors)
