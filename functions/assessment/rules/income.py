"""所得 from receipts, and the two incomes the premium needs (domain-rules.md §2.1, §2.3, §2.5).

When the 市民税課 sends only 収入, the 所得 is computed with the 公的年金等控除 and 給与所得控除 tables of the
income year (data: `data/income_deductions.json`). From the 所得:

- 賦課のもととなる所得金額 (旧ただし書き所得) = 総所得金額等 − 基礎控除 (the 基礎控除 tapers above 2,400万);
- 軽減判定所得 = 総所得金額等 before 専従者控除 and 譲渡所得特別控除, less 15万円 of 公的年金等所得 for people
  65 or over on 31 December of the income year (令第18条).

All amounts are integer yen; rates are exact decimals and every product is truncated to the yen (1円未満切捨て).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from functions.assessment.rules.dates import age_at_end_of
from functions.assessment.rules.parameters import FiscalYearParameters, Provenance, income_tables

__all__ = ["Incomes", "assessment_base", "basic_deduction", "incomes", "is_65_in_income_year", "pension_income",
           "salary_income"]


def _yen(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _table(kind: str, income_year: int, provenance: Provenance) -> dict[str, Any]:
    """The newest table of `kind` that applies to the income year."""
    tables = [t for t in income_tables()[kind] if t["from_income_year"] <= income_year]
    if not tables:
        raise ValueError(f"no {kind} table for income year {income_year}")
    return provenance.use(f"income-{income_year}.{kind}", max(tables, key=lambda t: t["from_income_year"]))


def is_65_in_income_year(birth: date, income_year: int) -> bool:
    """65歳以上 on 12月31日 of the income year: the age test of the 公的年金等控除, the 給与所得者等 count and the
    15万円 高齢者特別控除 (R7: born on or before 1960-01-01)."""
    return age_at_end_of(birth, date(income_year, 12, 31)) >= 65


def salary_income(receipts: int, income_year: int, provenance: Provenance) -> int:
    """給与所得 from 給与収入 (所得税法第28条 and 別表第五: below 660万 the receipts are first rounded down to
    the table's step)."""
    for row in _table("salary", income_year, provenance)["rows"]:
        if row["below"] is None or receipts < row["below"]:
            if "fixed" in row:
                return int(row["fixed"])
            step = int(row.get("round_down_to", 1))
            return max(0, _yen(Decimal(receipts // step * step) * Decimal(row["rate"])) + int(row["add"]))
    raise AssertionError("the last row has no upper bound")


def pension_income(receipts: int, income_year: int, aged_65: bool, other_income: int,
                   provenance: Provenance) -> int:
    """公的年金等の雑所得 = 収入 − 公的年金等控除 (所得税法第35条第4項; 措置法第41条の15の3); the deduction shrinks by
    10万 / 20万 when the other income exceeds 1,000万 / 2,000万."""
    table = _table("pension", income_year, provenance)
    rows = table["rows"]["65_and_over" if aged_65 else "under_65"]
    reduce = next(int(less) for upto, less in table["other_income_tiers"] if upto is None or other_income <= upto)
    for row in rows:
        if row["upto"] is None or receipts <= row["upto"]:
            if "fixed" in row:
                deduction = Decimal(row["fixed"])
            elif "minimum" in row:
                deduction = Decimal(row["minimum"])
            else:
                deduction = Decimal(receipts) * Decimal(row["rate"]) + Decimal(row["add"])
            return max(0, _yen(Decimal(receipts) - (deduction - reduce)))
    raise AssertionError("the last row has no upper bound")


def _income_adjustment(salary: int, pension: int, income_year: int, provenance: Provenance) -> int:
    """所得金額調整控除 for someone with both 給与所得 and 公的年金等所得 (措置法第41条の3の3第2項)."""
    if salary <= 0 or pension <= 0:
        return 0
    rule = _table("income_adjustment", income_year, provenance)
    cap = int(rule["cap_each"])
    return max(0, min(salary, cap) + min(pension, cap) - int(rule["less"]))


@dataclass(frozen=True)
class Incomes:
    """One person's incomes for the premium, with the receipts the 給与所得者等 count looks at."""

    total: int  # 総所得金額等 (after 専従者控除 and 譲渡所得特別控除)
    pension_income: int
    pension_receipts: int
    salary_receipts: int
    for_reduction: int  # 軽減判定所得
    aged_65: bool


def incomes(*, birth: date, income_year: int, pension_receipts: int, salary_receipts: int, other_income: int,
            pension_income_known: int | None = None, salary_income_known: int | None = None,
            total_known: int | None = None, dedicated_worker_deduction: int = 0,
            transfer_special_deduction: int = 0, elderly_deduction: int = 0,
            provenance: Provenance) -> Incomes:
    """A person's 総所得金額等 and 軽減判定所得, from the 所得 figures when known and from receipts otherwise.

    `other_income` is the net 所得 other than pensions and salary (as it enters 総所得金額等, i.e. after the
    専従者控除 and the 譲渡所得特別控除); those two are added back for the 軽減判定 (熊本市 広報 2023-02; 天草市)."""
    aged_65 = is_65_in_income_year(birth, income_year)
    pension = pension_income_known if pension_income_known is not None else (
        pension_income(pension_receipts, income_year, aged_65, other_income, provenance) if pension_receipts else 0)
    salary = salary_income_known if salary_income_known is not None else (
        salary_income(salary_receipts, income_year, provenance) if salary_receipts else 0)
    if total_known is not None:
        total = total_known
    else:
        total = pension + salary - _income_adjustment(salary, pension, income_year, provenance) + other_income
    elderly = min(pension, elderly_deduction) if aged_65 else 0
    for_reduction = max(0, total - elderly + dedicated_worker_deduction + transfer_special_deduction)
    return Incomes(total, pension, pension_receipts, salary_receipts, for_reduction, aged_65)


def basic_deduction(total: int, parameters: FiscalYearParameters, provenance: Provenance) -> int:
    """基礎控除 by the 合計所得金額 (approximated by the 総所得金額等, the only total the 市民税課 file carries)."""
    for upto, amount in parameters.group("basic_deduction", provenance)["brackets"]:
        if upto is None or total <= upto:
            return int(amount)
    raise AssertionError("the last bracket has no upper bound")


def assessment_base(total: int, parameters: FiscalYearParameters, provenance: Provenance) -> int:
    """賦課のもととなる所得金額 (旧ただし書き所得): 総所得金額等 − 基礎控除, never below 0."""
    return max(0, total - basic_deduction(total, parameters, provenance))
