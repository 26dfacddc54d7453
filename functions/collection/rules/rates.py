"""延滞金 and 還付加算金 rates by calendar year, read from `data/rates.json` (design rule 4: rates are data with
their legal source, never literals in functions).

Sources: 地方自治法第231条の3第2項 (延滞金 by 条例), 地方税法附則第3条の2 (特例基準割合, followed by the 条例's 附則),
地方税法第17条の4 (還付加算金); figures from domain-rules.md §3.5 and §3.6. A year with no recorded rate is refused
rather than guessed: computing with the 本則 14.6% for a year whose 特例 was simply not entered would overcharge.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from functions.collection.rules.policy import data_file
from shared.domain.errors import Invalid

__all__ = ["RATES", "RateNotRecorded", "RateTable", "YearRates", "load_rates"]


class RateNotRecorded(Invalid):
    code = "rate-not-recorded"
    title = "No rate is recorded for that year"


@dataclass(frozen=True)
class YearRates:
    year: int
    average_lending_rate: Decimal  # 平均貸付割合, % per year
    late_fee_first_month: Decimal  # 延滞金: 納期限の翌日から1月を経過する日まで
    late_fee_after: Decimal  # 延滞金: その翌日以後
    refund_interest: Decimal  # 還付加算金
    source: str


@dataclass(frozen=True)
class RateTable:
    years: dict[int, YearRates]

    def for_year(self, year: int) -> YearRates:
        rates = self.years.get(year)
        if rates is None:
            known = f"{min(self.years)}–{max(self.years)}" if self.years else "none"
            raise RateNotRecorded(f"no 延滞金/還付加算金 rate is recorded for {year} (recorded: {known}); add the "
                                  "year to functions/collection/rules/data/rates.json with its source")
        return rates


def _table(raw: dict) -> RateTable:  # type: ignore[type-arg]
    return RateTable({int(y["year"]): YearRates(int(y["year"]), Decimal(y["average_lending_rate"]),
                                                Decimal(y["late_fee_first_month"]), Decimal(y["late_fee_after"]),
                                                Decimal(y["refund_interest"]), y["source"])
                      for y in raw["years"]})


@cache
def load_rates() -> RateTable:
    return _table(data_file("rates.json"))


RATES = load_rates()
