"""還付加算金 (domain-rules.md §3.6, domain-rules-2.md §4), hand-computed: 0.9% for 2022–2025, 1.3% for 2026."""

from __future__ import annotations

from datetime import date

import pytest

from functions.collection.rules.refund_interest import Cause, RefundPart, interest_start, refund_interest
from shared.domain.errors import Invalid

D = date.fromisoformat


@pytest.mark.parametrize(("cause", "paid", "due", "start"), [
    # 第1号 (更正 decrease): the day after the payment ...
    (Cause.CORRECTION, "2024-08-20", "2024-07-31", "2024-08-21"),
    # ... or after the 納期限 when paid before it
    (Cause.CORRECTION, "2025-07-10", "2025-07-31", "2025-08-01"),
    (Cause.PENSION_EXCESS, "2025-10-15", None, "2025-10-16"),
    # 第4号 (誤納・過納): counted from the day after payment, one month passes, and the day after that:
    # paid 6/10 → from 6/11 → 1月を経過する日 7/10 → 起算日 7/11
    (Cause.DUPLICATE, "2025-06-10", None, "2025-07-11"),
    # paid 1/30 → from 1/31 → no 2/31: 2/28 → 起算日 3/1
    (Cause.OVERPAYMENT, "2025-01-30", None, "2025-03-01"),
])
def test_the_start_depends_on_why_the_money_is_refundable(cause, paid, due, start) -> None:
    assert interest_start(cause, D(paid), D(due) if due else None) == D(start)


def test_a_correction_refund_over_a_year_and_more() -> None:
    """300,000 paid on its 納期限 2024-07-31, decrease decided → refund decided 2025-09-30; from 2024-08-01:
    2024-08-01–12-31 153 d × 0.9%: 300,000 × 0.009 × 153 = 413,100
    2025-01-01–09-30 273 d × 0.9%: 300,000 × 0.009 × 273 = 737,100
    1,150,200 / 365 = 3,151.23 → 3,100."""
    result = refund_interest([RefundPart(300_000, D("2024-08-01"))], D("2025-09-30"))
    assert [(p.days, p.base) for p in result.periods] == [(153, 300_000), (273, 300_000)]
    assert result.interest == 3_100


def test_the_rate_changes_on_1_january() -> None:
    """250,999 → base 250,000, from 2025-11-01, decided 2026-06-30:
    2025-11-01–12-31  61 d × 0.9%: 250,000 × 0.009 × 61  = 137,250
    2026-01-01–06-30 181 d × 1.3%: 250,000 × 0.013 × 181 = 588,250
    725,500 / 365 = 1,987.67 → 1,900 (四捨五入 would give 2,000)."""
    result = refund_interest([RefundPart(250_999, D("2025-11-01"))], D("2026-06-30"))
    assert [(str(p.rate), p.days, p.base) for p in result.periods] == [("0.9", 61, 250_000), ("1.3", 181, 250_000)]
    assert result.interest == 1_900


def test_parts_refunded_together_are_summed_before_rounding() -> None:
    """Two 期 of 100,000 each from 2025-01-01 to 2025-12-31 (365 d): 100,000 × 0.009 × 365 / 365 = 900 each;
    each alone would be under 1,000 (→ 0); together 1,800 (下関市 2021)."""
    parts = [RefundPart(100_000, D("2025-01-01")), RefundPart(100_000, D("2025-01-01"))]
    assert refund_interest(parts, D("2025-12-31")).interest == 1_800
    assert refund_interest(parts[:1], D("2025-12-31")).interest == 0


def test_a_refund_under_2000_bears_nothing() -> None:
    assert refund_interest([RefundPart(1_999, D("2024-01-01"))], D("2025-12-31")).periods == ()
    assert refund_interest([RefundPart(2_000, D("2025-01-01"))], D("2025-12-31")).periods != ()


def test_a_decision_before_the_start_accrues_nothing() -> None:
    assert refund_interest([RefundPart(500_000, D("2025-07-11"))], D("2025-07-10")).interest == 0


def test_a_non_positive_part_is_refused() -> None:
    with pytest.raises(Invalid):
        refund_interest([RefundPart(0, D("2025-01-01"))], D("2025-12-31"))
