"""Record the 広域連合's 賦課 results (保険料情報) and what follows from each (PIA-I-1-c, I-1-d, II-3-b).

For each result, in one transaction: the result is stored as a new version (never over another one); when it is
the person's latest for the 年度, the 期割 is made (当初) or re-made (更正) and any new 過誤納 is recorded for the
collection workflow; the 突合 with the calculator is stored with it, and a discrepancy goes on the year's list
(the previous version's entry leaves it). A result older than one already stored is kept as history only.

Checked before anything is applied: the file (layout), the person (in the resident register), and that a stored
result with the same 更正回数 has the same figures (the same file twice is `already-applied`; a second file
repeating a stored result is harmless; one contradicting it is rejected).
"""

from __future__ import annotations

import json
from typing import Any

from functions.assessment.rules.dates import fiscal_year_start
from functions.assessment.rules.results_file import ResultRow, parse_results_file
from functions.assessment.services.inbound import ImportReport, Validated, run_import
from functions.assessment.services.reconciliation import check_levy
from functions.assessment.services.schedules import (
    INSTALMENTS,
    OVERPAYMENTS,
    load_schedule,
    overpayment_records,
    plan,
    schedule_record,
)
from shared.adapters.levies import LevyStore, levy_key
from shared.adapters.persons import PersonRepository
from shared.domain.calendar import date_in_japan
from shared.domain.counterparties import Counterparty
from shared.domain.errors import Conflict
from shared.domain.fixed_width import Reject
from shared.observability import count
from shared.runtime import Runtime

__all__ = ["import_results", "record_result"]

KIND = "assessment-results"
ATTEMPTS = 5  # a schedule changed meanwhile (a payment posted): read again and re-make it


def _validate(rt: Runtime) -> Any:
    def validate(counterparty: Counterparty, content: bytes) -> Validated:
        fiscal_year, parsed = parse_results_file(content, counterparty.encoding)
        persons, levies = rt.repository(PersonRepository), rt.repository(LevyStore)
        rows, rejects = [], list(parsed.rejects)
        for row in parsed.rows:
            if persons.get(row.person_id) is None:
                rejects.append(Reject(row.position, "atena_code", "no person with this 宛名コード"))
                continue
            stored = next((s for s in levies.of_year(row.person_id, fiscal_year) if s["version"] == row.version),
                          None)
            if stored and {k: stored.get(k) for k in row.values()} != row.values():
                rejects.append(Reject(row.position, "version", "this 更正回数 is stored with other figures"))
                continue
            if stored is None:
                rows.append(row)
        return Validated(fiscal_year, rows, sorted(rejects, key=lambda r: r.row), parsed.count)
    return validate


def record_result(rt: Runtime, fiscal_year: int, row: ResultRow, source: str) -> dict[str, int]:
    """Store one result and what follows from it; returns what was written (for the file's summary)."""
    for _ in range(ATTEMPTS):
        written = _try_record(rt, fiscal_year, row, source)
        if written is not None:
            return written
    raise Conflict(f"{row.person_id}: the schedule kept changing while the result was recorded; run the file again",
                   code="schedule-busy")


def _try_record(rt: Runtime, fiscal_year: int, row: ResultRow, source: str) -> dict[str, int] | None:
    levies = rt.repository(LevyStore)
    now = rt.clock()
    latest = levies.latest(row.person_id, fiscal_year)
    start = fiscal_year_start(fiscal_year)
    item = {"person_id": row.person_id, "levy_key": levy_key(fiscal_year, row.version), "fiscal_year": fiscal_year,
            **row.values(), "assessment_date": max(start, row.acquired_on or start).isoformat(), "source": source,
            "received_at": now.isoformat()}
    items, written = [], {"results": 1}
    if latest is not None and latest["version"] > row.version:
        item["check"] = '{"status": "superseded"}'
        items.append(levies.add_item(item))
        written["superseded"] = 1
    else:
        check = check_levy(rt, row.person_id, fiscal_year, item)
        item["check"] = check
        open_year = str(fiscal_year) if check["status"] != "match" else None
        items.append(levies.add_item(_with_check(item, open_year)))
        if latest is not None and latest.get("open_check"):
            items.append(levies.close_item(row.person_id, latest["levy_key"]))
        current, record = load_schedule(rt, row.person_id, fiscal_year)
        schedule = plan(rt, row.person_id, fiscal_year, item, date_in_japan(now), current)
        version = int((record or {}).get("version", 0))
        new = schedule_record(row.person_id, schedule, row.version, version + 1, now.isoformat())
        items.append(rt.records(INSTALMENTS).write_item(new, new["schedule_id"], version))
        already = sum(int(o["amount"]) for o in overpayment_records(rt, row.person_id, fiscal_year))
        if schedule.overpayment > already:
            overpayment = _overpayment(row, fiscal_year, schedule.overpayment - already, now)
            items.append(rt.records(OVERPAYMENTS).write_item(overpayment, overpayment["overpayment_id"], 0))
            written["overpayments"] = 1
        written["checks_" + check["status"]] = 1
    if not rt.transact(items):
        if any(s["version"] == row.version for s in levies.of_year(row.person_id, fiscal_year)):
            return {"results": 0, "already": 1}  # recorded meanwhile by another run of the same file
        return None
    return written


def _with_check(item: dict[str, Any], open_year: str | None) -> dict[str, Any]:
    stored = {**item, "check": json.dumps(item["check"], ensure_ascii=False, sort_keys=True)}
    if open_year:
        stored["open_check"] = open_year
    return stored


def _overpayment(row: ResultRow, fiscal_year: int, amount: int, now: Any) -> dict[str, Any]:
    """A 過誤納 for the collection workflow (domain-rules.md §3.6): what was paid above the new amount."""
    return {"overpayment_id": f"OP-{row.person_id}-{fiscal_year}-{row.version:03d}", "person_id": row.person_id,
            "fiscal_year": fiscal_year, "levy_version": row.version, "amount": amount, "status": "open",
            "reason": f"更正 ({row.values()['reason_name']})", "created_at": now.isoformat()}


def _apply(rt: Runtime) -> Any:
    def apply(fiscal_year: int, rows: list[ResultRow], file_hash: str) -> dict[str, int]:
        summary: dict[str, int] = {}
        for row in sorted(rows, key=lambda r: (r.person_id, r.version)):
            for name, value in record_result(rt, fiscal_year, row, f"{file_hash[:16]}:{row.record_no}").items():
                summary[name] = summary.get(name, 0) + value
        count("AssessmentResultsRecorded", summary.get("results", 0))
        return summary
    return apply


def import_results(rt: Runtime, counterparty: str, content: bytes, staff_id: str = "system") -> ImportReport:
    return run_import(rt, kind=KIND, counterparty_code=counterparty, content=content, staff_id=staff_id,
                      purpose="保険料情報の取込 (PIA-I-1-c)", validate=_validate(rt), apply=_apply(rt))
