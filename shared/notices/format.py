"""How figures read on paper: integer yen with thousands separators, 和暦 dates, 期 labels.

Money is integer yen everywhere (design rule 4); a float or a bool reaching a notice is a bug upstream, so it is
refused here rather than printed rounded.
"""

from __future__ import annotations

from datetime import date

from shared.domain.wareki import wareki, wareki_month

__all__ = ["fiscal_year_label", "number", "period_label", "sex_label", "wareki", "wareki_month", "yen"]


def number(amount: int) -> str:
    """12,345 (no unit): for tables whose header says 円."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amounts are integer yen, not {type(amount).__name__}")
    return f"{amount:,}"


def yen(amount: int) -> str:
    """12,345円; a negative amount keeps its sign (−1,200円 on a 更正 notice)."""
    return f"{number(amount)}円".replace("-", "−")


def fiscal_year_label(fiscal_year: int) -> str:
    """The 年度 that starts on 4月1日 of `fiscal_year`, named by that day, its 賦課期日: 令和8年度; 2019年度 is
    平成31年度 (令和 began on 5月1日)."""
    label = wareki(date(fiscal_year, 4, 1))
    return label[: label.index("年") + 1] + "度"


def period_label(number_of_period: int) -> str:
    """第3期; 0 is a 随時期."""
    return "随時" if number_of_period == 0 else f"第{number_of_period}期"


def sex_label(code: str | None) -> str:
    """The resident register's code (1 男, 2 女) as printed."""
    return {"1": "男", "2": "女"}.get(code or "", "")
