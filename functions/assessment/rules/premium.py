"""The premium calculator (試算 at the counter, and the 突合 of the 広域連合's results): 法第104条, 令第18条.

    保険料 = 均等割 (after the 7/5/2割 軽減, or the 元被扶養者 5割 for 24 months, whichever is larger)
           + 所得割 (賦課のもととなる所得金額 × 所得割率; 0 for a 元被扶養者),
    capped at the 賦課限度額, 100円未満切捨て (domain-rules.md §2.1–2.4).

The 広域連合 assesses; the city never replaces its result with this one (domain-rules.md §2.1). Rounding,
where the sources leave it open (§2.1 [U]), is done this way and nowhere else:

- 軽減後均等割 and 所得割 are each truncated to the yen (§2.1 [V], [P]);
- 月割: each charged month carries 1/12 of that month's capped annual amount (so a 元被扶養者 whose 24 months
  end mid-year pays the reduced 均等割 for the reduced months only); the sum of the months is truncated to the
  yen, then to 100円 (the annual rounding, §2.1 [V]). A full year gives exactly min(均等割 + 所得割, 限度額)
  truncated to 100円;
- from 令和8年度 each part (医療分, 子ども・子育て支援金分) is capped by its own limit and the parts are added
  before the 100円 truncation [U].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from functions.assessment.rules.dates import (
    fiscal_year_end,
    fiscal_year_start,
    insured_months,
    month_index,
    seventy_fifth_birthday,
)
from functions.assessment.rules.income import Incomes, assessment_base, incomes
from functions.assessment.rules.parameters import FiscalYearParameters, Provenance, fiscal_year_parameters
from functions.assessment.rules.reduction import ReductionTest, Tested, reduction_test
from shared.domain.errors import Invalid

__all__ = ["HouseholdPremium", "InvalidHousehold", "Member", "MemberPremium", "calculate"]


class InvalidHousehold(Invalid):
    code = "invalid-household"
    title = "The household cannot be assessed"


@dataclass(frozen=True)
class Member:
    """A member of the household as the calculator needs them; amounts in yen."""

    id: str
    insured: bool
    household_head: bool
    birth_date: date
    public_pension_receipts: int = 0
    salary_receipts: int = 0
    other_income: int = 0  # net 所得 other than pensions and salary
    former_dependant: bool = False  # 元被扶養者 (domain-rules.md §2.4)
    acquired_on: date | None = None  # 資格取得日; None: insured before the 年度 (or from the 75th birthday)
    lost_on: date | None = None  # 資格喪失日 (death: the day after)
    public_pension_income: int | None = None  # 所得 when the 市民税課 gives it
    salary_income: int | None = None
    total_income: int | None = None  # 総所得金額等 when given
    dedicated_worker_deduction: int = 0  # 専従者控除: added back for the 軽減判定 only
    transfer_special_deduction: int = 0  # 譲渡所得特別控除: added back for the 軽減判定 only
    undeclared: bool = False  # 未申告
    disability_certified_on: date | None = None  # 障害認定日 (法第50条第2号)


@dataclass(frozen=True)
class MemberPremium:
    id: str
    equal_share: int
    income_share: int
    annual_premium: int
    months: int
    capped: bool
    provisional: bool
    reduction: str | None
    assessment_base: int
    income_rate: Decimal
    test: ReductionTest
    former_dependant_months: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "equal_share": self.equal_share, "income_share": self.income_share,
                "annual_premium": self.annual_premium, "months": self.months, "capped": self.capped,
                "provisional": self.provisional, "reduction": self.reduction}


@dataclass(frozen=True)
class HouseholdPremium:
    fiscal_year: int
    reduction: str | None
    members: list[MemberPremium]
    provisional_figures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"fiscal_year": self.fiscal_year, "reduction": self.reduction,
                "members": [m.as_dict() for m in self.members], "provisional_figures": self.provisional_figures}


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _refuse(index: int, name: str, message: str) -> InvalidHousehold:
    return InvalidHousehold(f"members[{index}].{name}: {message}",
                            errors=[{"field": f"members[{index}].{name}", "message": message}])


def _acquisition(index: int, member: Member, fiscal_year: int) -> date | None:
    """The 資格取得日 inside or before the 年度: as given, or the 75th birthday (法第52条) when that falls in
    the 年度 and no 障害認定 made the person insured earlier."""
    if member.acquired_on is not None:
        if member.acquired_on < seventy_fifth_birthday(member.birth_date) and member.disability_certified_on is None:
            raise _refuse(index, "acquired_on", "before the 75th birthday: insured so early only by 障害認定 "
                                                "(disability_certified_on, 法第50条第2号)")
        return member.acquired_on
    if member.disability_certified_on is not None:
        return member.disability_certified_on if member.disability_certified_on >= fiscal_year_start(fiscal_year) \
            else None
    birthday = seventy_fifth_birthday(member.birth_date)
    if birthday > fiscal_year_end(fiscal_year):
        raise _refuse(index, "birth_date", f"not 75 before the end of fiscal year {fiscal_year} and no "
                                           "disability_certified_on: not insured (法第50条)")
    return birthday if birthday > fiscal_year_start(fiscal_year) else None


def _validate(members: list[Member], fiscal_year: int) -> None:
    if not any(m.insured for m in members):
        raise InvalidHousehold("a household to assess has at least one insured member",
                               errors=[{"field": "members", "message": "no insured member"}])
    if sum(m.household_head for m in members) > 1:
        raise InvalidHousehold("a household has one 世帯主 at most",
                               errors=[{"field": "members", "message": "more than one household_head"}])
    seen: set[str] = set()
    for index, m in enumerate(members):
        if m.id in seen:
            raise _refuse(index, "id", "ids are unique within the household")
        seen.add(m.id)
        if m.birth_date > fiscal_year_end(fiscal_year):
            raise _refuse(index, "birth_date", "after the end of the fiscal year")
        if m.acquired_on and m.lost_on and m.lost_on < m.acquired_on:
            raise _refuse(index, "lost_on", "before acquired_on")


def _insured_on(member: Member, acquired: date | None, day: date) -> bool:
    return member.insured and (acquired is None or acquired <= day) and (member.lost_on is None
                                                                         or member.lost_on > day)


def _income_rate(parameters: FiscalYearParameters, base: int, provenance: Provenance) -> Decimal:
    """The medical part's 所得割率, or the R6 transitional 10.80% when the base is at most 58万 (令附則)."""
    reduced = parameters.transitional("reduced_rate", provenance) if base <= _max_base(parameters) else None
    return Decimal(reduced["rate"]) if reduced else parameters.parts[0].income_rate


