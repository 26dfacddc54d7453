"""Counting periods the way the statutes count them (民法第140条・第143条, applied to 公法上の期間 by
地方自治法 and 地方税法 alike), plus the calendar-year split every rate table needs.

Why a module of its own: "1月を経過する日" decides both the 延滞金 first-month rate (domain-rules §3.5) and the
還付加算金 起算日 for 誤納 (domain-rules-2 §4, 地方税法第17条の4第1項第4号), and the 時効 end (法第160条) is
the same computation in years; one tested function serves all three.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

__all__ = ["DAY", "last_day_of_month", "period_end", "year_end_span"]

DAY = timedelta(days=1)


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_end(start: date, *, months: int = 0, years: int = 0) -> date:
    """The last day of a period of `months`/`years` whose first counted day is `start` (民法第143条).

    第2項: the period ends on the day before the 応当日 in the last month; when that month has no such day
    (start 1/31, one month: no 2/31), it ends on that month's last day. A period starting on the 1st ends on
    the last day of a month (第1項, 暦に従う), which the same arithmetic gives: 8/1 + 1 month → 9/1 − 1 = 8/31.
    Examples (domain-rules §3.5): 納期限 7/31 → start 8/1 → 8/31; 納期限 2/28 (平年) → start 3/1 → 3/31.
    """
    total = start.month - 1 + months + 12 * years
    year, month = start.year + total // 12, total % 12 + 1
    if start.day == 1:
        return date(year, month, 1) - DAY
    if start.day > calendar.monthrange(year, month)[1]:
        return last_day_of_month(year, month)  # no 応当日 in the last month
    return date(year, month, start.day) - DAY


def year_end_span(start: date, end: date) -> Iterator[tuple[date, date]]:
    """[start, end] cut at each 12/31: rates are set per calendar year (domain-rules §3.5, §3.6)."""
    while start <= end:
        stop = min(end, date(start.year, 12, 31))
        yield start, stop
        start = stop + DAY

