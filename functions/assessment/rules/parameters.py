"""Figures that change by 年度 or by income year, read from the data files beside this module (design rule 4).

Every group of figures carries its legal source and a status, `confirmed` or `provisional`; rules that use a
group note it in a `Provenance`, so a result can say which provisional figures it rests on. Nothing here is a
literal inside a rule: the data files are the single place a rate, a cap or a threshold is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from shared.domain.errors import Invalid

__all__ = ["DATA", "FiscalYearParameters", "Part", "Provenance", "UnknownFiscalYear", "collection_plan",
           "fiscal_year_parameters", "income_tables", "known_fiscal_years"]

DATA = Path(__file__).with_name("data")
CONFIRMED, PROVISIONAL = "confirmed", "provisional"


class UnknownFiscalYear(Invalid):
    code = "unknown-fiscal-year"
    title = "No parameters for this fiscal year"


@dataclass
class Provenance:
    """The figure groups a calculation used; the provisional ones are named in its output."""

    provisional: set[str] = field(default_factory=set)

    def use(self, name: str, group: dict[str, Any]) -> dict[str, Any]:
        if group.get("status") != CONFIRMED:
            self.provisional.add(name)
        return group

    def merge(self, other: Provenance) -> None:
        self.provisional |= other.provisional

    @property
    def is_provisional(self) -> bool:
        return bool(self.provisional)


@dataclass(frozen=True)
class Part:
    """One component of the premium with its own 均等割, 所得割率 and cap (令和8年度から 医療分 and
    子ども・子育て支援金分)."""

    name: str
    label: str
    equal_share: int
    income_rate: Decimal
    cap: int
    status: str
    source: str


@dataclass(frozen=True)
class FiscalYearParameters:
    fiscal_year: int
    name: str
    income_year: int
    parts: tuple[Part, ...]
    groups: dict[str, Any]  # the other figure groups, each with "source" and "status"

    def group(self, name: str, provenance: Provenance) -> dict[str, Any]:
        return provenance.use(f"{self.fiscal_year}.{name}", self.groups[name])

    def part_figures(self, provenance: Provenance) -> tuple[Part, ...]:
        for part in self.parts:
            if part.status != CONFIRMED:
                provenance.provisional.add(f"{self.fiscal_year}.{part.name}")
        return self.parts

    def transitional(self, name: str, provenance: Provenance) -> dict[str, Any] | None:
        group = self.groups.get("transitional", {}).get(name)
        return provenance.use(f"{self.fiscal_year}.transitional.{name}", group) if group else None


def _read(relative: str) -> Any:
    return json.loads((DATA / relative).read_text("utf-8"))


def known_fiscal_years() -> tuple[int, ...]:
    return tuple(sorted(int(p.stem) for p in (DATA / "fiscal_years").glob("*.json")))


@cache
def fiscal_year_parameters(fiscal_year: int) -> FiscalYearParameters:
    """The 年度's parameters; a year without a data file is refused, never guessed."""
    if fiscal_year not in known_fiscal_years():
        years = ", ".join(str(y) for y in known_fiscal_years())
        raise UnknownFiscalYear(f"no premium parameters for fiscal year {fiscal_year}; known: {years}")
    raw = _read(f"fiscal_years/{fiscal_year}.json")
    parts = tuple(Part(p["name"], p["label"], int(p["equal_share"]), Decimal(p["income_rate"]), int(p["cap"]),
                       p["status"], p["source"]) for p in raw["parts"])
    groups = {k: v for k, v in raw.items() if k not in ("fiscal_year", "name", "income_year", "parts")}
    return FiscalYearParameters(raw["fiscal_year"], raw["name"], raw["income_year"], parts, groups)


@cache
def income_tables() -> dict[str, Any]:
    return _read("income_deductions.json")  # type: ignore[no-any-return]


@cache
def collection_plan() -> dict[str, Any]:
    return _read("collection_plan.json")  # type: ignore[no-any-return]
