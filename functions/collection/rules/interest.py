"""What 延滞金 and 還付加算金 share: a rate accrued on a base day by day, and the rounding of the result.

Both follow 地方税法's pattern (第20条の4の2 for the rounding of 延滞金 and 加算金; domain-rules.md §3.5, §3.6):
the base is cut to whole 1,000円, the amount is base × rate × days ÷ 365 (also in leap years), the sum is cut to
whole 100円 and a sum under 1,000円 is nothing. Amounts are exact fractions until that final step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["DAYS_IN_YEAR", "RatedPeriod", "accrue", "base_of", "decimal_text", "determine", "percent_text"]

DAYS_IN_YEAR = 365
BASE_UNIT = 1_000  # 1,000円未満切捨て of the base
RESULT_UNIT = 100  # 100円未満切捨て of the result
MIN_RESULT = 1_000  # a result under 1,000円 is 0


def base_of(principal: int) -> int:
    return principal // BASE_UNIT * BASE_UNIT


def determine(total: Fraction) -> int:
    """The exact sum of all periods → yen: 100円未満切捨て, and 0 when under 1,000円."""
    amount = int(total) // RESULT_UNIT * RESULT_UNIT
    return amount if amount >= MIN_RESULT else 0


def decimal_text(value: Fraction, places: int = 6) -> str:
    """An exact amount shown to `places` decimals (half up) for people; totals use the exact fraction."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent_text(rate: Decimal) -> str:
    """A rate as the 条例 and the tables write it: "2.4", "14.6"."""
    return format(rate.normalize(), "f")


@dataclass(frozen=True)
class RatedPeriod:
    start: date
    end: date
    base: int  # yen, already cut to 1,000円
    rate: Decimal  # % per year
    amount: Fraction  # base × rate × days / 365, exact

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_json(self) -> dict[str, object]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "days": self.days, "base": self.base,
                "rate": percent_text(self.rate), "amount": decimal_text(self.amount)}


def accrue(base: int, start: date, end: date, rate: Decimal) -> RatedPeriod:
    days = (end - start).days + 1
    return RatedPeriod(start, end, base, rate, Fraction(base) * Fraction(rate) / 100 * days / DAYS_IN_YEAR)
