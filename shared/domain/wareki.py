"""和暦 (Japanese era dates) for what residents read: 令和8年11月27日, 令和元年5月1日.

Printed notices carry dates in 和暦 (design rule 11). The era is looked up in a table of eras with the day each
began and the instrument that set it, never written into a template, so the next 改元 is one new row here
(元号法 (昭和54年法律第43号): an era is set by 政令 and changes only when the throne passes). Dates before
明治6年1月1日 (1873-01-01) are refused: Japan used the lunisolar calendar until then (明治5年太政官布告第337号),
so a Gregorian date before it has no 和暦 day of the same number.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from shared.domain.errors import Invalid

__all__ = ["ERAS", "Era", "EraDate", "UnsupportedDate", "era_date", "wareki", "wareki_month"]


class Era(NamedTuple):
    name: str
    first_day: date  # the first day of 元年 (in the Gregorian calendar)
    source: str


ERAS: tuple[Era, ...] = (
    # 明治元年 began on 慶応4年1月1日 (一世一元の詔, 明治元年9月8日); the table starts at the calendar reform.
    Era("明治", date(1868, 1, 25), "明治元年9月8日行政官布告 (一世一元の詔); 改暦: 明治5年太政官布告第337号"),
    Era("大正", date(1912, 7, 30), "明治45年7月30日 改元の詔書"),
    Era("昭和", date(1926, 12, 25), "大正15年12月25日 改元の詔書"),
    Era("平成", date(1989, 1, 8), "元号を改める政令 (昭和64年政令第1号), 元号法第1項"),
    Era("令和", date(2019, 5, 1), "元号を改める政令 (平成31年政令第143号), 元号法第1項"),
)
# The first day a 和暦 date is given for: the Gregorian calendar's first day in Japan (明治6年1月1日).
FIRST_SUPPORTED = date(1873, 1, 1)


class UnsupportedDate(Invalid):
    code = "unsupported-date"
    title = "No 和暦 for this date"


class EraDate(NamedTuple):
    era: str
    year: int  # 1 is 元年
    month: int
    day: int


def era_date(day: date) -> EraDate:
    """The era and year of `day`: the latest era whose first day is on or before it."""
    if day < FIRST_SUPPORTED:
        raise UnsupportedDate(f"{day.isoformat()} is before 1873-01-01, when Japan adopted the Gregorian calendar")
    era = next(e for e in reversed(ERAS) if e.first_day <= day)
    return EraDate(era.name, day.year - era.first_day.year + 1, day.month, day.day)


def _year(era: str, year: int) -> str:
    return f"{era}{'元' if year == 1 else year}年"


def wareki(day: date) -> str:
    """令和8年11月27日; 元年 for the first year of an era (令和元年5月1日)."""
    found = era_date(day)
    return f"{_year(found.era, found.year)}{found.month}月{found.day}日"


def wareki_month(day: date) -> str:
    """令和8年11月: for 期 and validity months."""
    found = era_date(day)
    return f"{_year(found.era, found.year)}{found.month}月"
