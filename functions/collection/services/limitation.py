"""時効 and 不納欠損 (法第160条; `rules/limitation.py`), and 延滞金 減免 — decisions on one 期, through
maker-checker, posted by the settle step.

The yearly run (and `GET /collection/write-off-candidates`) lists every unpaid 期 whose collection right has
lapsed by the given day, with what renewed it last (督促, a partial payment), and the over-payments whose refund
claim has lapsed (民法第703条 要綱 may still return them: domain-rules §3.6). A collection officer proposes the
不納欠損 of a listed 期; a checker confirms it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.collection.rules.ledger import EntryKind, Instalment, Ledger
from functions.collection.rules.limitation import lapse_day, limitation_start
from functions.collection.rules.offsets import arose_on
from functions.collection.rules.periods import DAY
from functions.collection.rules.policy import policy
from functions.collection.services.store import OVERPAYMENTS, load, unpaid_ledgers
from functions.collection.workflow import LATE_FEE_REMISSION, WRITE_OFF
from shared.domain.changes import ChangeRequest, Operation
from shared.domain.errors import Conflict, Invalid, NotFound
from shared.protection.changes import ChangeService
from shared.runtime import Runtime

__all__ = ["lapse_of", "propose_remission", "propose_write_off", "write_off_candidates"]

OLDEST_YEARS = 12  # fiscal years looked back (the system keeps the records of 後期 since 2008)


def lapse_of(instalment: Instalment, ledger: Ledger) -> tuple[date, str]:
    """The day the 期's collection right lapses, and what its period runs from."""
    deadline = date.fromisoformat(ledger.dunning["deadline"]) if ledger.dunning else None
    payments = [e.on for e in ledger.entries.values() if e.kind is EntryKind.RECEIPT and e.amount > 0]
    start = limitation_start(instalment.due_date, deadline, payments)
    renewed = ("partial payment" if payments and start == max(payments) + DAY
               else "督促" if deadline and start == deadline + DAY else "納期限")
    return lapse_day(start, policy().limitation.premium_years), renewed


def write_off_candidates(rt: Runtime, as_of: date) -> dict[str, Any]:
    periods = []
    for instalment, ledger in unpaid_ledgers(rt, range(as_of.year - OLDEST_YEARS, as_of.year)):
        left = ledger.outstanding(instalment)
        lapses, renewed = lapse_of(instalment, ledger)
        if instalment.collectable and left > 0 and lapses <= as_of:
            periods.append({"payment_number": instalment.payment_number, "person_id": instalment.person_id,
                            "fiscal_year": instalment.fiscal_year, "period": instalment.period,
                            "due_date": instalment.due_date.isoformat(), "outstanding": left,
                            "lapsed_on": lapses.isoformat(), "period_from": renewed})
    claims = []
    for status in ("open", "refund-awaiting-account"):
        for record in rt.records(OVERPAYMENTS).query("by-status", "status", status):
            lapses = lapse_day(date.fromisoformat(arose_on(record)) + DAY, policy().limitation.refund_years)
            if lapses <= as_of:
                claims.append({"overpayment_id": record["overpayment_id"], "person_id": record["person_id"],
                               "amount": record["amount"], "lapsed_on": lapses.isoformat()})
    return {"as_of": as_of.isoformat(), "periods": periods, "total": sum(p["outstanding"] for p in periods),
            "refund_claims_lapsed": claims}


def propose_write_off(rt: Runtime, changes: ChangeService, *, maker: str, payment_number: str, reason: str,
                      request_id: str, as_of: date) -> ChangeRequest:
    instalment, ledger = load(rt, [payment_number])[payment_number]
    if instalment is None:
        raise NotFound("there is no 期 with that 納付番号")
    ledger = ledger or Ledger(payment_number, instalment.person_id)
    left = ledger.outstanding(instalment)
    lapses, _ = lapse_of(instalment, ledger)
    if left <= 0 or lapses > as_of:
        raise Conflict(f"{payment_number} has not lapsed (lapses {lapses.isoformat()}, outstanding {left})",
                       code="not-lapsed")
    values = {"kind": "write-off", "person_id": instalment.person_id, "payment_number": payment_number,
              "amount": left, "lapsed_on": lapses.isoformat(), "status": "decided", "reason": reason}
    return changes.propose(maker=maker, operation=Operation.CREATE, person_id=None, values=values,
                           reason=f"不納欠損 (法第160条): {reason}"[:500], request_id=request_id, kind=WRITE_OFF)


def propose_remission(rt: Runtime, changes: ChangeService, *, maker: str, payment_number: str, amount: int,
                      reason: str, request_id: str, today: date) -> ChangeRequest:
    instalment, ledger = load(rt, [payment_number])[payment_number]
    if instalment is None:
        raise NotFound("there is no 期 with that 納付番号")
    ledger = ledger or Ledger(payment_number, instalment.person_id)
    due = ledger.late_fee_due(instalment, today)
    if amount > due:
        raise Invalid(f"the 延滞金 due on {payment_number} is {due}円; a 減免 cannot exceed it",
                      code="remission-exceeds-late-fee")
    values = {"kind": "late-fee-remission", "person_id": instalment.person_id, "payment_number": payment_number,
              "amount": amount, "status": "decided", "reason": reason}
    return changes.propose(maker=maker, operation=Operation.CREATE, person_id=None, values=values,
                           reason=f"延滞金減免: {reason}"[:500], request_id=request_id, kind=LATE_FEE_REMISSION)
