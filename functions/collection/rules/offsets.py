"""充当 and 還付 of an over-payment (過誤納金; domain-rules.md §3.6, domain-rules-2.md §4; PIA-I-1-e).

An over-payment first pays what the person owes and is late — unpaid premiums whose 納期限 has passed and their
延滞金 (法第110条 applying 介護保険法第139条; 中野区: 「納期限を過ぎた未納の保険料がある場合は充当」) —, and only
the rest is refunded, with 還付加算金 on the whole (地方税法第17条の4: 加算金 runs to the 充当 day for the part
offset and to the refund decision for the rest; both are the decision day here). Order [P]: the principal of
every overdue 期, oldest 納期限 first, then the 延滞金 of the 期 thereby paid off, oldest first — the principal
before 延滞金, as 地方税 practice applies partial payments. 期 not yet due are not offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from functions.collection.rules.ledger import Entry, EntryKind, Instalment, Ledger, Method
from functions.collection.rules.refund_interest import Cause, RefundInterest, RefundPart, interest_start
from functions.collection.rules.refund_interest import refund_interest as compute_interest

__all__ = ["Offset", "RefundBasis", "RefundPlan", "arose_on", "plan_refund", "refund_basis"]


@dataclass(frozen=True)
class Offset:
    payment_number: str
    principal: int
    late_fee: int

    def as_json(self) -> dict[str, object]:
        return {"payment_number": self.payment_number, "principal": self.principal, "late_fee": self.late_fee}


@dataclass(frozen=True)
class RefundPlan:
    offsets: tuple[Offset, ...]
    refund: int  # of the over-payment, after 充当
    interest: RefundInterest  # 還付加算金, refunded with it

    @property
    def offset_total(self) -> int:
        return sum(o.principal + o.late_fee for o in self.offsets)


def arose_on(record: dict[str, Any]) -> str:
    """The day a 過誤納 arose (ISO): collection's records say it; assessment's (a 更正 decrease) were created then."""
    return str(record.get("arose_on") or str(record["created_at"])[:10])


@dataclass(frozen=True)
class RefundBasis:
    cause: Cause
    paid_on: date
    due: date | None


def refund_basis(record: dict[str, Any], debts: Sequence[tuple[Instalment, Ledger]]) -> RefundBasis:
    """Cause and payment of an over-payment record, for its 還付加算金 起算日. Collection's own records carry them.
    Assessment's (a 更正 decrease, docs/assessment.md) carry neither: the cause is 更正 (第1号) and the payment the
    latest that covered a 期 of that 年度 — refunds come out of the last payments first (地方税法施行令第6条の15
    pattern) —, after that 期's 納期限; with no payment on record, the day the 更正 was recorded."""
    if record.get("paid_on"):
        return RefundBasis(Cause(record.get("cause") or Cause.OVERPAYMENT.value),
                           date.fromisoformat(record["paid_on"]),
                           date.fromisoformat(record["due_date"]) if record.get("due_date") else None)
    paid = [(p.on, i.due_date) for i, ledger in debts if i.fiscal_year == int(record["fiscal_year"])
            for p in ledger.payments()]
    if not paid:
        return RefundBasis(Cause(record.get("cause") or Cause.CORRECTION.value), date.fromisoformat(arose_on(record)),
                           None)
    on, due = max(paid)
    return RefundBasis(Cause(record.get("cause") or Cause.CORRECTION.value), on, due)


def plan_refund(amount: int, cause: Cause, paid_on: date, due: date | None,
                debts: Sequence[tuple[Instalment, Ledger]], on: date) -> RefundPlan:
    """What `amount` yen of over-payment pays (of `debts`: the person's 期 and their ledgers) and what is refunded,
    decided on `on`."""
    overdue = sorted(((i, ledger) for i, ledger in debts
                      if i.method is Method.ORDINARY and i.collectable and i.due_date < on),
                     key=lambda pair: (pair[0].due_date, pair[0].period))
    left = amount
    principal: dict[str, int] = {}
    after: dict[str, Ledger] = {}
    for instalment, ledger in overdue:
        take = min(left, max(ledger.outstanding(instalment), 0))
        if take:
            principal[instalment.payment_number] = take
            left -= take
        entry = Entry("plan", EntryKind.OFFSET, take, on, on)
        after[instalment.payment_number] = ledger.with_entry(entry) if take else ledger
    fees: dict[str, int] = {}
    for instalment, _ in overdue:
        ledger = after[instalment.payment_number]
        if left and ledger.outstanding(instalment) <= 0:
            fee = min(left, ledger.late_fee_due(instalment, on))
            if fee:
                fees[instalment.payment_number] = fee
                left -= fee
    offsets = tuple(Offset(i.payment_number, principal.get(i.payment_number, 0), fees.get(i.payment_number, 0))
                    for i, _ in overdue if principal.get(i.payment_number) or fees.get(i.payment_number))
    interest = compute_interest([RefundPart(amount, interest_start(cause, paid_on, due))], on)
    return RefundPlan(offsets, left, interest)
