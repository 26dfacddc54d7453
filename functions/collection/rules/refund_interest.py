"""還付加算金 on a refund of overpaid premiums (domain-rules.md §3.6; domain-rules-2.md §4).

Basis: 還付 is done 「地方税の例により」 (地方自治法第231条の3第4項), so 地方税法第17条の4 applies:
- 起算日 (§4; 広島市 報道 2016-04-15 and the cities that corrected the same error): for a refund that follows a
  decrease of a finally assessed premium (死亡・転出・所得更正 …) only 第1項第1号 applies to 保険料: the day after
  the payment (after the 納期限 when paid before it); for a 過納・誤納 by the payer (a double payment, more than
  was due) 第4号: the day after 「納付の日の翌日から起算して1月を経過する日」 (中野区 practice) [P: 4号 mapping];
- 終期: the day the refund (or the 充当) is decided (17条の4第1項 text, §4);
- rate: 還付加算金特例基準割合 per calendar year (0.9% R4–R7, 1.3% R8; `data/rates.json`), split at 12/31;
- nothing when the refund is under 2,000円; each base 1,000円未満切捨て; the sum of everything refunded together
  (下関市 2021) 100円未満切捨て; under 1,000円 → 0 (中野区); 365-day year as for 延滞金 (`interest.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from fractions import Fraction

from functions.collection.rules.interest import RatedPeriod, accrue, base_of, decimal_text, determine
from functions.collection.rules.periods import DAY, period_end, year_end_span
from functions.collection.rules.rates import RATES, RateTable
from shared.domain.errors import Invalid

__all__ = ["MIN_REFUND", "Cause", "RefundInterest", "RefundPart", "interest_start", "refund_interest"]

MIN_REFUND = 2_000


class Cause(str, Enum):
    """Why money is refundable; it decides the 起算日."""

    CORRECTION = "correction"  # 更正 (decrease) of the assessed premium: 第1号
    PENSION_EXCESS = "pension-excess"  # 特別徴収 took more than the premium after a decrease: 第1号
    OVERPAYMENT = "over-payment"  # paid more than the 期 asked: 過納, 第4号
    DUPLICATE = "duplicate"  # paid a 期 that was already paid: 誤納, 第4号


def interest_start(cause: Cause, paid_on: date, due: date | None = None) -> date:
    """The 起算日 of 還付加算金 (地方税法第17条の4第1項; the 号 per cause in the module note)."""
    if cause in (Cause.CORRECTION, Cause.PENSION_EXCESS):
        return max(paid_on, due or paid_on) + DAY
    return period_end(paid_on + DAY, months=1) + DAY


@dataclass(frozen=True)
class RefundPart:
    amount: int  # yen refunded (or offset) out of one payment
    start: date  # its 起算日


@dataclass(frozen=True)
class RefundInterest:
    interest: int
    periods: tuple[RatedPeriod, ...]
    before_rounding: Fraction

    def as_json(self) -> dict[str, object]:
        return {"interest": self.interest, "periods": [p.as_json() for p in self.periods],
                "total_before_rounding": decimal_text(self.before_rounding)}


def refund_interest(parts: Sequence[RefundPart], until: date, rates: RateTable = RATES) -> RefundInterest:
    """還付加算金 on `parts`, refunded (or offset) together by a decision of `until`."""
    if any(p.amount <= 0 for p in parts):
        raise Invalid("a refunded amount is a positive number of yen", code="invalid-refund")
    if sum(p.amount for p in parts) < MIN_REFUND:
        return RefundInterest(0, (), Fraction(0))
    periods = [accrue(base_of(part.amount), start, end, rates.for_year(start.year).refund_interest)
               for part in parts if base_of(part.amount)
               for start, end in year_end_span(part.start, until)]
    total = sum((p.amount for p in periods), Fraction(0))
    return RefundInterest(determine(total), tuple(periods), total)
