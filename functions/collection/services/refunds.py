"""過誤納金: the 充当・還付 decision, and the bank file that pays the refunds (PIA-I-1-e; domain-rules §3.6).

A collection officer asks for the decision of an over-payment; the service works it out (`rules/offsets.py`:
overdue premiums and their 延滞金 first, the rest refunded with 還付加算金 to the decision day) and the account it
goes to — the person's 公金受取口座 where registered and reachable, else the account the person names, else none
yet (a 還付通知 asks for a 還付請求書) — and proposes it for a checker (maker-checker). Once confirmed, the settle
step posts the 充当 and readies the refund. The refund file (全銀 総合振込) pays every ready refund; each refund
is marked paid with the file's key before the file is written, so a re-run can never pay it twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from functions.collection.rules.bank_account import parse_bank_account
from functions.collection.rules.offsets import plan_refund, refund_basis
from functions.collection.rules.policy import bank_config
from functions.collection.rules.zengin import FileHeader, TransferItem, build_transfer_file
from functions.collection.services.bank_accounts import accounts_by_ref, store_account
from functions.collection.services.public_accounts import public_funds_accounts
from functions.collection.services.store import OVERPAYMENTS, instalments_of, ledgers_of
from functions.collection.workflow import REFUND_DECISION
from shared.adapters.audit_log import AuditEvent
from shared.domain.changes import ChangeRequest, Operation
from shared.domain.errors import Conflict, Invalid, NotFound
from shared.protection.changes import ChangeService
from shared.runtime import Runtime

__all__ = ["RefundFile", "propose_decision", "write_refund_file"]

DECIDABLE = ("open", "needs-new-decision", "refund-awaiting-account")


def propose_decision(rt: Runtime, changes: ChangeService, *, maker: str, overpayment_id: str, account: str,
                     bank: dict[str, Any] | None, reason: str, request_id: str, today: date) -> ChangeRequest:
    record = rt.records(OVERPAYMENTS).get(overpayment_id)
    if record is None:
        raise NotFound("there is no such over-payment")
    if record.get("status") not in DECIDABLE:
        raise Conflict(f"the over-payment is {record.get('status')}", code="overpayment-not-open")
    person = record["person_id"]
    if record["status"] == "refund-awaiting-account":  # 充当 posted already: only the account is decided now
        decision = {**record["decision"], "offsets": [], "posted_offsets": record["decision"].get("offsets", [])}
    else:
        debts = instalments_of(rt, person)
        ledgers = ledgers_of(rt, debts)
        pairs = [(i, ledgers[i.payment_number]) for i in debts]
        basis = refund_basis(record, pairs)
        plan = plan_refund(int(record["amount"]), basis.cause, basis.paid_on, basis.due, pairs, today)
        decision = {"decided_on": today.isoformat(), "offsets": [o.as_json() for o in plan.offsets],
                    "refund": plan.refund, "interest": plan.interest.interest,
                    "interest_periods": [p.as_json() for p in plan.interest.periods]}
    decision.update(_account(rt, person, account, bank, decision["refund"] + decision["interest"], maker))
    return changes.propose(maker=maker, operation=Operation.UPDATE, person_id=overpayment_id,
                           values={"status": "decided", "decision": decision}, reason=reason[:500],
                           request_id=request_id, kind=REFUND_DECISION)


def _account(rt: Runtime, person: str, account: str, bank: dict[str, Any] | None, payable: int,
             staff: str) -> dict[str, Any]:
    """Where the refund goes; only a reference and a masked summary enter the decision."""
    if not payable:
        return {"account": "none", "account_ref": None}
    if account == "public-funds":
        found = public_funds_accounts(rt).lookup(person)
        if found is None:
            raise Conflict("the person has no registered 公金受取口座; name an account", code="no-public-funds-account")
        return {"account": account, "account_ref": store_account(rt, person, found, "public-funds", staff),
                "account_summary": found.summary()}
    if account == "named":
        if not bank:
            raise Invalid("a named account needs its bank details", code="bank-details-required")
        parsed = parse_bank_account(bank)
        return {"account": account, "account_ref": store_account(rt, person, parsed, "named", staff),
                "account_summary": parsed.summary()}
    return {"account": "awaiting", "account_ref": None}


@dataclass
class RefundFile:
    key: str | None = None
    refunds: int = 0
    total: int = 0
    ids: list[str] = field(default_factory=list)


def write_refund_file(rt: Runtime, transfer_on: date, today: date, staff_id: str = "system") -> RefundFile:
    """Every ready refund in one 総合振込 file for `transfer_on` (a bank business day). Refunds are marked paid with
    the file's key first; a file that a stopped run marked but did not write is written by the next run."""
    table = rt.records(OVERPAYMENTS)
    _write_missing_files(rt, today)
    ready = sorted(table.query("by-status", "status", "refund-ready"), key=lambda r: r["overpayment_id"])
    if not ready:
        return RefundFile()
    digest = hashlib.sha256("|".join(r["overpayment_id"] for r in ready).encode()).hexdigest()[:12]
    key = f"outbound/{bank_config().counterparty}/{today:%Y%m%d}/refund-{transfer_on:%Y%m%d}-{digest}.dat"
    marked = []
    for record in ready:  # one by one under their versions: a record someone changed meanwhile is left out
        paid = {**record, "status": "refunded", "refund_file": key, "refunded_on": transfer_on.isoformat(),
                "version": int(record["version"]) + 1, "updated_at": rt.clock().isoformat()}
        if rt.transact([table.write_item(paid, record["overpayment_id"], int(record["version"]))]):
            marked.append(paid)
    result = _build_file(rt, key, marked, transfer_on)
    rt.audit.append(AuditEvent(staff_id, "collection.refund-file", "success", target=f"file:{digest}",
                               purpose="過誤納金の還付 (PIA-I-1-e)",
                               detail={"refunds": str(result.refunds), "total": str(result.total),
                                       "transfer_on": transfer_on.isoformat()}))
    return result


