"""期割 and 更正 to the yen: hand-computed splits, the 特別徴収 tests, and business-day 納期限.

Every expected amount is worked out in the comment beside it. Defaults of the data: 100円 units with the
remainder in the first 期 (普通徴収 and 本徴収); 普徴 due at month end (12月 25日), 特徴 on the 15th.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from functions.assessment.rules.business_days import (
    BeyondCalendar,
    is_business_day,
    next_business_day,
    previous_business_day,
)
from functions.assessment.rules.instalments import CANCELLED, Pension, Schedule, corrected_schedule, initial_schedule

JULY = date(2025, 7, 10)  # the 本算定 determination
PENSION = Pension(annual=1_800_000, kaigo_deducted=True, kaigo_annual=80_000, previous_february=10_000)


def amounts(schedule: Schedule) -> dict[str, int]:
    return {p.key: p.amount for p in schedule.periods if p.status != CANCELLED}


def paid_until(schedule: Schedule, day: date) -> Schedule:
    return replace(schedule, periods=[replace(p, paid=p.amount) if p.due_date < day else p
                                      for p in schedule.periods])


def test_ordinary_collection_in_nine_periods_with_the_remainder_first() -> None:
    # 58,600 / 9 = 6,511 → 6,500 × 8 = 52,000; 第1期 58,600 − 52,000 = 6,600
    s = initial_schedule(2025, 58_600, as_of=JULY)
    assert amounts(s) == {"N07": 6_600, "N08": 6_500, "N09": 6_500, "N10": 6_500, "N11": 6_500, "N12": 6_500,
                          "N01": 6_500, "N02": 6_500, "N03": 6_500}
    assert [p.number for p in s.periods] == list(range(1, 10)) and s.method == "ordinary"
    # month ends moved to the next business day: 8/31 Sun → 9/1, 11/30 Sun → 12/1, 12月 25日,
    # 1/31 Sat → 2/2, 2/28 Sat → 3/2
    assert [p.due_date.isoformat() for p in s.periods] == [
        "2025-07-31", "2025-09-01", "2025-09-30", "2025-10-31", "2025-12-01", "2025-12-25", "2026-02-02",
        "2026-03-02", "2026-03-31"]
    assert "ordinary_due_day" in s.provisional_figures  # the 12月 day and month end are [U]


def test_special_collection_provisional_then_main_with_the_remainder_in_october() -> None:
    # 仮徴収 3 × 10,000 (last February); 本徴収 (98,000 − 30,000) / 3 = 22,666 → 22,600; 10月 68,000 − 45,200
    s = initial_schedule(2025, 98_000, as_of=JULY, pension=PENSION)
    assert amounts(s) == {"T04": 10_000, "T06": 10_000, "T08": 10_000, "T10": 22_800, "T12": 22_600, "T02": 22_600}
    # pension days: the 15th, or the weekday before: 6/15 Sun → 6/13, 2/15 Sun → 2/13
    assert [p.due_date.isoformat() for p in s.periods] == [
        "2025-04-15", "2025-06-13", "2025-08-15", "2025-10-15", "2025-12-15", "2026-02-13"]
    assert s.method == "special"


def test_half_of_the_pension_is_allowed_and_one_yen_more_is_not() -> None:
    # pension 200,000, 介護 40,000: 60,000 + 40,000 = 100,000 = ½ → 特別徴収 (仮 3 × 5,000; 本 45,000 / 3)
    pension = Pension(annual=200_000, kaigo_deducted=True, kaigo_annual=40_000, previous_february=5_000)
    assert initial_schedule(2025, 60_000, as_of=JULY, pension=pension).method == "special"
    # 60,100 + 40,000 > 100,000 → 仮徴収 stays (15,000), the rest 45,100 by 普徴 in 9 期:
    # 45,100 / 9 = 5,011 → 5,000 × 8 = 40,000; 第1期 5,100
    over = initial_schedule(2025, 60_100, as_of=JULY, pension=pension)
    assert over.method == "ordinary"
    assert amounts(over) == {"T04": 5_000, "T06": 5_000, "T08": 5_000, "N07": 5_100,
                             **dict.fromkeys(("N08", "N09", "N10", "N11", "N12", "N01", "N02", "N03"), 5000)}


def test_a_pension_under_18_man_or_without_kaigo_deduction_is_not_deducted() -> None:
    # 介護 60,000 + 後期 20,000 = 80,000 ≤ 90,000 (½ of 18万): only the 18万 line decides
    at_line = replace(PENSION, annual=180_000, kaigo_annual=60_000)
    assert initial_schedule(2025, 20_000, as_of=JULY, pension=at_line).method == "special"
    below = replace(at_line, annual=179_999)
    assert initial_schedule(2025, 20_000, as_of=JULY, pension=below).method == "ordinary"
    assert initial_schedule(2025, 20_000, as_of=JULY, pension=replace(at_line, kaigo_deducted=False)).method == \
        "ordinary"


def test_april_start_takes_a_sixth_of_last_years_premium() -> None:
    # 98,000 / 6 = 16,333 → 16,300 × 3 = 48,900; 本徴収 (110,000 − 48,900) = 61,100 / 3 = 20,366 → 20,300;
    # 10月 61,100 − 40,600 = 20,500
    pension = replace(PENSION, previous_february=None, april_start=True)
    s = initial_schedule(2025, 110_000, as_of=JULY, pension=pension, previous_year_premium=98_000)
    assert amounts(s) == {"T04": 16_300, "T06": 16_300, "T08": 16_300, "T10": 20_500, "T12": 20_300, "T02": 20_300}


def test_without_a_february_amount_or_april_start_the_year_is_ordinary() -> None:
    pension = replace(PENSION, previous_february=None)
    assert initial_schedule(2025, 98_000, as_of=JULY, pension=pension).method == "ordinary"


def test_a_new_entrant_starts_on_ordinary_collection_the_month_after_joining() -> None:
    # insured 2025-10-15, 29,300 (test_premium): 期 November–March, 5: 29,300 / 5 = 5,860 → 5,800 × 4 = 23,200;
    # 第5期 (November) 6,100 — even with a pension that could be deducted
    s = initial_schedule(2025, 29_300, as_of=date(2025, 10, 20), acquired_on=date(2025, 10, 15), pension=PENSION)
    assert amounts(s) == {"N11": 6_100, "N12": 5_800, "N01": 5_800, "N02": 5_800, "N03": 5_800}
    assert s.periods[0].number == 5


def test_an_account_transfer_election_stops_the_deductions_from_its_date() -> None:
    # elected from 2025-06-01: April's 10,000 stays; 88,000 over 9 期: 9,777 → 9,700 × 8 = 77,600; 第1期 10,400
    s = initial_schedule(2025, 98_000, as_of=JULY, pension=PENSION, ordinary_from=date(2025, 6, 1))
    assert amounts(s) == {"T04": 10_000, "N07": 10_400,
                          **dict.fromkeys(("N08", "N09", "N10", "N11", "N12", "N01", "N02", "N03"), 9700)}


def test_a_late_determination_skips_the_periods_already_due() -> None:
    # determined 8/5: July's 期 is past; 8 期: 58,600 / 8 = 7,325 → 7,300 × 7 = 51,100; first 7,500
    s = initial_schedule(2025, 58_600, as_of=date(2025, 8, 5))
    assert list(amounts(s).values()) == [7_500] + [7_300] * 7


# ---- 更正 ------------------------------------------------------------------------------------------------------
def test_an_increase_is_spread_over_the_months_after_the_correction() -> None:
    # 58,600 → 98,000 on 9/10; N07–N09 (due up to September) keep 6,600 + 6,500 + 6,500 = 19,600;
    # 78,400 over October–March: 13,066 → 13,000 × 5 = 65,000; N10 13,400
    before = paid_until(initial_schedule(2025, 58_600, as_of=JULY), date(2025, 9, 10))
    after = corrected_schedule(before, 98_000, corrected_on=date(2025, 9, 10))
    assert amounts(after) == {"N07": 6_600, "N08": 6_500, "N09": 6_500, "N10": 13_400, "N11": 13_000,
                              "N12": 13_000, "N01": 13_000, "N02": 13_000, "N03": 13_000}
    assert after.overpayment == 0


def test_a_decrease_lowers_the_unpaid_kept_periods_latest_first() -> None:
    # 58,600 with only N07 paid (6,600); 更正 9/10 to 17,400: kept N07 6,600, N08 6,500, N09 6,500 = 19,600;
    # 2,200 too much: N09 (latest, unpaid) 6,500 → 4,300; October–March void. 6,600 + 6,500 + 4,300 = 17,400
    before = paid_until(initial_schedule(2025, 58_600, as_of=JULY), date(2025, 8, 1))
    after = corrected_schedule(before, 17_400, corrected_on=date(2025, 9, 10))
    assert amounts(after) == {"N07": 6_600, "N08": 6_500, "N09": 4_300}
    assert [p.key for p in after.periods if p.status == CANCELLED] == ["N10", "N11", "N12", "N01", "N02", "N03"]
    assert after.overpayment == 0


def test_a_decrease_below_what_was_deducted_leaves_an_overpayment() -> None:
    # 特徴 98,000, deductions of April–August paid (30,000); 更正 9/10 to 20,000. Kept: T04–T08 and October's
    # (the 停止 cannot reach it) 22,800 = 52,800; 32,800 too much: T10 22,800 → 0 (unpaid first; nothing due,
    # nothing paid: cancelled), then paid T08 10,000 → 0. December and February cancelled.
    # Paid 30,000 − 20,000 = 過誤納 10,000
    before = paid_until(initial_schedule(2025, 98_000, as_of=JULY, pension=PENSION), date(2025, 9, 10))
    after = corrected_schedule(before, 20_000, corrected_on=date(2025, 9, 10))
    assert amounts(after) == {"T04": 10_000, "T06": 10_000, "T08": 0}  # T08 stays: 10,000 was posted to it
    assert [p.key for p in after.periods if p.status == CANCELLED] == ["T10", "T12", "T02"]
    assert (after.overpayment, after.method) == (10_000, "ordinary")


def test_a_special_collection_increase_moves_the_rest_to_ordinary() -> None:
    # 98,000 → 110,000 on 11/5: kept T04–T10 and December's deduction (the next after the 更正):
    # 30,000 + 22,800 + 22,600 = 75,400; February cancelled;
    # 34,600 over 普徴 December–March (4): 8,650 → 8,600 × 3 = 25,800; N12 8,800
    before = paid_until(initial_schedule(2025, 98_000, as_of=JULY, pension=PENSION), date(2025, 11, 5))
    after = corrected_schedule(before, 110_000, corrected_on=date(2025, 11, 5))
    assert amounts(after) == {"T04": 10_000, "T06": 10_000, "T08": 10_000, "T10": 22_800, "T12": 22_600,
                              "N12": 8_800, "N01": 8_600, "N02": 8_600, "N03": 8_600}
    assert [p.key for p in after.periods if p.status == CANCELLED] == ["T02"]


def test_a_correction_with_no_month_left_gets_an_extra_period() -> None:
    # 58,600 → 70,000 on 2026-03-10: all nine 期 are due by March and kept; 11,400 in a 随時期 due at the end of
    # April 2026 (4/30, a Thursday)
    after = corrected_schedule(initial_schedule(2025, 58_600, as_of=JULY), 70_000, corrected_on=date(2026, 3, 10))
    extra = [p for p in after.periods if p.stage == "extra"]
    assert [(p.key, p.due_date.isoformat(), p.amount) for p in extra] == [("Z202604", "2026-04-30", 11_400)]


# ---- invariants and the calendar ------------------------------------------------------------------------------
CASES = [(year, annual, pension) for year in (2024, 2025, 2026) for annual in (300, 17_400, 58_601, 799_999)
         for pension in (None, PENSION)]


@pytest.mark.parametrize(("year", "annual", "pension"), CASES)
def test_every_schedule_adds_up_and_falls_on_business_days(year: int, annual: int, pension: Pension | None) -> None:
    s = initial_schedule(year, annual, as_of=date(year, 7, 1), pension=pension)
    corrected = corrected_schedule(paid_until(s, date(year, 10, 1)), annual // 2, corrected_on=date(year, 10, 1))
    for schedule, total in ((s, annual), (corrected, annual // 2)):
        assert sum(p.amount for p in schedule.periods if p.status != CANCELLED) == total
        for p in schedule.periods:
            closed = p.due_date.weekday() >= 5 or (p.due_date.month, p.due_date.day) in (
                (12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))
            assert not closed and is_business_day(p.due_date), p


def test_business_days_skip_weekends_holidays_and_the_year_end() -> None:
    assert next_business_day(date(2026, 5, 3)) == date(2026, 5, 7)  # Sun + 5/4, 5/5, 5/6 (振替休日)
    assert next_business_day(date(2026, 9, 19)) == date(2026, 9, 24)  # Sat, Sun, 敬老の日, 国民の休日, 秋分の日
    assert next_business_day(date(2025, 12, 27)) == date(2026, 1, 5)  # Sat, Sun, then 12/29–1/3
    assert next_business_day(date(2025, 12, 26)) == date(2025, 12, 26)  # a Friday
    assert previous_business_day(date(2025, 6, 15)) == date(2025, 6, 13)
    assert previous_business_day(date(2024, 9, 23)) == date(2024, 9, 20)  # 振替休日 Monday, then the weekend


def test_a_date_past_the_holiday_data_is_refused() -> None:
    with pytest.raises(BeyondCalendar):
        next_business_day(date(2028, 3, 31) + timedelta(days=1))


def test_the_levy_year_of_a_period_is_the_year_its_amount_was_set() -> None:
    # 調定年度: set in FY2025 by the 本算定; a 過年度 更正 on 2026-05-12 adds 11,400 in a 随時期 levied in FY2026
    # and leaves the nine 期 of FY2025 as they were
    first = initial_schedule(2025, 58_600, as_of=JULY)
    assert {p.levy_year for p in first.periods} == {2025}
    assert {p.levy_year for p in initial_schedule(2025, 98_000, as_of=JULY, pension=PENSION).periods} == {2025}
    later = corrected_schedule(first, 70_000, corrected_on=date(2026, 5, 12))
    assert [(p.key, p.levy_year, p.amount) for p in later.periods if p.levy_year == 2026] == [("Z202606", 2026, 11_400)]


def test_unpaid_amounts_are_lowered_before_paid_ones() -> None:
    # 58,600 with only August's 6,500 paid; 更正 9/10 to 12,000: kept N07 6,600, N08 6,500, N09 6,500 = 19,600;
    # 7,600 too much, unpaid first and latest first: N09 6,500 → 0 (cancelled), N07 6,600 → 5,500; the paid N08
    # stays 6,500 (taking it from N08 instead would leave 1,100 paid above its 期)
    first = initial_schedule(2025, 58_600, as_of=JULY)
    paid = replace(first, periods=[replace(p, paid=p.amount) if p.key == "N08" else p for p in first.periods])
    after = corrected_schedule(paid, 12_000, corrected_on=date(2025, 9, 10))
    assert amounts(after) == {"N07": 5_500, "N08": 6_500}
    assert after.overpayment == 0


def test_acquiring_on_1_april_is_a_new_entrant_on_ordinary_collection() -> None:
    # 取得 2025-04-01 is within the 年度: a new entrant, so 普通徴収 from July even with a pension that passes the
    # tests and a February amount on file (which would otherwise give 仮徴収 3 × 10,000):
    # 58,600 / 9 = 6,511 → 6,500 × 8 = 52,000; 第1期 6,600
    s = initial_schedule(2025, 58_600, as_of=JULY, acquired_on=date(2025, 4, 1), pension=PENSION)
    assert s.method == "ordinary"
    assert amounts(s) == {"N07": 6_600, "N08": 6_500, "N09": 6_500, "N10": 6_500, "N11": 6_500, "N12": 6_500,
                          "N01": 6_500, "N02": 6_500, "N03": 6_500}
