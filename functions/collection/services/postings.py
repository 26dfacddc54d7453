"""Posting payments (消込) at scale: a chunk of receipts is matched against its 期 with batched reads and written
in transactions, so a chunk of 1,000 payments costs about 60 requests (design rule 8; issue 14 "Scale").

What each payment does is `rules/matching.py`. Here: read the 期 and ledgers of the whole chunk (and which of its
payments already sit in suspense), apply every payment of a 期 in turn to that 期's ledger, then write each 期's
ledger together with the over-payments it created, under the version it was read at. When someone else changed
a ledger meanwhile (a counter posting, a confirmed decision), that transaction writes nothing, its 期 are read
again and their payments applied again: nothing is lost or doubled. A payment already in its ledger, or already in
suspense, is not posted again (a re-imported file, a resumed chunk).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from functions.collection.rules.ledger import Ledger
from functions.collection.rules.matching import Outcome, Receipt, note_preliminary, post_receipt
from functions.collection.services.store import OVERPAYMENTS, SUSPENSE, Unit, load, write_units
from shared.runtime import Runtime

__all__ = ["MAX_ATTEMPTS", "ChunkReport", "note_preliminaries", "post_receipts"]

MAX_ATTEMPTS = 5
MAX_RECEIPTS_PER_UNIT = 20  # a ledger and its over-payments must fit one transaction


@dataclass
class ChunkReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    amounts: Counter[str] = field(default_factory=Counter)  # yen by where it went: posted, over-paid, suspense
    overpayments: list[str] = field(default_factory=list)
    suspense: list[str] = field(default_factory=list)
    lines: list[dict[str, object]] = field(default_factory=list)  # what was posted, for the daily 収納 extract

    def add(self, other: ChunkReport) -> None:
        self.outcomes.update(other.outcomes)
        self.amounts.update(other.amounts)
        self.overpayments += other.overpayments
        self.suspense += other.suspense
        self.lines += other.lines

    def totals(self) -> dict[str, int]:
        return {**{f"payments_{k}": v for k, v in self.outcomes.items()},
                **{f"yen_{k}": v for k, v in self.amounts.items()}}


def post_receipts(rt: Runtime, receipts: Sequence[Receipt], today: date) -> ChunkReport:
    """Post a chunk of payments; a 期 whose ledger changed under it is read again and retried."""
    report = ChunkReport()
    pending = list(receipts)
    for _ in range(MAX_ATTEMPTS):
        if not pending:
            return report
        planned, deferred = _plan(rt, pending, today, report)
        written, refused = write_units(rt, [unit for unit, _ in planned])
        done = {id(unit) for unit in written}
        for unit, delta in planned:
            if id(unit) in done:
                report.add(delta)
        retry = {key for unit in refused for key in unit.keys}
        pending = [r for r in pending if r.receipt_id in retry] + deferred
    raise RuntimeError(f"{len(pending)} payments could not be posted after {MAX_ATTEMPTS} attempts")


def _plan(rt: Runtime, receipts: Sequence[Receipt], today: date,
          report: ChunkReport) -> tuple[list[tuple[Unit, ChunkReport]], list[Receipt]]:
    """The units to write, each with what it will have done once written; payments already posted are counted
    in `report` at once (nothing to write)."""
    state = load(rt, (r.payment_number for r in receipts))
    unpostable = [r.receipt_id for r in receipts
                  if (state[r.payment_number][0] is None or not state[r.payment_number][0].collectable)]
    in_suspense = set(rt.records(SUSPENSE).get_many(unpostable)) if unpostable else set()
    by_number: dict[str, list[Receipt]] = defaultdict(list)
    for receipt in receipts:
        by_number[receipt.payment_number].append(receipt)
    planned: list[tuple[Unit, ChunkReport]] = []
    deferred: list[Receipt] = []
    for number, group in by_number.items():
        instalment, ledger = state[number]
        unit, delta = Unit(instalment=instalment), ChunkReport()
        current = ledger
        for position, receipt in enumerate(group):
            if position >= MAX_RECEIPTS_PER_UNIT:
                deferred.append(receipt)
                continue
            posting = post_receipt(current, instalment, receipt, today)
            if receipt.receipt_id in in_suspense or posting.outcome is Outcome.ALREADY_POSTED:
                report.outcomes[Outcome.ALREADY_POSTED.value] += 1
                continue
            if posting.suspense:
                alone = ChunkReport(Counter({posting.outcome.value: 1}), Counter({"suspense": receipt.amount}),
                                    suspense=[receipt.receipt_id])
                planned.append((Unit(creates=[(SUSPENSE, posting.suspense)], keys=[receipt.receipt_id]), alone))
                continue
            assert posting.ledger is not None and instalment is not None
            current = posting.ledger
            unit.keys.append(receipt.receipt_id)
            entry = current.entries[receipt.receipt_id]
            delta.outcomes[posting.outcome.value] += 1
            delta.amounts["posted"] += entry.amount
            delta.lines.append({"person_id": instalment.person_id, "payment_number": number,
                                "fiscal_year": instalment.fiscal_year, "period": instalment.period,
                                "received_on": receipt.received_on.isoformat(), "amount": entry.amount,
                                "excess": entry.excess, "channel": receipt.channel})
            if posting.overpayment:
                unit.creates.append((OVERPAYMENTS, posting.overpayment))
                delta.amounts["over-paid"] += posting.overpayment["amount"]
                delta.overpayments.append(posting.overpayment["overpayment_id"])
        if current is not None and current is not ledger:
            unit.ledger = replace(current, version=ledger.version if ledger else 0)
            planned.append((unit, delta))
    return planned, deferred


def note_preliminaries(rt: Runtime, receipts: Sequence[tuple[Receipt, bool]]) -> int:
    """コンビニ 速報: mark (or, for a 取消, unmark) each payment on its 期 without posting it. Returns how many
    ledgers changed."""
    changed = 0
    pending = list(receipts)
    for _ in range(MAX_ATTEMPTS):
        if not pending:
            return changed
        state = load(rt, (r.payment_number for r, _ in pending))
        grouped: dict[str, tuple[Ledger | None, int]] = {}
        units: dict[str, Unit] = {}
        for receipt, cancelled in pending:
            instalment, ledger = state[receipt.payment_number]
            current, version = grouped.get(receipt.payment_number, (ledger, ledger.version if ledger else 0))
            noted = note_preliminary(current, instalment, receipt, cancelled)
            if noted is None:
                continue
            grouped[receipt.payment_number] = (noted, version)
            unit = units.setdefault(receipt.payment_number, Unit(instalment=instalment))
            unit.ledger = replace(noted, version=version)
            unit.keys.append(receipt.receipt_id)
        written, refused = write_units(rt, list(units.values()))
        changed += len(written)
        retry = {k for u in refused for k in u.keys}
        pending = [(r, c) for r, c in pending if r.receipt_id in retry]
    raise RuntimeError("速報 could not be noted: ledgers kept changing")

