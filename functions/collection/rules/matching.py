"""消込: what one payment does to the 期 its 納付番号 names (PIA-I-1-d; PIA-II-3-b 「賦課 vs 収入」).

- unknown 納付番号, or a 期 moved to 普通徴収 → 未確認入金 (suspense), for a collection officer to resolve;
- the same receipt again (a re-imported file, a 確報 after its 速報) → nothing: it is already posted;
- a payment up to the outstanding amount → posted in full (完納 or 一部納付);
- more than outstanding → the outstanding part posted, the rest an over-payment (過納);
- a 期 already paid in full → the whole payment an over-payment (誤納, a duplicate).

Over-payments are 過誤納金: they are offset (充当) or refunded (還付) by decision (`offsets.py`; §3.6). Each yen
of a payment ends in exactly one of: the 期's entries, suspense, or an over-payment record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from typing import Any

from functions.collection.rules.ids import derived_id
from functions.collection.rules.ledger import Entry, EntryKind, Instalment, Ledger
from functions.collection.rules.refund_interest import Cause

__all__ = ["Outcome", "Posting", "Receipt", "note_preliminary", "overpayment_record", "post_receipt", "suspense_record"]


@dataclass(frozen=True)
class Receipt:
    """One payment as a file or a counter reports it."""

    receipt_id: str  # derived from the agent and its reference: the same payment always has the same id
    payment_number: str
    amount: int
    received_on: date  # 収納日
    channel: str  # 収納種別: counter, cvs, debit, pension, window
    source: str  # file hash prefix and record number, or the decision that posted it
    funded_on: date | None = None  # 入金日

    @staticmethod
    def id_for(agent: str, reference: str) -> str:
        return derived_id("RC", agent, reference)


class Outcome(str, Enum):
    POSTED = "posted"  # the 期 took all of it (完納 or 一部)
    OVERPAID = "overpaid"  # part posted, the rest an over-payment
    DUPLICATE = "duplicate"  # the 期 was already paid: all of it an over-payment
    SUSPENSE = "suspense"  # no 期 to post to
    ALREADY_POSTED = "already-posted"  # this receipt is in the ledger already


@dataclass(frozen=True)
class Posting:
    outcome: Outcome
    ledger: Ledger | None  # the ledger to write (None: nothing to write there)
    overpayment: dict[str, Any] | None = None  # a new 過誤納 record
    suspense: dict[str, Any] | None = None  # a new 未確認入金 record
    reason: str = ""


def suspense_record(receipt: Receipt, reason: str, today: date) -> dict[str, Any]:
    return {"receipt_id": receipt.receipt_id, "given_number": receipt.payment_number, "amount": receipt.amount,
            "received_on": receipt.received_on.isoformat(), "channel": receipt.channel, "source": receipt.source,
            "funded_on": receipt.funded_on.isoformat() if receipt.funded_on else None, "reason": reason,
            "status": "open", "arose_on": today.isoformat(), "version": 1}


def overpayment_record(receipt: Receipt, instalment: Instalment, amount: int, cause: Cause,
                       today: date) -> dict[str, Any]:
    return {"overpayment_id": derived_id("OP", receipt.receipt_id), "person_id": instalment.person_id,
            "fiscal_year": instalment.fiscal_year, "payment_number": instalment.payment_number, "amount": amount,
            "cause": cause.value, "paid_on": receipt.received_on.isoformat(),
            "due_date": instalment.due_date.isoformat(), "arose_on": today.isoformat(), "created_at": today.isoformat(),
            "source": "collection",
            "receipt_id": receipt.receipt_id, "status": "open", "version": 1}


def post_receipt(ledger: Ledger | None, instalment: Instalment | None, receipt: Receipt, today: date) -> Posting:
    """What `receipt` does to its 期 (`instalment`, with its `ledger` so far); pure."""
    if instalment is None:
        return Posting(Outcome.SUSPENSE, None, suspense=suspense_record(receipt, "unknown 納付番号", today),
                       reason="unknown 納付番号")
    if not instalment.collectable:
        reason = "the 期 is cancelled (a 更正, or 特別徴収 moved to 普通徴収 with new 納付書)"
        return Posting(Outcome.SUSPENSE, None, suspense=suspense_record(receipt, reason, today), reason=reason)
    ledger = ledger or Ledger(instalment.payment_number, instalment.person_id)
    if receipt.receipt_id in ledger.entries:
        return Posting(Outcome.ALREADY_POSTED, None)
    outstanding = ledger.outstanding(instalment)
    taken = min(receipt.amount, max(outstanding, 0))
    excess = receipt.amount - taken
    overpayment = None
    if excess:
        cause = Cause.DUPLICATE if taken == 0 else Cause.OVERPAYMENT
        overpayment = overpayment_record(receipt, instalment, excess, cause, today)
    entry = Entry(receipt.receipt_id, EntryKind.RECEIPT, taken, receipt.received_on, today, excess,
                  overpayment["overpayment_id"] if overpayment else None, receipt.channel, receipt.source,
                  receipt.funded_on)
    provisional = {k: v for k, v in ledger.provisional.items() if k != receipt.receipt_id}
    updated = replace(ledger, entries={**ledger.entries, entry.entry_id: entry}, provisional=provisional)
    outcome = Outcome.POSTED if not excess else Outcome.DUPLICATE if taken == 0 else Outcome.OVERPAID
    return Posting(outcome, updated, overpayment=overpayment)


def note_preliminary(ledger: Ledger | None, instalment: Instalment | None, receipt: Receipt,
                     cancelled: bool) -> Ledger | None:
    """A コンビニ 速報: shown on the account and kept out of 督促 until its 確報 posts it; a 取消 removes it.
    Nothing is posted (file-layouts §4: the 確報 is the accounting truth). None: nothing to write."""
    if instalment is None or not instalment.collectable:
        return None
    ledger = ledger or Ledger(instalment.payment_number, instalment.person_id)
    if receipt.receipt_id in ledger.entries:
        return None
    provisional = {k: v for k, v in ledger.provisional.items() if k != receipt.receipt_id}
    if not cancelled:
        provisional[receipt.receipt_id] = receipt.amount
    if provisional == ledger.provisional:
        return None
    return replace(ledger, provisional=provisional)
