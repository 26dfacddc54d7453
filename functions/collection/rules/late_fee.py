"""延滞金 on one 期's premium (domain-rules.md §3.5).

Basis: 地方自治法第231条の3第2項 (延滞金 by 条例) and the city's 後期高齢者医療条例 with its 附則 特例, which mirror
地方税法 (本則 年14.6%, first month 年7.3%) and 地方税法附則第3条の2 (特例基準割合 per calendar year). The
computation follows 地方税 practice as the sources describe it (甲斐市 後期, 袋井市, 大津市; §3.5):

- no 延滞金 when the 期's premium is under 2,000円;
- the base is the unpaid principal with 1,000円未満切捨て;
- from the day after the 納期限 to the payment day, the first-month rate until 「1月を経過する日」 (民法第143条,
  `periods.period_end`: 納期限 7/31 → 8/31), the later rate after it; rates per calendar year, split at 12/31;
- base × rate × days ÷ 365, also in leap years [P: 地方税 practice];
- the exact sum of all periods, then 100円未満切捨て; a total under 1,000円 is 0;
- a partial payment reduces the principal from the day after its payment day: the paid part bears 延滞金
  through its own payment day, as 地方税 counts 「納付の日まで」 [P];
- 減免 by decision (the 条例's 減免 clause; 岩見沢市・福山市 規則 pattern) is subtracted from the determined amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from functions.collection.rules.interest import RatedPeriod, accrue, base_of, decimal_text, determine
from functions.collection.rules.periods import DAY, period_end, year_end_span
from functions.collection.rules.rates import RATES, RateTable
from shared.domain.errors import Invalid

__all__ = ["MIN_PRINCIPAL", "LateFee", "Payment", "late_fee"]

MIN_PRINCIPAL = 2_000  # 期別保険料 under this: no 延滞金


@dataclass(frozen=True)
class Payment:
    """A partial payment: `amount` yen paid on `on`."""

    on: date
    amount: int


@dataclass(frozen=True)
class LateFee:
    late_fee: int  # yen, after rounding, the 1,000円 rule and any 減免
    periods: tuple[RatedPeriod, ...]
    before_rounding: Fraction
    remitted: int = 0
    note: str | None = None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"late_fee": self.late_fee, "periods": [p.as_json() for p in self.periods],
                                  "total_before_rounding": decimal_text(self.before_rounding)}
        if self.remitted:
            out["remitted"] = self.remitted
        if self.note:
            out["note"] = self.note
        return out


def _check(principal: int, due: date, paid: date, payments: Sequence[Payment], remission: int) -> None:
    if principal <= 0:
        raise Invalid("the principal is a positive amount of yen", code="invalid-principal")
    if paid < due:
        raise Invalid("the payment day is before the 納期限", code="paid-before-due")
    for payment in payments:
        if payment.amount <= 0:
            raise Invalid("a partial payment is a positive amount of yen", code="invalid-payment")
        if payment.on > paid:
            raise Invalid(f"the partial payment of {payment.on.isoformat()} is after the payment day",
                          code="payment-after-paid")
    if sum(p.amount for p in payments) > principal:
        raise Invalid("the partial payments add up to more than the principal", code="payments-exceed-principal")
    if remission < 0:
        raise Invalid("a 減免 is a positive amount of yen", code="invalid-remission")


def late_fee(principal: int, due: date, paid: date, payments: Sequence[Payment] = (), *,
             remission: int = 0, rates: RateTable = RATES) -> LateFee:
    """The 延滞金 on `principal` (one 期's premium, yen) with 納期限 `due`, the rest paid on `paid`."""
    _check(principal, due, paid, payments, remission)
    if principal < MIN_PRINCIPAL:
        return LateFee(0, (), Fraction(0), note="the premium of the 期 is under 2,000円: no 延滞金")
    start = due + DAY
    if paid < start:
        return LateFee(0, (), Fraction(0), note="paid by the 納期限")
    first_month_end = period_end(start, months=1)
    # The base changes the day after each payment; the rate after the first month and on every 1/1.
    cuts = {first_month_end + DAY} | {p.on + DAY for p in payments}
    periods: list[RatedPeriod] = []
    for span_start, span_end in _split(start, paid, cuts):
        base = base_of(principal - sum(p.amount for p in payments if p.on < span_start))
        if base <= 0:
            continue
        year = rates.for_year(span_start.year)
        rate = year.late_fee_first_month if span_start <= first_month_end else year.late_fee_after
        periods.append(accrue(base, span_start, span_end, rate))
    total = sum((p.amount for p in periods), Fraction(0))
    determined = determine(total)
    if determined == 0:
        return LateFee(0, tuple(periods), total, note="under 1,000円: no 延滞金" if periods else None)
    remitted = min(remission, determined)
    return LateFee(determined - remitted, tuple(periods), total, remitted=remitted)


def _split(start: date, end: date, cuts: set[date]) -> list[tuple[date, date]]:
    """[start, end] cut before each day in `cuts` and at every 12/31."""
    spans = []
    for year_start, year_end in year_end_span(start, end):
        for point in [*sorted(c for c in cuts if year_start < c <= year_end), year_end + DAY]:
            spans.append((year_start, point - DAY))
            year_start = point
    return spans
