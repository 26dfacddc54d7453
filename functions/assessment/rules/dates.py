"""Dates the premium rules speak of: the 年度, ages, the 75th birthday, the months a person is insured.

Pure and in Japan time (the caller passes `date`s). Ages follow 年齢計算ニ関スル法律 with 民法第143条: an age is
reached at the end of the day before the birthday, so someone born on 1 January is 65 "on 31 December" of the
year before; a 29 February birthday is reached at the end of 28 February in a common year.
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = ["age_at_end_of", "fiscal_months", "fiscal_year_end", "fiscal_year_of", "fiscal_year_start",
           "insured_months", "month_index", "seventy_fifth_birthday"]


def fiscal_year_start(fiscal_year: int) -> date:
    """賦課期日 (4月1日): the 年度 runs April to March (domain-rules.md §2.1)."""
    return date(fiscal_year, 4, 1)


def fiscal_year_end(fiscal_year: int) -> date:
    return date(fiscal_year + 1, 3, 31)


def fiscal_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fiscal_months(fiscal_year: int) -> list[date]:
    """The first day of each month of the 年度, April first."""
    return [date(fiscal_year + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def month_index(day: date) -> int:
    """A month as one number, for counting months across years."""
    return day.year * 12 + day.month - 1


def age_at_end_of(birth: date, day: date) -> int:
    """The age reached by the end of `day` (年齢計算ニ関スル法律; 民法第143条)."""
    after = day + timedelta(days=1)
    return after.year - birth.year - ((after.month, after.day) < (birth.month, birth.day))


def seventy_fifth_birthday(birth: date) -> date:
    """The 資格取得日 of someone insured by age: the 75th birthday itself, 3月1日 for a 2月29日 birthday in a
    common year (法第52条; domain-rules.md §4)."""
    year = birth.year + 75
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def insured_months(fiscal_year: int, acquired_on: date | None, lost_on: date | None) -> list[date]:
    """The months of the 年度 that are charged (月割, domain-rules.md §2.1): from the month of the 取得日 to the
    month before the month of the 喪失日 (death: the 喪失日 is the day after death). Someone who acquires and
    loses within one month is charged no month (the rule as written; 同月得喪 for 後期 is [U])."""
    months = fiscal_months(fiscal_year)
    first = month_index(acquired_on) if acquired_on else month_index(months[0])
    stop = month_index(lost_on) if lost_on else month_index(months[-1]) + 1
    return [m for m in months if first <= month_index(m) < stop]
