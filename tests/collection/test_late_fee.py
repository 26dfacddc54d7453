"""延滞金 (domain-rules.md §3.5): the two worked examples of §3.5 and hand-computed cases, each with its
arithmetic written beside it. Rates: 2.4% / 8.7% for 2022–2025, 2.8% / 9.1% for 2026 (data/rates.json).

Every case is chosen so that flipping one rule changes its answer: the 2,000円 threshold, 1,000円 base cut,
100円 result cut (切捨て, not 四捨五入), the 1,000円 result threshold (≥ keeps 1,000), 365 days in a leap year, the
one-month boundary (民法143条), the 12/31 split and the day a partial payment starts to count.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from functions.collection.rules.late_fee import Payment, late_fee
from functions.collection.rules.periods import period_end
from functions.collection.rules.rates import RateNotRecorded
from shared.domain.errors import Invalid

D = date.fromisoformat


def periods(result) -> list[tuple[str, str, int, int, str]]:
    return [(p.start.isoformat(), p.end.isoformat(), p.days, p.base, str(p.rate)) for p in result.periods]


def test_worked_example_of_section_3_5() -> None:
    """98,000, 納期限 2025-07-31, paid 2025-12-26:
    8/1–8/31   31 d × 2.4%: 98,000 × 0.024 × 31 / 365 =  72,912 / 365 =   199.758904
    9/1–12/26 117 d × 8.7%: 98,000 × 0.087 × 117 / 365 = 997,542 / 365 = 2,732.991781
    total 1,070,454 / 365 = 2,932.750685 → 100円未満切捨て → 2,900."""
    result = late_fee(98_000, D("2025-07-31"), D("2025-12-26"))
    assert result.late_fee == 2_900
    assert periods(result) == [("2025-08-01", "2025-08-31", 31, 98_000, "2.4"),
                               ("2025-09-01", "2025-12-26", 117, 98_000, "8.7")]
    assert result.as_json()["periods"][0]["amount"] == "199.758904"
    assert result.as_json()["total_before_rounding"] == "2932.750685"


def test_second_example_of_section_3_5_is_under_1000_and_so_nothing() -> None:
    """12,345 → base 12,000 (1,000円未満切捨て), 納期限 2025-07-31, paid 2025-10-15:
    8/1–8/31  31 d × 2.4%: 12,000 × 0.024 × 31 / 365 =  8,928 / 365 =  24.460274
    9/1–10/15 45 d × 8.7%: 12,000 × 0.087 × 45 / 365 = 46,980 / 365 = 128.712329
    total 153.17 → 100 → under 1,000 → 0."""
    result = late_fee(12_345, D("2025-07-31"), D("2025-10-15"))
    assert result.late_fee == 0
    assert result.as_json()["total_before_rounding"] == "153.172603"
    assert [p.base for p in result.periods] == [12_000, 12_000]


def test_a_premium_under_2000_bears_none_and_2000_does() -> None:
    """1,999 → no periods at all; 2,000 → base 2,000: 8/1–8/31 2,000 × 0.024 × 31 / 365 = 1,488/365 = 4.08 → 0."""
    under = late_fee(1_999, D("2025-07-31"), D("2025-08-31"))
    assert (under.late_fee, under.periods) == (0, ())
    at = late_fee(2_000, D("2025-07-31"), D("2025-08-31"))
    assert periods(at) == [("2025-08-01", "2025-08-31", 31, 2_000, "2.4")]
    assert at.late_fee == 0


def test_the_base_is_cut_to_1000_and_the_result_to_100_not_rounded() -> None:
    """50,999 → base 50,000; 納期限 2025-07-31, paid 2025-12-26:
    8/1–8/31   31 d × 2.4%: 50,000 × 0.024 × 31 / 365  =  37,200 / 365 =   101.917808
    9/1–12/26 117 d × 8.7%: 50,000 × 0.087 × 117 / 365 = 508,950 / 365 = 1,394.383562
    total 1,496.30 → 1,400 (四捨五入 would give 1,500; an uncut base 50,999 would give 1,526 → 1,500)."""
    result = late_fee(50_999, D("2025-07-31"), D("2025-12-26"))
    assert result.late_fee == 1_400
    assert result.as_json()["total_before_rounding"] == "1496.301370"


@pytest.mark.parametrize(("paid", "expected"), [
    # 100,000, 納期限 2025-07-31. 8/1–8/31: 100,000 × 0.024 × 31 = 74,400 (/365 = 203.84).
    # paid 10/3: 9/1–10/3 33 d: 100,000 × 0.087 × 33 = 287,100; (74,400 + 287,100) / 365 = 990.41 → 900 → 0.
    ("2025-10-03", 0),
    # paid 10/4: 34 d: 295,800; (74,400 + 295,800) / 365 = 1,014.25 → 1,000, kept (under 1,000 only is 0).
    ("2025-10-04", 1_000),
])
def test_the_1000_yen_threshold(paid: str, expected: int) -> None:
    assert late_fee(100_000, D("2025-07-31"), D(paid)).late_fee == expected


def test_a_leap_year_still_counts_365_days() -> None:
    """38,000, 納期限 2024-07-31 (2024 is a leap year), paid 2024-12-22:
    8/1–8/31   31 d × 2.4%: 38,000 × 0.024 × 31  =  28,272
    9/1–12/22 113 d × 8.7%: 38,000 × 0.087 × 113 = 373,578
    401,850 / 365 = 1,100.96 → 1,100 (÷ 366 would be 1,097.95 → 1,000)."""
    assert late_fee(38_000, D("2024-07-31"), D("2024-12-22")).late_fee == 1_100


def test_the_first_month_ending_in_a_leap_february() -> None:
    """80,000, 納期限 2024-01-29 → from 1/30; no 2/30, so the first month ends 2/29 (民法143条2項 ただし書):
    1/30–2/29 31 d × 2.4%: 80,000 × 0.024 × 31 =  59,520
    3/1–4/30  61 d × 8.7%: 80,000 × 0.087 × 61 = 424,560
    484,080 / 365 = 1,326.25 → 1,300."""
    result = late_fee(80_000, D("2024-01-29"), D("2024-04-30"))
    assert periods(result) == [("2024-01-30", "2024-02-29", 31, 80_000, "2.4"),
                               ("2024-03-01", "2024-04-30", 61, 80_000, "8.7")]
    assert result.late_fee == 1_300


@pytest.mark.parametrize(("due", "first_month_end"), [
    ("2025-07-31", "2025-08-31"),  # §3.5: start 8/1 → the day before 9/1
    ("2025-02-28", "2025-03-31"),  # §3.5: 平年 2/28 → start 3/1 → 3/31
    ("2024-01-28", "2024-02-28"),  # start 1/29 → 応当日 2/29 exists in 2024 → 2/28
    ("2024-01-29", "2024-02-29"),  # start 1/30 → no 2/30 → month end 2/29
    ("2023-01-29", "2023-02-28"),  # start 1/30 → no 2/30 → month end 2/28 (平年)
    ("2025-10-30", "2025-11-30"),  # start 10/31 → no 11/31 → 11/30
    ("2025-09-14", "2025-10-14"),  # start 9/15 → the day before 10/15
])
def test_the_day_on_which_one_month_has_passed(due: str, first_month_end: str) -> None:
    assert period_end(D(due) + timedelta(days=1), months=1) == D(first_month_end)


def test_a_month_end_due_date_in_a_common_february() -> None:
    """70,000, 納期限 2025-02-28, paid 2025-06-30:
    3/1–3/31 31 d × 2.4%: 70,000 × 0.024 × 31 =  52,080
    4/1–6/30 91 d × 8.7%: 70,000 × 0.087 × 91 = 554,190
    606,270 / 365 = 1,661.01 → 1,600."""
    result = late_fee(70_000, D("2025-02-28"), D("2025-06-30"))
    assert periods(result) == [("2025-03-01", "2025-03-31", 31, 70_000, "2.4"),
                               ("2025-04-01", "2025-06-30", 91, 70_000, "8.7")]
    assert result.late_fee == 1_600


def test_a_delay_across_the_year_end_changes_rates_on_1_january() -> None:
    """200,000, 納期限 2025-11-30 → first month 12/1–12/31 (2025: 2.4%), then 2026's later rate 9.1%:
    12/1–12/31 31 d × 2.4%: 200,000 × 0.024 × 31 =   148,800
    1/1–3/31   90 d × 9.1%: 200,000 × 0.091 × 90 = 1,638,000
    1,786,800 / 365 = 4,895.34 → 4,800 (2025's 8.7% in 2026 would give 4,698 → 4,600)."""
    result = late_fee(200_000, D("2025-11-30"), D("2026-03-31"))
    assert periods(result) == [("2025-12-01", "2025-12-31", 31, 200_000, "2.4"),
                               ("2026-01-01", "2026-03-31", 90, 200_000, "9.1")]
    assert result.late_fee == 4_800


def test_a_first_month_that_straddles_the_year_end_is_split_at_12_31() -> None:
    """150,000, 納期限 2025-12-15 → from 12/16; the first month ends 1/15:
    12/16–12/31 16 d × 2.4% (2025): 150,000 × 0.024 × 16 =  57,600
    1/1–1/15    15 d × 2.8% (2026): 150,000 × 0.028 × 15 =  63,000
    1/16–2/20   36 d × 9.1% (2026): 150,000 × 0.091 × 36 = 491,400
    612,000 / 365 = 1,676.712329 → 1,600."""
    result = late_fee(150_000, D("2025-12-15"), D("2026-02-20"))
    assert periods(result) == [("2025-12-16", "2025-12-31", 16, 150_000, "2.4"),
                               ("2026-01-01", "2026-01-15", 15, 150_000, "2.8"),
                               ("2026-01-16", "2026-02-20", 36, 150_000, "9.1")]
    assert result.as_json()["total_before_rounding"] == "1676.712329"
    assert result.late_fee == 1_600


def test_a_month_end_due_date_whose_delay_runs_into_the_next_year() -> None:
    """90,000, 納期限 2025-10-30 → from 10/31, first month to 11/30:
    10/31–11/30 31 d × 2.4%: 90,000 × 0.024 × 31 =  66,960
    12/1–12/31  31 d × 8.7%: 90,000 × 0.087 × 31 = 242,730
    1/1–1/31    31 d × 9.1%: 90,000 × 0.091 × 31 = 253,890
    563,580 / 365 = 1,544.05 → 1,500."""
    assert late_fee(90_000, D("2025-10-30"), D("2026-01-31")).late_fee == 1_500


def test_a_partial_payment_reduces_the_base_from_the_next_day() -> None:
    """98,000, 納期限 2025-07-31; 50,000 paid 2025-09-30, the rest 2025-12-26:
    8/1–8/31   31 d × 2.4% on 98,000: 98,000 × 0.024 × 31 =  72,912
    9/1–9/30   30 d × 8.7% on 98,000: 98,000 × 0.087 × 30 = 255,780  (the paid part counts through 9/30)
    10/1–12/26 87 d × 8.7% on 48,000: 48,000 × 0.087 × 87 = 363,312
    692,004 / 365 = 1,895.90 → 1,800."""
    result = late_fee(98_000, D("2025-07-31"), D("2025-12-26"), [Payment(D("2025-09-30"), 50_000)])
    assert periods(result) == [("2025-08-01", "2025-08-31", 31, 98_000, "2.4"),
                               ("2025-09-01", "2025-09-30", 30, 98_000, "8.7"),
                               ("2025-10-01", "2025-12-26", 87, 48_000, "8.7")]
    assert result.late_fee == 1_800


def test_a_partial_payment_by_the_due_date_lowers_the_base_from_the_start() -> None:
    """60,000, 納期限 2025-07-31, 30,000 paid on 7/31; the rest 2026-03-31 → base 30,000 throughout:
    8/1–8/31    31 d × 2.4%: 30,000 × 0.024 × 31  =  22,320
    9/1–12/31  122 d × 8.7%: 30,000 × 0.087 × 122 = 318,420
    1/1–3/31    90 d × 9.1%: 30,000 × 0.091 × 90  = 245,700
    586,440 / 365 = 1,606.68 → 1,600."""
    result = late_fee(60_000, D("2025-07-31"), D("2026-03-31"), [Payment(D("2025-07-31"), 30_000)])
    assert [p.base for p in result.periods] == [30_000, 30_000, 30_000]
    assert result.late_fee == 1_600


def test_a_remaining_principal_under_1000_bears_nothing() -> None:
    """10,500, 納期限 2025-07-31, 10,000 paid 8/10 → from 8/11 the base is 500 → 0; only 8/1–8/10 counts:
    10,000 × 0.024 × 10 / 365 = 2,400 / 365 = 6.58 → 0."""
    result = late_fee(10_500, D("2025-07-31"), D("2026-07-31"), [Payment(D("2025-08-10"), 10_000)])
    assert periods(result) == [("2025-08-01", "2025-08-10", 10, 10_000, "2.4")]
    assert result.late_fee == 0


def test_the_day_after_the_first_month_takes_the_later_rate() -> None:
    """98,000, 納期限 7/31, paid 9/1: 8/1–8/31 at 2.4% and 9/1 alone at 8.7%."""
    result = late_fee(98_000, D("2025-07-31"), D("2025-09-01"))
    assert periods(result) == [("2025-08-01", "2025-08-31", 31, 98_000, "2.4"),
                               ("2025-09-01", "2025-09-01", 1, 98_000, "8.7")]


def test_paid_on_the_due_date_bears_nothing() -> None:
    assert late_fee(98_000, D("2025-07-31"), D("2025-07-31")).late_fee == 0


def test_remission_by_decision_is_taken_off_the_determined_amount() -> None:
    """The §3.5 example (2,900) with a 減免 of 1,000 → 1,900; a 減免 larger than the fee leaves 0."""
    assert late_fee(98_000, D("2025-07-31"), D("2025-12-26"), remission=1_000).late_fee == 1_900
    assert late_fee(98_000, D("2025-07-31"), D("2025-12-26"), remission=5_000).late_fee == 0


@pytest.mark.parametrize(("args", "code"), [
    ((0, "2025-07-31", "2025-12-26", []), "invalid-principal"),
    ((98_000, "2025-07-31", "2025-07-30", []), "paid-before-due"),
    ((98_000, "2025-07-31", "2025-12-26", [("2025-12-27", 1_000)]), "payment-after-paid"),
    ((98_000, "2025-07-31", "2025-12-26", [("2025-09-01", 60_000), ("2025-10-01", 40_000)]),
     "payments-exceed-principal"),
    ((98_000, "2025-07-31", "2025-12-26", [("2025-09-01", 0)]), "invalid-payment"),
])
def test_bad_input_is_refused_with_a_code(args, code: str) -> None:
    principal, due, paid, payments = args
    with pytest.raises(Invalid) as refused:
        late_fee(principal, D(due), D(paid), [Payment(D(d), a) for d, a in payments])
    assert refused.value.code == code


def test_a_year_without_a_recorded_rate_is_refused_not_guessed() -> None:
    with pytest.raises(RateNotRecorded):
        late_fee(98_000, D("2026-11-30"), D("2027-02-01"))
    with pytest.raises(RateNotRecorded):
        late_fee(98_000, D("2021-07-31"), D("2021-12-01"))
