"""Builders of 期 and ledgers for the rules' tests (the values are always written out by the test)."""

from __future__ import annotations

from datetime import date

from functions.collection.rules.ledger import OPEN, Entry, EntryKind, Instalment, Ledger, Method


def instalment(number: str, amount: int, due: str, *, method: Method = Method.ORDINARY, period: int = 1,
               status: str = OPEN, person: str = "P0000000001", year: int = 2025) -> Instalment:
    return Instalment(number, person, year, period, date.fromisoformat(due), amount, method, year, status)


def paid(ledger: Ledger, entry_id: str, amount: int, on: str, kind: EntryKind = EntryKind.RECEIPT) -> Ledger:
    day = date.fromisoformat(on)
    return ledger.with_entry(Entry(entry_id, kind, amount, day, day))
