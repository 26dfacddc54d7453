"""Business days of the city: the days a 納期限 may fall on (地方自治法第4条の2).

A 納期限 that falls on a 地方公共団体の休日 (Saturday, Sunday, a national holiday, 12月29日〜1月3日) moves to the
next day that is not one (地方自治法第4条の2第4項; domain-rules.md §3.3). Pension payment days move the other
way, to the preceding weekday. The holidays are data (`data/calendar.json`, with their source); a date past
the data is refused rather than guessed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from functions.assessment.rules.parameters import DATA, Provenance
from shared.domain.errors import Invalid

__all__ = ["BeyondCalendar", "is_business_day", "next_business_day", "previous_business_day"]

_WEEKDAYS = {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6}


class BeyondCalendar(Invalid):
    code = "beyond-calendar"
    title = "No holiday data for this date"


@cache
def _calendar() -> tuple[frozenset[int], frozenset[tuple[int, int]], frozenset[date], date, date, dict]:
    import json

    raw = json.loads((DATA / "calendar.json").read_text("utf-8"))
    weekly = frozenset(_WEEKDAYS[d] for d in raw["weekly_closed"]["days"])
    year_end = frozenset((int(d[:2]), int(d[3:])) for d in raw["year_end_closed"]["days"])
    holidays = frozenset(date.fromisoformat(d) for d in raw["holidays"]["dates"])
    first, last = (date.fromisoformat(d) for d in raw["holidays"]["covers"])
    return weekly, year_end, holidays, first, last, raw


def is_business_day(day: date, provenance: Provenance | None = None) -> bool:
    weekly, year_end, holidays, first, last, raw = _calendar()
    if not first <= day <= last:
        raise BeyondCalendar(f"the holiday data covers {first} to {last}; {day} is outside it "
                             "(add the year to functions/assessment/rules/data/calendar.json)")
    if provenance is not None:
        provenance.use("calendar.year_end_closed", raw["year_end_closed"])
        if day.isoformat() in raw["holidays"].get("provisional_dates", {}):
            provenance.provisional.add(f"calendar.holiday.{day.isoformat()}")
    return day.weekday() not in weekly and (day.month, day.day) not in year_end and day not in holidays


def next_business_day(day: date, provenance: Provenance | None = None) -> date:
    """`day` itself if the city is open, else the next day it is (地方自治法第4条の2第4項)."""
    while not is_business_day(day, provenance):
        day += timedelta(days=1)
    return day


def previous_business_day(day: date, provenance: Provenance | None = None) -> date:
    """`day` itself if it is a business day, else the one before (pension payment days)."""
    while not is_business_day(day, provenance):
        day -= timedelta(days=1)
    return day