def _max_base(parameters: FiscalYearParameters) -> int:
    group = parameters.groups.get("transitional", {}).get("reduced_rate")
    return int(group["max_base"]) if group else -1


def _medical_cap(parameters: FiscalYearParameters, member: Member, provenance: Provenance) -> int:
    """The medical part's cap, or the R6 transitional 73万 for those born on or before 1949-03-31 or insured
    through 障害認定 by the date the rule names (令附則; domain-rules.md §2.2)."""
    group = parameters.groups.get("transitional", {}).get("cap")
    if group:
        born_early = member.birth_date <= date.fromisoformat(group["born_on_or_before"])
        certified = member.disability_certified_on is not None and \
            member.disability_certified_on <= date.fromisoformat(group["disability_certified_by"])
        if born_early or certified:
            return int(parameters.transitional("cap", provenance)["amount"])  # type: ignore[index]
    return parameters.parts[0].cap


def _member_premium(member: Member, acquired: date | None, income: Incomes, test: ReductionTest,
                    parameters: FiscalYearParameters, provenance: Provenance) -> MemberPremium:
    months = insured_months(parameters.fiscal_year, acquired, member.lost_on)
    base = assessment_base(income.total, parameters, provenance)
    parts = parameters.part_figures(provenance)
    rate = _income_rate(parameters, base, provenance)
    rates = [rate, *(p.income_rate for p in parts[1:])]
    caps = [_medical_cap(parameters, member, provenance), *(p.cap for p in parts[1:])]
    income_shares = [0 if member.former_dependant else _floor(Decimal(base) * r) for r in rates]
    window: set[int] = set()
    fd_fraction = Decimal(0)
    if member.former_dependant:
        rule = parameters.group("former_dependant", provenance)
        assert acquired is not None
        window = set(range(month_index(acquired), month_index(acquired) + int(rule["months"])))
        fd_fraction = Decimal(rule["equal_share_reduction"])
    equal_total = capped_total = 0
    capped = False
    fd_months = 0
    for month in months:
        fraction = test.fraction
        if month_index(month) in window and fd_fraction > fraction:
            fraction, fd_months = fd_fraction, fd_months + 1
        for part, income_share, cap in zip(parts, income_shares, caps, strict=True):
            equal = _floor(Decimal(part.equal_share) * (1 - fraction))
            equal_total += equal
            capped_total += min(equal + income_share, cap)
            capped |= equal + income_share > cap
    annual = capped_total // 12 // 100 * 100
    return MemberPremium(
        member.id, equal_total // 12, sum(income_shares) * len(months) // 12, annual, len(months), capped,
        provenance.is_provisional, test.reduction, base, rate, test, fd_months)


def calculate(fiscal_year: int, members: list[Member]) -> HouseholdPremium:
    """Each insured member's annual premium for the 年度, with the household's 軽減 on 4月1日."""
    parameters = fiscal_year_parameters(fiscal_year)
    _validate(members, fiscal_year)
    acquired = {m.id: _acquisition(i, m, fiscal_year) if m.insured else None for i, m in enumerate(members)}
    for index, m in enumerate(members):
        if m.former_dependant and acquired[m.id] is None:
            raise _refuse(index, "acquired_on", "a 元被扶養者's 5割 runs 24 months from the 資格取得日: give it")
    household = Provenance()
    elderly = int(parameters.group("elderly_special_deduction", household)["amount"])
    income = {m.id: incomes(
        birth=m.birth_date, income_year=parameters.income_year, pension_receipts=m.public_pension_receipts,
        salary_receipts=m.salary_receipts, other_income=m.other_income, pension_income_known=m.public_pension_income,
        salary_income_known=m.salary_income, total_known=m.total_income,
        dedicated_worker_deduction=m.dedicated_worker_deduction,
        transfer_special_deduction=m.transfer_special_deduction, elderly_deduction=elderly, provenance=household)
        for m in members}
    start = fiscal_year_start(fiscal_year)
    results, tests = [], []
    for m in (m for m in members if m.insured):
        provenance = Provenance(set(household.provisional))
        test_day = max(start, acquired[m.id] or start)
        tested = [Tested(income[x.id], _insured_on(x, acquired[x.id], test_day), x.undeclared)
                  for x in members if x.household_head or _insured_on(x, acquired[x.id], test_day)]
        test = reduction_test(tested, parameters, provenance)
        tests.append((test_day, test.reduction))
        results.append(_member_premium(m, acquired[m.id], income[m.id], test, parameters, provenance))
        household.merge(provenance)
    household_reduction = min(tests, key=lambda t: t[0])[1]  # on 4月1日, or on the first 取得日 of the 年度
    return HouseholdPremium(fiscal_year, household_reduction, results, sorted(household.provisional))
