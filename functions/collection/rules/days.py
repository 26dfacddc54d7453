"""Open days of the city: a 期限 that falls on a Saturday, Sunday, 祝日 or 12/29–1/3 moves to the next open day
(地方自治法第4条の2第4項; the closed days as data in `data/holidays.json` with their source)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from functions.collection.rules.policy import data_file
from shared.domain.errors import Invalid

__all__ = ["CalendarNotRecorded", "is_open", "next_open_day"]


class CalendarNotRecorded(Invalid):
    code = "calendar-not-recorded"
    title = "No holiday calendar is recorded for that year"


@cache
def _closed() -> dict[int, frozenset[date]]:
    years = data_file("holidays.json")["years"]
    return {int(y): frozenset(date.fromisoformat(d) for d in days) for y, days in years.items()}


def is_open(day: date) -> bool:
    closed = _closed()
    if day.year not in closed:
        raise CalendarNotRecorded(f"no holidays are recorded for {day.year}; add them to "
                                  "functions/collection/rules/data/holidays.json with their source")
    year_end = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
    return day.weekday() < 5 and not year_end and day not in closed[day.year]


def next_open_day(day: date) -> date:
    """`day` itself when the city is open, else the next day it is."""
    while not is_open(day):
        day += timedelta(days=1)
    return day
