"""均等割の軽減 (7割・5割・2割) on the household test (令第18条第1項第2号; domain-rules.md §2.3).

The test adds the 軽減判定所得 of the 世帯主 (insured or not) and of every insured person in the household on
the test date (4月1日, or the 資格取得日 of someone joining mid-year), and compares the total with three lines:

    7割: 43万 + 10万 × (給与所得者等の数 − 1)
    5割: 43万 + 29.5万 (R6) / 30.5万 (R7) × 被保険者数 + 10万 × (給与所得者等の数 − 1)
    2割: 43万 + 54.5万 (R6) / 56万 (R7) × 被保険者数 + 10万 × (給与所得者等の数 − 1)

A total equal to a line counts as below it (「以下」). 給与所得者等 are counted among the 世帯主 and the insured
persons; a count of 0 is treated as 1. Nobody in the household is reduced when the income of a tested person
is 未申告 (熊本市 FAQ 4292: 「市県民税申告をされていない場合は軽減されません」).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from functions.assessment.rules.income import Incomes
from functions.assessment.rules.parameters import FiscalYearParameters, Provenance

__all__ = ["ReductionTest", "Tested", "earner", "reduction_test"]


@dataclass(frozen=True)
class Tested:
    """One person the test looks at: the 世帯主 and the insured persons on the test date."""

    incomes: Incomes
    insured: bool
    undeclared: bool = False


@dataclass(frozen=True)
class ReductionTest:
    reduction: str | None  # "70%", "50%", "20%" or None
    total: int  # the household's 軽減判定所得
    insured: int  # 被保険者数
    earners: int  # 給与所得者等の数 as counted (before the "0 counts as 1" rule)
    lines: dict[str, int]  # the threshold of each reduction
    fraction: Decimal  # the share of the 均等割 taken off (0 without a reduction)


def earner(person: Incomes, parameters: FiscalYearParameters, provenance: Provenance) -> bool:
    """給与所得者等: 給与収入 55万超, or 公的年金等収入 60万超 (65歳未満) / 125万超 (65歳以上)."""
    rule = parameters.group("earners", provenance)
    pension_line = rule["pension_receipts_over"]["65_and_over" if person.aged_65 else "under_65"]
    return person.salary_receipts > rule["salary_receipts_over"] or person.pension_receipts > pension_line


def reduction_test(tested: list[Tested], parameters: FiscalYearParameters, provenance: Provenance) -> ReductionTest:
    rule = parameters.group("low_income_reduction", provenance)
    insured = sum(1 for t in tested if t.insured)
    earners = sum(1 for t in tested if earner(t.incomes, parameters, provenance))
    earner_term = int(rule["per_earner"]) * (max(earners, 1) - 1)
    base = int(rule["base"]) + earner_term
    lines = {"70%": base,
             "50%": base + int(rule["per_insured"]["50%"]) * insured,
             "20%": base + int(rule["per_insured"]["20%"]) * insured}
    total = sum(t.incomes.for_reduction for t in tested)
    reduction = None
    if not any(t.undeclared for t in tested):
        reduction = next((name for name in ("70%", "50%", "20%") if total <= lines[name]), None)
    fraction = Decimal(rule["fractions"][reduction]) if reduction else Decimal(0)
    return ReductionTest(reduction, total, insured, earners, lines, fraction)