def _build_file(rt: Runtime, key: str, records: list[dict[str, Any]], transfer_on: date) -> RefundFile:
    config = bank_config()
    accounts = accounts_by_ref(rt, [r["decision"]["account_ref"] for r in records])
    items = []
    for record in records:
        account = accounts[record["decision"]["account_ref"]]
        items.append(TransferItem(account.bank_code, account.branch_code, account.account_type,
                                  account.account_number, account.holder_kana,
                                  int(record["decision"]["refund"]) + int(record["decision"]["interest"]),
                                  record["overpayment_id"][:10], record["overpayment_id"][10:20]))
    header = FileHeader(config.transfer_requester_code, config.consignor_name, transfer_on, config.bank_code,
                        config.bank_name, config.branch_code, config.branch_name, config.account_type,
                        config.account_number)
    rt.objects("exchange").put(key, build_transfer_file(header, items, crlf=config.crlf), "application/octet-stream")
    return RefundFile(key, len(items), sum(i.amount for i in items), [r["overpayment_id"] for r in records])


def _write_missing_files(rt: Runtime, today: date) -> None:
    """Refunds marked paid today whose file is not in the bucket: a run stopped between the two; write it now."""
    marked: dict[str, list[dict[str, Any]]] = {}
    for record in rt.records(OVERPAYMENTS).query("by-status", "status", "refunded"):
        if record.get("refund_file", "").split("/")[2:3] == [f"{today:%Y%m%d}"]:
            marked.setdefault(record["refund_file"], []).append(record)
    for key, records in marked.items():
        if not any(o.key == key for o in rt.objects("exchange").list(key)):
            records.sort(key=lambda r: r["overpayment_id"])
            _build_file(rt, key, records, date.fromisoformat(records[0]["refunded_on"]))
