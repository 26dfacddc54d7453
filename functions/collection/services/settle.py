"""Posting the decisions a checker confirmed (design rule 6; PIA-III-2-l).

A maker-checker confirmation writes the decision record only (the shared mechanism writes one record); what the
decision means for the ledger is posted here, each decision in one transaction with its record's new status,
so it is posted exactly once: a resolved 未確認入金 becomes a payment of its 期 (or an over-payment of its
payer), a 充当・還付 decision pays the 期 and 延滞金 it names and readies the refund, a 不納欠損 writes the 期 off,
a 減免 lowers its 延滞金. Runs every 5 minutes (`collection-settle`), at the start of every collection run, and
on demand (`choju collection-run settle`). A decision that no longer fits the ledger (paid meanwhile) is not
forced: it goes back for a new decision.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

from functions.collection.rules.ids import derived_id
from functions.collection.rules.ledger import Entry, EntryKind, Instalment, Ledger
from functions.collection.rules.matching import Outcome, Receipt, post_receipt
from functions.collection.services.store import OVERPAYMENTS, SUSPENSE, Unit, load, write_units
from shared.adapters.audit_log import AuditEvent
from shared.domain.calendar import date_in_japan
from shared.observability import count
from shared.runtime import Runtime

__all__ = ["DECISIONS", "settle"]

DECISIONS = "collection-decisions"
MAX_ATTEMPTS = 5


def settle(rt: Runtime, today: date | None = None) -> dict[str, int]:
    """Post every confirmed decision not yet posted; returns counts by outcome."""
    today = today or date_in_japan(rt.clock())
    counts: Counter[str] = Counter()
    for table, status, post in ((SUSPENSE, "resolved", _suspense), (OVERPAYMENTS, "decided", _refund_decision),
                                (DECISIONS, "decided", _decision)):
        for record in rt.records(table).query("by-status", "status", status):
            for _ in range(MAX_ATTEMPTS):
                fresh = rt.records(table).get(record[rt.records(table).id_field])
                if not fresh or fresh.get("status") != status:
                    break
                unit, outcome = post(rt, fresh, today)
                written, _ = write_units(rt, [unit])
                if written:
                    counts[outcome] += 1
                    _audit(rt, table, fresh, outcome)
                    if table == OVERPAYMENTS and outcome.startswith("refund-decision-") and "stale" not in outcome:
                        _notice(rt, fresh, outcome.removeprefix("refund-decision-"), today)
                    break
    count("DecisionsPosted", sum(counts.values()))
    return dict(counts)


def _updated(rt: Runtime, record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**record, **changes, "version": int(record["version"]) + 1, "updated_at": rt.clock().isoformat()}


def _update(table: str, rt: Runtime, record: dict[str, Any], **changes: Any) -> tuple[str, dict[str, Any], int]:
    return table, _updated(rt, record, **changes), int(record["version"])


def _suspense(rt: Runtime, record: dict[str, Any], today: date) -> tuple[Unit, str]:
    """A resolved 未確認入金: posted to the 期 it was resolved to, or made an over-payment of its payer."""
    posted = {"status": "posted", "posted_on": today.isoformat()}
    if record.get("to_overpayment"):
        overpayment = {"overpayment_id": derived_id("OP", record["receipt_id"]), "person_id": record["person_id"],
                       "fiscal_year": _fiscal_year(date.fromisoformat(record["received_on"])),
                       "amount": int(record["amount"]), "cause": "over-payment", "paid_on": record["received_on"],
                       "arose_on": today.isoformat(), "created_at": today.isoformat(), "source": "suspense",
                       "receipt_id": record["receipt_id"],
                       "status": "open", "version": 1}
        return Unit(creates=[(OVERPAYMENTS, overpayment)], updates=[_update(SUSPENSE, rt, record, **posted)]), \
            "suspense-to-overpayment"
    number = record["payment_number"]
    instalment, ledger = load(rt, [number])[number]
    receipt = Receipt(record["receipt_id"], number, int(record["amount"]), date.fromisoformat(record["received_on"]),
                      record.get("channel", "unknown"), f"resolution:{record['receipt_id']}",
                      date.fromisoformat(record["funded_on"]) if record.get("funded_on") else None)
    posting = post_receipt(ledger, instalment, receipt, today)
    if posting.outcome is Outcome.SUSPENSE:
        return Unit(updates=[_update(SUSPENSE, rt, record, status="open", reason=f"resolution: {posting.reason}")]), \
            "suspense-reopened"
    unit = Unit(instalment=instalment, updates=[_update(SUSPENSE, rt, record, **posted)])
    if posting.ledger is not None:
        unit.ledger = posting.ledger
        unit.creates = [(OVERPAYMENTS, posting.overpayment)] if posting.overpayment else []
    return unit, f"suspense-{posting.outcome.value}"


def _fiscal_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _refund_decision(rt: Runtime, record: dict[str, Any], today: date) -> tuple[Unit, str]:
    """充当 as decided, then the refund readied (or awaiting the person's account), in one transaction."""
    decision = record["decision"]
    on = date.fromisoformat(decision["decided_on"])
    offsets = decision.get("offsets", [])
    state = load(rt, [o["payment_number"] for o in offsets])
    entry_id = record["overpayment_id"]
    ledgers: list[tuple[Ledger, Instalment]] = []
    for offset in offsets:
        instalment, ledger = state[offset["payment_number"]]
        if instalment is None:
            continue
        ledger = ledger or Ledger(instalment.payment_number, instalment.person_id)
        if offset["principal"] > ledger.outstanding(instalment):
            stale = _update(OVERPAYMENTS, rt, record, status="needs-new-decision",
                            note=f"{instalment.payment_number} was paid after the decision was proposed")
            return Unit(updates=[stale]), "refund-decision-stale"
        if offset["principal"]:
            ledger = ledger.with_entry(Entry(entry_id, EntryKind.OFFSET, offset["principal"], on, today,
                                             source=f"decision:{entry_id}"))
        if offset["late_fee"]:
            ledger = replace(ledger, late_fee_paid={**ledger.late_fee_paid, entry_id: offset["late_fee"]})
        ledgers.append((ledger, instalment))
    payable = int(decision["refund"]) + int(decision["interest"])
    status = "offset" if not payable else "refund-ready" if decision.get("account_ref") else "refund-awaiting-account"
    own = _update(OVERPAYMENTS, rt, record, status=status, settled_on=today.isoformat())
    return Unit(updates=[own], more=ledgers), f"refund-decision-{status}"


def _notice(rt: Runtime, record: dict[str, Any], status: str, today: date) -> None:
    """充当通知 / 還付通知 data for the printing of notices (design rule 11), one object per decision."""
    decision = record["decision"]
    body = {"notice": "還付通知" if int(decision["refund"]) + int(decision["interest"]) else "充当通知",
            "overpayment_id": record["overpayment_id"], "person_id": record["person_id"], "amount": record["amount"],
            "offsets": decision.get("offsets", []), "refund": decision["refund"], "interest": decision["interest"],
            "account": decision["account"], "decided_on": decision["decided_on"], "status": status}
    rt.objects("exchange").put(f"notices/refund/{today:%Y%m%d}/{record['overpayment_id']}.json",
                               json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json")


def _decision(rt: Runtime, record: dict[str, Any], today: date) -> tuple[Unit, str]:
    """不納欠損 or 延滞金 減免 of one 期."""
    number = record["payment_number"]
    instalment, ledger = load(rt, [number])[number]
    if instalment is None:
        return Unit(updates=[_update(DECISIONS, rt, record, status="void", note="no such 期")]), "void"
    ledger = ledger or Ledger(number, instalment.person_id)
    if record["kind"] == "write-off":
        left = ledger.outstanding(instalment)
        if left <= 0:
            return Unit(updates=[_update(DECISIONS, rt, record, status="void", note="paid meanwhile")]), "void"
        ledger = ledger.with_entry(Entry(record["decision_id"], EntryKind.WRITE_OFF, left, today, today,
                                         source=f"decision:{record['decision_id']}"))
        outcome = "written-off"
    else:
        ledger = replace(ledger, late_fee_remitted={**ledger.late_fee_remitted,
                                                    record["decision_id"]: int(record["amount"])})
        outcome = "late-fee-remitted"
    return Unit(ledger=ledger, instalment=instalment,
                updates=[_update(DECISIONS, rt, record, status="posted", posted_on=today.isoformat())]), outcome


def _audit(rt: Runtime, table: str, record: dict[str, Any], outcome: str) -> None:
    identifier = record[rt.records(table).id_field]
    rt.audit.append(AuditEvent("system", f"collection.post.{outcome}", "success",
                               target=record.get("person_id") or identifier, purpose="確定した決定の反映",
                               detail={"decision": identifier, "table": table}))
