"""Test data written straight into the declared tables, as the assessment workflow would leave it."""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.collection.rules.ledger import Instalment, Method
from functions.collection.rules.payment_file import Channel, PaymentRecord, build_payment_file
from shared.runtime import Runtime

TARO, HANAKO = "P0000000001", "P0000000002"


def number(person: str, year: int, period: int) -> str:
    """A 納付番号 for the tests: the person's digits, the year and the 期 (16 digits)."""
    return f"{person[-6:]}{year}{period:02d}0000"[:16].ljust(16, "0")


def seed_instalment(rt: Runtime, person: str, period: int, amount: int, due: str, *, year: int = 2025,
                    method: Method = Method.ORDINARY, **extra: Any) -> Instalment:
    instalment = Instalment(number(person, year, period), person, year, period, date.fromisoformat(due), amount,
                            method, year)
    rt.records("instalments").put(instalment.to_record(origin="assessment", **extra))
    return instalment


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
