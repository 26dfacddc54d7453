"""Reading and writing the collection records: 期 (the declared `instalments`), their ledgers, suspense and
over-payments — in batches (design rule 8: BatchGetItem for reads) and in transactions that hold a ledger and
what its posting created together, so a posting is all or nothing and a re-run finds it done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from functions.collection.rules.ledger import Instalment, Ledger
from shared.runtime import Runtime

__all__ = ["INSTALMENTS", "LEDGER", "OVERPAYMENTS", "SUSPENSE", "TRANSACTION_ITEMS", "Unit", "instalments_of",
           "ledgers_of", "load", "write_units"]

INSTALMENTS, LEDGER, OVERPAYMENTS, SUSPENSE = "instalments", "collection-ledger", "overpayments", "suspense-receipts"
TRANSACTION_ITEMS = 25  # per TransactWriteItems (DynamoDB takes 100; the embedded AWS of local mode takes 25)


def load(rt: Runtime, payment_numbers: Iterable[str]) -> dict[str, tuple[Instalment | None, Ledger | None]]:
    """Each 納付番号's 期 and ledger (None where there is none), in two batched reads per 100 numbers."""
    numbers = list(dict.fromkeys(payment_numbers))
    instalments = rt.records(INSTALMENTS).get_many(numbers)
    ledgers = rt.records(LEDGER).get_many([n for n in numbers if n in instalments])
    out: dict[str, tuple[Instalment | None, Ledger | None]] = {}
    for number in numbers:
        record = instalments.get(number)
        instalment = Instalment.from_record(record) if record else None
        item = ledgers.get(number)
        out[number] = (instalment, Ledger.from_item(item, number, instalment.person_id) if instalment and item
                       else None)
    return out


def instalments_of(rt: Runtime, person_id: str) -> list[Instalment]:
    records = rt.records(INSTALMENTS).query("by-person", "person_id", person_id)
    return sorted((Instalment.from_record(r) for r in records), key=lambda i: (i.fiscal_year, i.period))


def ledgers_of(rt: Runtime, instalments: Sequence[Instalment]) -> dict[str, Ledger]:
    found = rt.records(LEDGER).get_many(i.payment_number for i in instalments)
    return {i.payment_number: Ledger.from_item(found.get(i.payment_number), i.payment_number, i.person_id)
            for i in instalments}


@dataclass
class Unit:
    """What must be written together: a ledger (with the version it was read at) and the records its postings
    created; or a lone record (a suspense receipt)."""

    ledger: Ledger | None = None
    instalment: Instalment | None = None
    creates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (table, new record)
    updates: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)  # (table, record, base version)
    keys: list[str] = field(default_factory=list)  # what it covers (receipts), for a retry

    def items(self, rt: Runtime) -> list[dict[str, Any]]:
        out = []
        if self.ledger is not None:
            out.append(rt.records(LEDGER).write_item(self.ledger.to_item(self.instalment), self.ledger.payment_number,
                                                     self.ledger.version))
        out += [rt.records(table).write_item(record, "", 0) for table, record in self.creates]
        for table, record, base in self.updates:
            records = rt.records(table)
            out.append(records.write_item(record, record[records.id_field], base))
        return out


def write_units(rt: Runtime, units: Sequence[Unit]) -> tuple[list[Unit], list[Unit]]:
    """Write units packed into transactions; (written, refused): a refused transaction (someone changed a ledger
    meanwhile) writes none of its units, and the caller reads them again and retries."""
    written: list[Unit] = []
    refused: list[Unit] = []
    batch: list[Unit] = []
    pending: list[dict[str, Any]] = []
    for unit in [*units, None]:
        items = unit.items(rt) if unit is not None else []
        if batch and (unit is None or len(pending) + len(items) > TRANSACTION_ITEMS):
            (written if rt.transact(pending) else refused).extend(batch)
            batch, pending = [], []
        if unit is not None:
            batch.append(unit)
            pending += items
    return written, refused
