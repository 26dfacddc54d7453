"""The rate table is data with its source (design rule 4); its figures agree with the formula they come from."""

from __future__ import annotations

from decimal import Decimal

from functions.collection.rules.rates import load_rates


def test_every_year_follows_the_special_base_rate_formula() -> None:
    """地方税法附則第3条の2 (domain-rules §3.5, §3.6): 特例基準割合 = 平均貸付割合 + 1%; first month = +1% (≤ 7.3%),
    after = +7.3% (≤ 14.6%); 還付加算金 = 平均貸付割合 + 0.5% (≤ 7.3%)."""
    for year in load_rates().years.values():
        special = year.average_lending_rate + Decimal("1")
        assert year.late_fee_first_month == min(special + Decimal("1"), Decimal("7.3")), year.year
        assert year.late_fee_after == min(special + Decimal("7.3"), Decimal("14.6")), year.year
        assert year.refund_interest == min(year.average_lending_rate + Decimal("0.5"), Decimal("7.3")), year.year
        assert year.source


def test_the_figures_of_the_issue() -> None:
    """R4–R7 2.4% / 8.7% (還付加算金 0.9%); R8 2.8% / 9.1% (1.3%)."""
    table = load_rates()
    assert {y: (str(r.late_fee_first_month), str(r.late_fee_after), str(r.refund_interest))
            for y, r in table.years.items()} == {
        2022: ("2.4", "8.7", "0.9"), 2023: ("2.4", "8.7", "0.9"), 2024: ("2.4", "8.7", "0.9"),
        2025: ("2.4", "8.7", "0.9"), 2026: ("2.8", "9.1", "1.3")}
