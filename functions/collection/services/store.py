"""Reading and writing the collection records: 期 (periods of assessment's `instalments` schedules, found by
their 納付番号 through `payment-slips`), their ledgers, suspense and over-payments — in batches (design rule 8:
BatchGetItem for reads) and in transactions that hold a ledger, the schedule's `paid` and what the posting
created together, so a posting is all or nothing and a re-run finds it done.

The schedule is assessment's (docs/assessment.md "Contract with collection"): collection writes only each 期's
`paid` (and, when 特別徴収 stops, the 期 that replace it), always at the `version` it read, so a 更正 written
meanwhile refuses the transaction and the 期 are read again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from functions.collection.rules.ids import derived_number
from functions.collection.rules.ledger import Instalment, Ledger
from shared.adapters.dynamo import to_item
from shared.runtime import Runtime

__all__ = ["INSTALMENTS", "LEDGER", "OVERPAYMENTS", "SLIPS", "SUSPENSE", "TRANSACTION_ITEMS", "Unit",
           "instalments_by_number", "instalments_due", "instalments_of", "ledgers_of", "load", "slip_number",
           "take_all_schedules", "take_schedules", "unpaid_ledgers", "write_units"]

INSTALMENTS, LEDGER, OVERPAYMENTS, SUSPENSE = "instalments", "collection-ledger", "overpayments", "suspense-receipts"
SLIPS = "payment-slips"
TRANSACTION_ITEMS = 100  # per TransactWriteItems (DynamoDB and the embedded AWS take 100; TransactGetItems 25)


def slip_number(schedule_id: str, period_key: str) -> str:
    """The 納付番号 of a 期: derived from its schedule and key, so taking a schedule again gives the same one."""
    return derived_number(schedule_id, period_key)


def _periods(schedule: dict[str, Any]) -> Iterator[Instalment]:
    for index, period in enumerate(schedule.get("periods") or []):
        yield Instalment.of_schedule(slip_number(schedule["schedule_id"], period["key"]), schedule, index)


def take_schedules(rt: Runtime, schedules: Iterable[dict[str, Any]]) -> int:
    """Give every 期 of these schedules its payment slip (new 期, or a 納期限, 徴収方法 or status changed by a 更正);
    returns how many slips were written. Reads the slips 100 at a time and writes only what differs."""
    written = 0
    periods = (i for schedule in schedules for i in _periods(schedule))
    while batch := list(islice(periods, 100)):
        stored = rt.records(SLIPS).get_many(i.payment_number for i in batch)
        changed = [i.slip() for i in batch if stored.get(i.payment_number) != i.slip()]
        rt.records(SLIPS).put_many(changed)
        written += len(changed)
    return written


def take_all_schedules(rt: Runtime) -> dict[str, int]:
    """The daily run before the 督促 and 口座振替 runs: every schedule read once (a 更正 or a new 期割 of
    the day gets its slips); 25 schedules at a time, so a chunk's slips are read in a few batched requests."""
    schedules = rt.records(INSTALMENTS).scan_all()
    read = written = 0
    while batch := list(islice(schedules, 25)):
        read += len(batch)
        written += take_schedules(rt, batch)
    return {"schedules": read, "slips_written": written}


def instalments_by_number(rt: Runtime, payment_numbers: Iterable[str]) -> dict[str, Instalment]:
    """The 期 of these 納付番号 as their schedules hold them now (absent: no such slip, or no such 期 any more)."""
    slips = rt.records(SLIPS).get_many(payment_numbers)
    schedules = rt.records(INSTALMENTS).get_many({s["schedule_id"] for s in slips.values()})
    out: dict[str, Instalment] = {}
    for number, slip in slips.items():
        schedule = schedules.get(slip["schedule_id"])
        keys = [p["key"] for p in (schedule or {}).get("periods") or []]
        if schedule is not None and slip["period_key"] in keys:
            out[number] = Instalment.of_schedule(number, schedule, keys.index(slip["period_key"]))
    return out


def load(rt: Runtime, payment_numbers: Iterable[str]) -> dict[str, tuple[Instalment | None, Ledger | None]]:
    """Each 納付番号's 期 and ledger (None where there is none), in three batched reads per 100 numbers."""
    numbers = list(dict.fromkeys(payment_numbers))
    instalments = instalments_by_number(rt, numbers)
    ledgers = rt.records(LEDGER).get_many([n for n in numbers if n in instalments])
    out: dict[str, tuple[Instalment | None, Ledger | None]] = {}
    for number in numbers:
        instalment = instalments.get(number)
        item = ledgers.get(number)
        out[number] = (instalment, Ledger.from_item(item, number, instalment.person_id) if instalment and item
                       else None)
    return out


def unpaid_ledgers(rt: Runtime, fiscal_years: Iterable[int]) -> Iterator[tuple[Instalment, Ledger]]:
    """Every 期 of `fiscal_years` still in the sparse `by-unpaid` index, with its ledger, a year at a time (the
    daily 滞納 extract and the yearly 時効 list read the same index)."""
    for year in fiscal_years:
        items = rt.records(LEDGER).query("by-unpaid", "unpaid_year", str(year))
        instalments = instalments_by_number(rt, (i["payment_number"] for i in items))
        for item in items:
            instalment = instalments.get(item["payment_number"])
            if instalment is not None:
                yield instalment, Ledger.from_item(item, instalment.payment_number, instalment.person_id)


