"""和暦: the era comes from the table of eras, and each boundary day falls on the right side."""

from datetime import date

import pytest

from shared.domain.wareki import ERAS, UnsupportedDate, era_date, wareki, wareki_month


@pytest.mark.parametrize(("day", "expected"), [
    (date(2019, 4, 30), "平成31年4月30日"),  # the last day of 平成
    (date(2019, 5, 1), "令和元年5月1日"),  # 平成31年政令第143号: 令和 from 2019-05-01
    (date(2020, 1, 1), "令和2年1月1日"),
    (date(2026, 11, 27), "令和8年11月27日"),
    (date(1989, 1, 7), "昭和64年1月7日"),
    (date(1989, 1, 8), "平成元年1月8日"),
    (date(1926, 12, 24), "大正15年12月24日"),
    (date(1926, 12, 25), "昭和元年12月25日"),
    (date(1912, 7, 29), "明治45年7月29日"),
    (date(1912, 7, 30), "大正元年7月30日"),
    (date(1948, 5, 10), "昭和23年5月10日"),  # demo person P0000000001's birthday
    (date(1873, 1, 1), "明治6年1月1日"),
])
def test_boundaries_and_first_years(day: date, expected: str) -> None:
    assert wareki(day) == expected


def test_the_month_form_for_instalments() -> None:
    assert wareki_month(date(2026, 7, 31)) == "令和8年7月"
    assert wareki_month(date(2019, 5, 31)) == "令和元年5月"


def test_a_new_era_is_one_row_of_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in the formatting names an era: a hypothetical era added to the table is used at once."""
    import shared.domain.wareki as module

    monkeypatch.setattr(module, "ERAS", (*ERAS, module.Era("新元号", date(2040, 1, 1), "test")))
    assert wareki(date(2040, 1, 1)) == "新元号元年1月1日"
    assert wareki(date(2039, 12, 31)) == "令和21年12月31日"


def test_every_era_has_its_source_and_eras_are_in_order() -> None:
    assert all(e.source for e in ERAS)
    assert [e.first_day for e in ERAS] == sorted(e.first_day for e in ERAS)
    assert era_date(date(2026, 4, 1)).era == ERAS[-1].name


def test_a_date_before_the_gregorian_calendar_is_refused() -> None:
    with pytest.raises(UnsupportedDate):
        wareki(date(1872, 12, 31))
