"""突合 over the stored data: the household from the resident register, 所得 from the income records."""

from __future__ import annotations

from typing import Any

from functions.assessment.rules.reconciliation import check
from functions.assessment.services.income_import import income_id
from shared.adapters.persons import PersonRepository
from shared.runtime import Runtime

__all__ = ["check_levy"]


def check_levy(rt: Runtime, person_id: str, fiscal_year: int, levy: dict[str, Any]) -> dict[str, Any]:
    persons = rt.repository(PersonRepository)
    subject = persons.get(person_id)
    if subject is None:
        return {"status": "incomplete", "findings": [{"field": "person", "reason": "not in the resident register"}]}
    members = persons.by_household(subject["household_id"]) if subject.get("household_id") else []
    if person_id not in {m["person_id"] for m in members}:
        members.append(subject)
    incomes = {m["person_id"]: rt.records("income-records").get(income_id(m["person_id"], fiscal_year))
               for m in members}
    return check(person_id, levy, members, incomes, fiscal_year)
