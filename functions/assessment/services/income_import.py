"""Apply a 所得・課税情報 file from the 市民税課 (PIA-I-1-c, II-3-a, II-3-b; design rules 8, 9).

Every record is checked against the layout and against the resident register (a 宛名コード the city does not
hold is a reject) before anything is written. A record replaces the person's figures for that 年度 whole: the
市民税課 sends the figures as they now stand, with a 更正 of the 住民税 as a new file. Each record keeps the file
and record it came from.
"""

from __future__ import annotations

from typing import Any

from functions.assessment.rules.income_file import IncomeRow, parse_income_file
from functions.assessment.services.inbound import ImportReport, Validated, run_import
from shared.adapters.persons import PersonRepository
from shared.domain.counterparties import Counterparty
from shared.domain.fixed_width import Reject
from shared.observability import count
from shared.runtime import Runtime

__all__ = ["import_income", "income_id"]

KIND = "income-records"


def income_id(person_id: str, fiscal_year: int) -> str:
    return f"{person_id}-{fiscal_year}"


def _validate(rt: Runtime) -> Any:
    def validate(counterparty: Counterparty, content: bytes) -> Validated:
        fiscal_year, parsed = parse_income_file(content, counterparty.encoding)
        persons = rt.repository(PersonRepository)
        rows, rejects = [], list(parsed.rejects)
        for row in parsed.rows:
            if persons.get(row.person_id) is None:
                rejects.append(Reject(row.position, "atena_code", "no person with this 宛名コード"))
            else:
                rows.append(row)
        return Validated(fiscal_year, rows, sorted(rejects, key=lambda r: r.row), parsed.count)
    return validate


def _apply(rt: Runtime) -> Any:
    def apply(fiscal_year: int, rows: list[IncomeRow], file_hash: str) -> dict[str, int]:
        table = rt.records(KIND)
        for row in rows:
            key = income_id(row.person_id, fiscal_year)
            current = table.get(key)
            table.put({"income_id": key, "person_id": row.person_id, "fiscal_year": fiscal_year,
                       "undeclared": row.undeclared, "resident_tax": row.resident_tax, **row.amounts,
                       "source": f"{file_hash[:16]}:{row.record_no}", "received_at": rt.clock().isoformat(),
                       "version": int((current or {}).get("version", 0)) + 1})
        count("IncomeRecordsImported", len(rows))
        return {"income_records": len(rows)}
    return apply


def import_income(rt: Runtime, counterparty: str, content: bytes, staff_id: str = "system") -> ImportReport:
    return run_import(rt, kind=KIND, counterparty_code=counterparty, content=content, staff_id=staff_id,
                      purpose="所得・課税情報の取込 (PIA-I-1-c)", validate=_validate(rt), apply=_apply(rt))
