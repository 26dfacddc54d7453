"""期割 over the stored data: a person's schedule for a 年度, made or re-made from the result of record.

The schedule is one item per person and 年度 in the instalments table. Assessment sets each 期's amount, due date
and status; the collection workflow posts payments to each 期's `paid` (its 消込) and, like this module, writes
the item only at the `version` it read, so neither overwrites the other (docs/assessment.md, "Contract with
collection"). The 特徴年金情報 comes from the pension-deductions table (written from the 年金保険者's notices),
an elected 口座振替 from a confirmed collection-election.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from functions.assessment.rules.dates import fiscal_year_end
from functions.assessment.rules.instalments import Pension, Period, Schedule, corrected_schedule, initial_schedule
from shared.adapters.levies import LevyStore
from shared.runtime import Runtime

__all__ = ["ELECTIONS", "INSTALMENTS", "OVERPAYMENTS", "PENSIONS", "load_schedule", "load_schedules",
           "overpayment_records", "plan", "schedule_id", "schedule_record"]

INSTALMENTS, PENSIONS, ELECTIONS, OVERPAYMENTS = "instalments", "pension-deductions", "collection-elections", \
    "overpayments"


def schedule_id(person_id: str, fiscal_year: int) -> str:
    return f"{person_id}-{fiscal_year}"


def _schedule_of(record: dict[str, Any]) -> Schedule:
    return Schedule(record["fiscal_year"], record["annual_premium"],
                    [Period.from_dict(p) for p in record["periods"]], record["collection_method"],
                    record.get("overpayment", 0), list(record.get("provisional_figures", [])))


def load_schedule(rt: Runtime, person_id: str, fiscal_year: int) -> tuple[Schedule | None, dict[str, Any] | None]:
    record = rt.records(INSTALMENTS).get(schedule_id(person_id, fiscal_year))
    if record is None:
        return None, None
    return _schedule_of(record), record


def load_schedules(rt: Runtime, person_ids: Iterable[str], fiscal_year: int) -> dict[str, Schedule]:
    """The 年度's 期割 of many persons, by person, 100 per BatchGetItem (design rule 8); persons without one are
    absent."""
    wanted = {schedule_id(p, fiscal_year): p for p in person_ids}
    found = rt.records(INSTALMENTS).get_many(wanted)
    return {wanted[sid]: _schedule_of(record) for sid, record in found.items()}


def schedule_record(person_id: str, schedule: Schedule, levy_version: int, version: int,
                    at: str) -> dict[str, Any]:
    return {"schedule_id": schedule_id(person_id, schedule.fiscal_year), "person_id": person_id,
            "fiscal_year": schedule.fiscal_year, "levy_version": levy_version, "annual_premium": schedule.annual,
            "collection_method": schedule.method, "periods": [p.as_dict() for p in schedule.periods],
            "overpayment": schedule.overpayment, "provisional_figures": schedule.provisional_figures,
            "version": version, "updated_at": at}


def _pension(rt: Runtime, person_id: str, fiscal_year: int) -> Pension | None:
    raw = rt.records(PENSIONS).get(schedule_id(person_id, fiscal_year))
    if raw is None:
        return None
    return Pension(annual=int(raw["pension_annual"]), kaigo_deducted=bool(raw.get("kaigo_deducted")),
                   kaigo_annual=int(raw.get("kaigo_annual", 0)),
                   previous_february=int(raw["previous_february"]) if raw.get("previous_february") else None,
                   april_start=bool(raw.get("april_start")))


def _ordinary_from(rt: Runtime, person_id: str, fiscal_year: int) -> date | None:
    """The earliest confirmed 口座振替 election in force in the 年度 (confirmed elections exist only once a
    checker has confirmed them)."""
    dates = [date.fromisoformat(e["effective_from"]) for e in
             rt.records(ELECTIONS).query("by-person", "person_id", person_id)
             if e.get("method") == "account-transfer" and e.get("status") != "withdrawn"]
    dates = [d for d in dates if d <= fiscal_year_end(fiscal_year)]
    return min(dates) if dates else None


def plan(rt: Runtime, person_id: str, fiscal_year: int, levy: dict[str, Any], today: date,
         current: Schedule | None) -> Schedule:
    """The schedule after the result `levy` becomes the result of record on `today`."""
    if current is not None:
        return corrected_schedule(current, int(levy["annual_premium"]), corrected_on=today)
    previous = rt.repository(LevyStore).latest(person_id, fiscal_year - 1)
    acquired = date.fromisoformat(levy["acquired_on"]) if levy.get("acquired_on") else None
    return initial_schedule(fiscal_year, int(levy["annual_premium"]), as_of=today, acquired_on=acquired,
                            pension=_pension(rt, person_id, fiscal_year),
                            previous_year_premium=int(previous["annual_premium"]) if previous else None,
                            ordinary_from=_ordinary_from(rt, person_id, fiscal_year))


def overpayment_records(rt: Runtime, person_id: str, fiscal_year: int) -> list[dict[str, Any]]:
    return [o for o in rt.records(OVERPAYMENTS).query("by-person", "person_id", person_id)
            if o.get("fiscal_year") == fiscal_year]