def instalments_of(rt: Runtime, person_id: str) -> list[Instalment]:
    schedules = rt.records(INSTALMENTS).query("by-person", "person_id", person_id)
    return sorted((i for s in schedules for i in _periods(s)), key=lambda i: (i.fiscal_year, i.due_date, i.period))


def instalments_due(rt: Runtime, due: Any, page: int = 100) -> Iterator[Instalment]:
    """The 期 whose 納期限 is `due`, from the slips' index in 納付番号 order, read against their schedules."""
    slips = (s["payment_number"] for s in rt.records(SLIPS).iterate("by-due-date", "due_date", due.isoformat()))
    while batch := list(islice(slips, page)):
        found = instalments_by_number(rt, batch)
        yield from (found[n] for n in batch if n in found and found[n].due_date == due)


def ledgers_of(rt: Runtime, instalments: Sequence[Instalment]) -> dict[str, Ledger]:
    found = rt.records(LEDGER).get_many(i.payment_number for i in instalments)
    return {i.payment_number: Ledger.from_item(found.get(i.payment_number), i.payment_number, i.person_id)
            for i in instalments}


@dataclass
class Unit:
    """What must be written together: a ledger (with the version it was read at) and the records its postings
    created; or a lone record (a suspense receipt); or a decision with the ledgers it changes (`more`)."""

    ledger: Ledger | None = None
    instalment: Instalment | None = None
    creates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (table, new record)
    updates: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)  # (table, record, base version)
    keys: list[str] = field(default_factory=list)  # what it covers (receipts), for a retry
    more: list[tuple[Ledger, Instalment]] = field(default_factory=list)  # further ledgers, each of its 期

    def ledgers(self) -> list[tuple[Ledger, Instalment | None]]:
        return ([(self.ledger, self.instalment)] if self.ledger is not None else []) + list(self.more)

    @property
    def schedule_id(self) -> str:
        return next((i.schedule_id for _, i in self.ledgers() if i is not None), "")

    def paid_changes(self) -> list[tuple[Instalment, int]]:
        """(期, new `paid`) for each 期 whose `paid` this unit changes: the schedule's figure plus what the
        ledger gained since it was read (a 更正 may have lowered the schedule's figure; it stays lowered)."""
        return [(i, i.paid + ledger.paid - ledger.read_paid) for ledger, i in self.ledgers()
                if i is not None and i.schedule_id and ledger.paid != ledger.read_paid]

    def items(self, rt: Runtime) -> list[dict[str, Any]]:
        out = [rt.records(LEDGER).write_item(ledger.to_item(instalment), ledger.payment_number, ledger.version)
               for ledger, instalment in self.ledgers()]
        out += [rt.records(table).write_item(record, "", 0) for table, record in self.creates]
        for table, record, base in self.updates:
            records = rt.records(table)
            out.append(records.write_item(record, record[records.id_field], base))
        return out


def _paid_items(rt: Runtime, units: Sequence[Unit]) -> list[dict[str, Any]]:
    """One update per schedule for every 期 of it these units paid, under the version they read it at."""
    by_schedule: dict[str, dict[int, tuple[Instalment, int]]] = defaultdict(dict)
    for unit in units:
        for instalment, paid in unit.paid_changes():
            by_schedule[instalment.schedule_id][instalment.period_index] = (instalment, paid)
    out = []
    for schedule_id, changes in by_schedule.items():
        version = next(iter(changes.values()))[0].schedule_version
        values: dict[str, Any] = {":v": version, ":n": version + 1}
        sets = ["version = :n"]
        for index, (_, paid) in sorted(changes.items()):
            sets.append(f"#p[{index}].paid = :p{index}")
            values[f":p{index}"] = paid
        out.append({"Update": {"TableName": rt.table_name(INSTALMENTS), "Key": to_item({"schedule_id": schedule_id}),
                               "UpdateExpression": "SET " + ", ".join(sets), "ConditionExpression": "version = :v",
                               "ExpressionAttributeNames": {"#p": "periods"},
                               "ExpressionAttributeValues": to_item(values)}})
    return out


def write_units(rt: Runtime, units: Sequence[Unit]) -> tuple[list[Unit], list[Unit]]:
    """Write units packed into transactions; (written, refused): a refused transaction (someone changed a ledger
    or a schedule meanwhile) writes none of its units, and the caller reads them again and retries. Units of one
    schedule are packed together, and a transaction updates each schedule's `paid` once (it names an item once)."""
    groups: dict[str, list[Unit]] = defaultdict(list)
    for position, unit in enumerate(units):
        groups[unit.schedule_id or f"#{position}"].append(unit)
    written: list[Unit] = []
    refused: list[Unit] = []
    batch: list[Unit] = []
    size = 0
    for group in [*groups.values(), None]:
        items = 0 if group is None else sum(len(u.items(rt)) for u in group) + len({u.schedule_id for u in group})
        if batch and (group is None or size + items > TRANSACTION_ITEMS):
            pending = [i for u in batch for i in u.items(rt)] + _paid_items(rt, batch)
            (written if rt.transact(pending) else refused).extend(batch)
            batch, size = [], 0
        if group is not None:
            batch += group
            size += items
    return written, refused
