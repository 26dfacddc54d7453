"""What the counter sees: a person's 賦課 history and a 年度's 期割 (read only; PIA-I-1-c, I-1-d)."""

from __future__ import annotations

from typing import Any

from functions.assessment.services.schedules import OVERPAYMENTS, load_schedule
from shared.adapters.levies import LevyStore, decoded
from shared.adapters.persons import PersonRepository
from shared.domain.errors import NotFound
from shared.runtime import Runtime

__all__ = ["levy_history", "open_discrepancies", "schedule_view"]

SHOWN = ("fiscal_year", "version", "insured_number", "annual_premium", "equal_share", "income_share", "reduction",
         "former_dependant", "capped", "reason", "reason_name", "decided_on", "acquired_on", "lost_on", "months",
         "assessment_base", "exemption", "assessment_date", "received_at", "check")


def _person(rt: Runtime, person_id: str) -> dict[str, Any]:
    person = rt.repository(PersonRepository).get(person_id)
    if person is None:
        raise NotFound("there is no such person")
    return person


def levy_history(rt: Runtime, person_id: str) -> dict[str, Any]:
    """Every result of record, oldest first, each with its 突合; the latest of each 年度 is marked current."""
    _person(rt, person_id)
    items = [decoded(i) for i in rt.repository(LevyStore).history(person_id)]
    latest = {i["fiscal_year"]: i["version"] for i in items}
    levies = [{**{k: i.get(k) for k in SHOWN}, "current": latest[i["fiscal_year"]] == i["version"]} for i in items]
    return {"person_id": person_id, "levies": levies}


def schedule_view(rt: Runtime, person_id: str, fiscal_year: int) -> dict[str, Any]:
    _person(rt, person_id)
    schedule, record = load_schedule(rt, person_id, fiscal_year)
    if schedule is None or record is None:
        raise NotFound(f"the person has no 期割 in fiscal year {fiscal_year}")
    overpayments = [{k: o.get(k) for k in ("overpayment_id", "amount", "status", "reason", "created_at")}
                    for o in rt.records(OVERPAYMENTS).query("by-person", "person_id", person_id)
                    if o.get("fiscal_year") == fiscal_year]
    return {"person_id": person_id, "levy_version": record["levy_version"], **schedule.as_dict(),
            "overpayments": overpayments, "updated_at": record["updated_at"]}


def open_discrepancies(rt: Runtime, fiscal_year: int, limit: int, cursor: str | None) -> dict[str, Any]:
    """The year's results whose 突合 did not match, by person, a page at a time (never a My Number)."""
    items, following = rt.repository(LevyStore).open_checks(fiscal_year, limit, cursor)
    return {"fiscal_year": fiscal_year, "items": [
        {"person_id": i["person_id"], "version": i["version"], "annual_premium": i["annual_premium"],
         "check": decoded(i)["check"]} for i in items], "next_cursor": following}
