"""特別徴収 (pension deduction): who is a target, and what happens when a deduction fails.

法第107条・第110条 (applying 介護保険法第134条〜) and 令; domain-rules.md §3.2, domain-rules-2.md §2:
- a target receives a pension of 年額18万円以上 from which 介護保険料 is deducted, and 介護保険料 + 後期保険料 do
  not exceed half of it; otherwise 後期 goes to 普通徴収;
- deductions in the pension months 4, 6, 8 (仮徴収) and 10, 12, 2 (本徴収);
- when the pension insurer cannot deduct (death, loss of the pension, a 差止 …), the deduction stops for the
  rest of the year and those 期 are collected by 普通徴収 (能美市 「一時的に普通徴収」; 福生市) with new 納期
  in the city's 普通徴収 months (熊本市 7月〜翌3月), the first 期 taking the remainder (domain-rules-2 §1).
"""

from __future__ import annotations

from datetime import date, timedelta

from functions.collection.rules.days import next_open_day
from functions.collection.rules.periods import last_day_of_month
from functions.collection.rules.policy import OrdinaryCalendar, policy

__all__ = ["DEDUCTION_MONTHS", "PENSION_MINIMUM", "is_deduction_target", "ordinary_due_dates", "reschedule"]

PENSION_MINIMUM = 180_000  # 年額18万円以上 (§3.2)
DEDUCTION_MONTHS = (4, 6, 8, 10, 12, 2)


def is_deduction_target(pension_annual: int, kaigo_annual: int, kouki_annual: int) -> bool:
    """§3.2: pension ≥ 180,000 and 介護 + 後期 ≤ half of the pension (an equal half still qualifies)."""
    return pension_annual >= PENSION_MINIMUM and 2 * (kaigo_annual + kouki_annual) <= pension_annual


def ordinary_due_dates(fiscal_year: int, calendar: OrdinaryCalendar | None = None) -> list[date]:
    """The 普通徴収 納期限 of a 年度: the last day of each month (12月: `december_day`), moved to an open day."""
    calendar = calendar or policy().ordinary
    out = []
    for month in calendar.months:
        year = fiscal_year if month >= 4 else fiscal_year + 1
        last = last_day_of_month(year, month)
        day = last.replace(day=min(calendar.december_day, last.day)) if month == 12 else last
        out.append(next_open_day(day))
    return out


def reschedule(amount: int, notified_on: date, fiscal_year: int,
               calendar: OrdinaryCalendar | None = None) -> list[tuple[date, int]]:
    """New 普通徴収 期 for `amount` moved off the pension: the year's remaining 納期 at least `notice_days` after the
    notice, in `unit` yen with the remainder on the first; if none remain, one 納期 at the end of the month after
    next."""
    calendar = calendar or policy().ordinary
    earliest = notified_on + timedelta(days=calendar.notice_days)
    dates = [d for d in ordinary_due_dates(fiscal_year, calendar) if d >= earliest]
    if not dates:
        month_after_next = (notified_on.replace(day=1) + timedelta(days=62)).replace(day=1)
        dates = [next_open_day(last_day_of_month(month_after_next.year, month_after_next.month))]
    share = amount // len(dates) // calendar.unit * calendar.unit
    first = amount - share * (len(dates) - 1)
    return [(d, first if i == 0 else share) for i, d in enumerate(dates)]
