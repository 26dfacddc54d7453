"""A person's collection account (issue 14 §8): each 期 levied (調定), what was received and how (収納), what is
outstanding and for how long (arrears, 督促), the 延滞金, and the over-payments with their 充当・還付. For the
counter (collection:read) and the collection officer. Bank account numbers appear only masked."""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.collection.rules.ledger import OPEN, EntryKind, Instalment, Ledger
from functions.collection.rules.offsets import arose_on
from functions.collection.rules.rates import RateNotRecorded
from functions.collection.services.store import OVERPAYMENTS, instalments_of, ledgers_of
from shared.runtime import Runtime

__all__ = ["account_of", "period_view"]


def period_view(instalment: Instalment, ledger: Ledger, today: date) -> dict[str, Any]:
    entries = sorted(ledger.entries.values(), key=lambda e: (e.on, e.entry_id))
    by_kind = {k: sum(e.amount for e in entries if e.kind is k) for k in EntryKind}
    try:
        fee = ledger.late_fee(instalment, today)
        late_fee: dict[str, Any] = {
            "amount": fee.late_fee, "due": ledger.late_fee_due(instalment, today),
            "final": ledger.outstanding(instalment) <= 0, "paid": sum(ledger.late_fee_paid.values()),
            "remitted": sum(ledger.late_fee_remitted.values())}
    except RateNotRecorded as missing:
        late_fee = {"amount": None, "note": missing.detail}
    return {
        "payment_number": instalment.payment_number, "fiscal_year": instalment.fiscal_year,
        "levy_year": instalment.levy_year, "period": instalment.period, "due_date": instalment.due_date.isoformat(),
        "method": instalment.method.value, "status": instalment.status, "amount": instalment.amount,
        "paid": by_kind[EntryKind.RECEIPT] + by_kind[EntryKind.OFFSET], "offset": by_kind[EntryKind.OFFSET],
        "written_off": by_kind[EntryKind.WRITE_OFF],
        "outstanding": ledger.outstanding(instalment) if instalment.collectable else 0,
        "in_arrears": instalment.collectable and ledger.outstanding(instalment) > 0
        and instalment.due_date < today,
        "announced": sum(ledger.provisional.values()), "late_fee": late_fee, "dunning": ledger.dunning,
        "receipts": [{"kind": e.kind.value, "amount": e.amount, "excess": e.excess, "received_on": e.on.isoformat(),
                      "posted_on": e.posted_on.isoformat(), "channel": e.channel} for e in entries],
    }


def account_of(rt: Runtime, person_id: str, today: date) -> dict[str, Any]:
    instalments = instalments_of(rt, person_id)
    ledgers = ledgers_of(rt, instalments)
    periods = [period_view(i, ledgers[i.payment_number], today) for i in instalments]
    overpayments = sorted(rt.records(OVERPAYMENTS).query("by-person", "person_id", person_id),
                          key=arose_on)
    registrations = rt.records("debit-registrations").query("by-person", "person_id", person_id)
    active = [r for r in registrations if r.get("status") == "active"]
    return {
        "person_id": person_id, "as_of": today.isoformat(), "periods": periods,
        "overpayments": [{**{k: o.get(k) for k in ("overpayment_id", "fiscal_year", "amount", "cause", "status",
                                                    "paid_on", "decision")}, "arose_on": arose_on(o)}
                         for o in overpayments],
        "debit_registration": ({k: active[-1].get(k) for k in ("registration_id", "status", "starts_on", "account")}
                               if active else None),
        "totals": {
            "levied": sum(p["amount"] for p in periods if p["status"] == OPEN),
            "paid": sum(p["paid"] for p in periods), "outstanding": sum(p["outstanding"] for p in periods),
            "in_arrears": sum(p["outstanding"] for p in periods if p["in_arrears"]),
            "late_fee_due": sum(p["late_fee"].get("due") or 0 for p in periods),
            "over_payments_open": sum(o["amount"] for o in overpayments if o["status"] in ("open", "decided")),
        },
    }
