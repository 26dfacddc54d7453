"""Test data written straight into the declared tables, as the assessment workflow would leave it."""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.collection.rules.ledger import OPEN, Instalment, Method
from functions.collection.rules.payment_file import Channel, PaymentRecord, build_payment_file
from functions.collection.services.store import instalments_by_number, slip_number, take_schedules
from shared.runtime import Runtime

TARO, HANAKO = "P0000000001", "P0000000002"


def schedule_id(person: str, year: int) -> str:
    """The `instalments` key as assessment writes it (docs/assessment.md "Contract with collection")."""
    return f"{person}-{year}"


def add_period(rt: Runtime, person: str, period: int, amount: int, due: str, *, year: int = 2025,
               method: Method = Method.ORDINARY, status: str = OPEN, paid: int = 0) -> dict[str, Any]:
    """Add a 期 to the person's schedule of the 年度 as assessment writes it (its key in assessment's naming: `Tmm`
    特別徴収, `Nmm` 普通徴収, by the month due); returns the schedule. Its payment slip waits for the daily run."""
    day = date.fromisoformat(due)
    records = rt.records("instalments")
    schedule = records.get(schedule_id(person, year)) or {
        "schedule_id": schedule_id(person, year), "person_id": person, "fiscal_year": year, "levy_version": 0,
        "annual_premium": 0, "collection_method": method.value, "periods": [], "overpayment": 0,
        "provisional_figures": [], "version": 0}
    key = f"{'T' if method is Method.SPECIAL else 'N'}{day.month:02d}"
    if key in {p["key"] for p in schedule["periods"]}:
        key = f"Z{day:%Y%m}"
    schedule["periods"].append({"key": key, "method": method.value, "stage": "main" if method is Method.SPECIAL
                                else "ordinary", "number": period, "due_date": due, "amount": amount, "paid": paid,
                                "status": status, "levy_year": year})
    schedule["annual_premium"] = sum(p["amount"] for p in schedule["periods"] if p["status"] == OPEN)
    schedule["version"] += 1
    records.put(schedule)
    return schedule


def seed_instalment(rt: Runtime, person: str, period: int, amount: int, due: str, *, year: int = 2025,
                    method: Method = Method.ORDINARY, status: str = OPEN, paid: int = 0) -> Instalment:
    """`add_period`, then take the schedule as the daily run does (payment slips)."""
    schedule = add_period(rt, person, period, amount, due, year=year, method=method, status=status, paid=paid)
    take_schedules(rt, [schedule])
    number = slip_number(schedule["schedule_id"], schedule["periods"][-1]["key"])
    return instalments_by_number(rt, [number])[number]


def payment_file(records: list[tuple[str, str, int, str]], channel: Channel = Channel.CVS_FINAL,
                 created: str = "2025-08-10", funded: str = "2025-08-08") -> bytes:
    """(reference, 納付番号, amount, 収納日) rows as the agent's file."""
    rows = [PaymentRecord(0, ref, pn, date.fromisoformat(on), date.fromisoformat(funded) if channel.final else None,
                          amount) for ref, pn, amount, on in records]
    return build_payment_file(channel, date.fromisoformat(created), "0000054321", "CVS AGENT", rows)


def fix_clock(clock, day: str) -> None:
    """Tests that compute 延滞金 or dates decide the day; the real one would leave the rate table behind."""
    from datetime import UTC, datetime

    clock.now = datetime.fromisoformat(f"{day}T01:00:00").replace(tzinfo=UTC)
