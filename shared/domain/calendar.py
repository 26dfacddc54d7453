"""Japan time: the day a rule or a deadline speaks of is a date in Japan (design rule 4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

__all__ = ["JST", "date_in_japan", "iso_date"]

# 日本標準時 (UTC+9, no daylight saving): the one time zone of every date the system decides.
JST = timezone(timedelta(hours=9), "JST")
# Dates the system can reason about: from the oldest birth date a resident register holds to far beyond any
# premium year. 9999-12-31 as a 転出日 would overflow the day after (法第53条), so inputs are bounded here.
SUPPORTED_DAYS = (date(1870, 1, 1), date(2199, 12, 31))


def date_in_japan(moment: datetime) -> date:
    """The calendar date in Japan at `moment` (an aware datetime): 2026-03-31T15:00Z is 2026-04-01."""
    if moment.tzinfo is None:
        raise ValueError("a moment without a time zone has no date in Japan")
    return moment.astimezone(JST).date()


def iso_date(text: str) -> date:
    """A date written YYYY-MM-DD; argparse names the type in its error ("invalid date (YYYY-MM-DD) value")."""
    return date.fromisoformat(text)


iso_date.__name__ = "date (YYYY-MM-DD)"
