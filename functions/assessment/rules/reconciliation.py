"""突合 of a 賦課 result with the calculator (PIA-II-3-b: 地方税 vs 被保険者; 被保険者 vs 賦課).

The 広域連合's result stays the amount of record whatever this finds; a difference goes on a clerk's list with
the reason, so the city can ask the 広域連合 (or the 市民税課) before the notices go out. The household is the
resident register's (世帯主 and the insured members), with each member's 所得 as the 市民税課 sent it and the
result's own 資格取得日, 喪失日 and 元被扶養者 for the person checked.

Outcomes: `match`; `discrepancy` (each differing item with both values and a reason); `incomplete` (the
calculator cannot be run: a member's 所得 or birth date is unknown, or the household is not one it can assess).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.assessment.rules.dates import fiscal_year_start
from functions.assessment.rules.premium import HouseholdPremium, InvalidHousehold, Member, MemberPremium, calculate

__all__ = ["check", "household"]

LABELS = {"70%": "7割", "50%": "5割", "20%": "2割"}
COMPARED = (("annual_premium", "年間保険料額"), ("equal_share", "均等割額"), ("income_share", "所得割額"),
            ("months", "賦課月数"), ("assessment_base", "賦課のもととなる所得金額"), ("capped", "限度額適用"))


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _insured_in_year(person: dict[str, Any], fiscal_year: int) -> bool:
    if person.get("eligibility_status") == "insured":
        return True
    lost = _day(person.get("eligibility_lost_on"))
    return person.get("eligibility_status") == "lost" and lost is not None and lost > fiscal_year_start(fiscal_year)


def household(subject_id: str, levy: dict[str, Any], persons: list[dict[str, Any]],
              incomes: dict[str, dict[str, Any] | None], fiscal_year: int) -> tuple[list[Member], list[str]]:
    """The members the calculator needs, and what stops it (missing 所得 or birth dates)."""
    members, problems = [], []
    for person in persons:
        pid = person["person_id"]
        subject = pid == subject_id
        insured = subject or _insured_in_year(person, fiscal_year)
        head = bool(person.get("is_household_head"))
        if not (insured or head):
            continue
        role = "本人" if subject else ("世帯主" if head and not insured else "被保険者")
        income = incomes.get(pid)
        if not person.get("birth_date"):
            problems.append(f"{pid} ({role}): 生年月日がない")
            continue
        if income is None:
            problems.append(f"{pid} ({role}): {fiscal_year}年度の所得が届いていない")
            continue
        acquired = _day(levy.get("acquired_on")) if subject else _day(person.get("eligibility_acquired_on"))
        lost = _day(levy.get("lost_on")) if subject else _day(person.get("eligibility_lost_on"))
        members.append(Member(
            id=pid, insured=insured, household_head=head, birth_date=date.fromisoformat(person["birth_date"]),
            public_pension_receipts=int(income.get("pension_receipts", 0)),
            salary_receipts=int(income.get("salary_receipts", 0)), other_income=int(income.get("other_income", 0)),
            former_dependant=bool(levy.get("former_dependant")) if subject else False,
            acquired_on=acquired if (acquired and acquired >= fiscal_year_start(fiscal_year)) or subject else None,
            lost_on=lost, public_pension_income=int(income.get("pension_income", 0)),
            salary_income=int(income.get("salary_income", 0)), total_income=int(income.get("total_income", 0)),
            dedicated_worker_deduction=int(income.get("dedicated_worker_deduction", 0)),
            transfer_special_deduction=int(income.get("transfer_special_deduction", 0)),
            undeclared=bool(income.get("undeclared")),
            disability_certified_on=_day(person.get("disability_certified_on"))))
    return members, problems


def _reduction_reason(levy: dict[str, Any], computed: MemberPremium) -> dict[str, Any] | None:
    if levy.get("former_dependant") or levy.get("reduction") == computed.reduction:
        return None
    test = computed.test
    lines = ", ".join(f"{LABELS[name]} {amount:,}円以下" for name, amount in test.lines.items())
    return {"field": "reduction", "record": levy.get("reduction"), "computed": computed.reduction,
            "reason": f"軽減区分が異なる: 世帯の軽減判定所得 {test.total:,}円 (被保険者 {test.insured}人, "
                      f"給与所得者等 {test.earners}人; {lines})"}


def _compare(levy: dict[str, Any], computed: MemberPremium) -> list[dict[str, Any]]:
    findings = []
    reduction = _reduction_reason(levy, computed)
    if reduction:
        findings.append(reduction)
    for name, label in COMPARED:
        record, mine = levy.get(name), getattr(computed, name)
        if name == "annual_premium":
            mine -= int(levy.get("exemption") or 0)  # the record is after the 広域連合's 減免
        if record != mine:
            findings.append({"field": name, "record": record, "computed": mine,
                             "reason": f"{label}が異なる: 広域連合 {record}, 試算 {mine}"})
    return findings


def check(subject_id: str, levy: dict[str, Any], persons: list[dict[str, Any]],
          incomes: dict[str, dict[str, Any] | None], fiscal_year: int) -> dict[str, Any]:
    """The 突合 of one result: status, findings, and what the calculator made of it."""
    members, problems = household(subject_id, levy, persons, incomes, fiscal_year)
    if problems:
        return {"status": "incomplete", "findings": [{"field": "household", "reason": p} for p in problems]}
    try:
        result: HouseholdPremium = calculate(fiscal_year, members)
    except InvalidHousehold as refused:
        return {"status": "incomplete", "findings": [{"field": "household", "reason": refused.detail}]}
    computed = next(m for m in result.members if m.id == subject_id)
    findings = _compare(levy, computed)
    outcome: dict[str, Any] = {"status": "discrepancy" if findings else "match", "findings": findings,
                               "computed": {"annual_premium": computed.annual_premium,
                                            "reduction": computed.reduction,
                                            "income_rate": str(computed.income_rate)}}
    if result.provisional_figures:
        outcome["provisional_figures"] = result.provisional_figures
    return outcome
