"""The periods a job's files cover, and which are due: a missed run is caught up in order (design rule 8).

A daily file covers one day (JST), a monthly one a calendar month, a yearly one a calendar year. A period is due
once it has ended; periods after the last one sent and up to the last ended one are all due, oldest first. Pure.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

__all__ = ["MAX_CATCH_UP", "Period", "due_periods", "period_of"]

MAX_CATCH_UP = 62  # more missed periods than this is an incident for an operator, not an automatic catch-up


class Period(NamedTuple):
    first: date
    last: date
    frequency: str

    @property
    def key(self) -> str:
        if self.frequency == "daily":
            return self.first.isoformat()
        if self.frequency == "monthly":
            return f"{self.first:%Y-%m}"
        return f"{self.first:%Y}"

    def next(self) -> Period:
        return period_of(self.last + timedelta(days=1), self.frequency)


def period_of(day: date, frequency: str) -> Period:
    if frequency == "daily":
        return Period(day, day, frequency)
    if frequency == "monthly":
        first = day.replace(day=1)
        return Period(first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1), frequency)
    if frequency == "yearly":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), frequency)
    raise ValueError(f"unknown frequency {frequency!r}")


def due_periods(frequency: str, last_sent: date | None, today: date, start: date) -> list[Period]:
    """Every ended period after the one holding `last_sent` (or from `start` when nothing was sent), in order."""
    current = period_of(last_sent, frequency).next() if last_sent else period_of(start, frequency)
    due: list[Period] = []
    while current.last < today:
        due.append(current)
        if len(due) > MAX_CATCH_UP:
            raise ValueError(f"more than {MAX_CATCH_UP} periods missed since {last_sent}; run them by hand")
        current = current.next()
    return due
