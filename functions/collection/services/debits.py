"""口座振替: registrations (maker-checker), the bank's debit request, and its result (file-layouts.md §1).

- A registration keeps the account by reference (`bank_accounts.py`); one active registration per person; a
  checker confirms it before any debit uses it.
- The request for a 振替日 (the 納期限) asks for each 普通徴収 期 due that day, still unpaid, of a person with
  an active registration from that day on: 顧客番号 = the 納付番号, 金額 = what is outstanding. A manifest of what
  was asked is kept beside the file.
- The result is validated whole and against the manifest (every 顧客番号 asked, with the amount asked; file-layouts
  §1: "match result to request on 顧客番号 + 金額"); 振替済 records are posted as payments of the 振替日, the others
  (資金不足, 取引なし …) leave the 期 unpaid — it goes to arrears and 督促 like any other — and are listed in a
  report without account numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from functions.collection.rules.bank_account import parse_bank_account
from functions.collection.rules.ids import derived_id
from functions.collection.rules.ledger import Instalment, Ledger, Method
from functions.collection.rules.matching import Receipt
from functions.collection.rules.policy import bank_config
from functions.collection.rules.zengin import (
    DebitItem,
    FileHeader,
    ResultCode,
    build_debit_file,
    parse_debit_file,
    transfer_date_year,
)
from functions.collection.services.bank_accounts import accounts_by_ref, store_account
from functions.collection.services.inbound import FileRun, Plan, receive
from functions.collection.services.payments import write_extract_part
from functions.collection.services.postings import post_receipts
from functions.collection.services.store import LEDGER, instalments_due
from functions.collection.workflow import DEBIT_REGISTRATION
from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.domain.calendar import date_in_japan
from shared.domain.changes import ChangeRequest, Operation
from shared.domain.errors import Conflict, NotFound
from shared.domain.fixed_width import FileRejected, RecordError
from shared.protection.changes import ChangeService
from shared.runtime import Runtime

__all__ = ["REGISTRATIONS", "import_debit_results", "propose_end", "propose_registration", "write_debit_request"]

REGISTRATIONS = "debit-registrations"


def propose_registration(rt: Runtime, changes: ChangeService, *, maker: str, person_id: str, bank: dict[str, Any],
                         starts_on: date, reason: str, request_id: str) -> ChangeRequest:
    if rt.repository(PersonRepository).get(person_id) is None:
        raise NotFound("there is no such person")
    active = [r for r in rt.records(REGISTRATIONS).query("by-person", "person_id", person_id)
              if r.get("status") == "active"]
    if active:
        raise Conflict(f"the person has an active registration ({active[0]['registration_id']}); end it first",
                       code="debit-registration-exists")
    account = parse_bank_account(bank)
    ref = store_account(rt, person_id, account, "debit-application", maker)
    values = {"person_id": person_id, "account_ref": ref, "account": account.summary(), "status": "active",
              "starts_on": starts_on.isoformat()}
    return changes.propose(maker=maker, operation=Operation.CREATE, person_id=None, values=values,
                           reason=reason[:500], request_id=request_id, kind=DEBIT_REGISTRATION)


def propose_end(rt: Runtime, changes: ChangeService, *, maker: str, registration_id: str, ends_on: date,
                reason: str, request_id: str) -> ChangeRequest:
    record = rt.records(REGISTRATIONS).get(registration_id)
    if record is None or record.get("status") != "active":
        raise NotFound("there is no such active registration")
    return changes.propose(maker=maker, operation=Operation.UPDATE, person_id=registration_id,
                           values={"status": "ended", "ends_on": ends_on.isoformat()}, reason=reason[:500],
                           request_id=request_id, kind=DEBIT_REGISTRATION)


def _manifest_key(debit_on: date) -> str:
    return f"outbound/{bank_config().counterparty}/manifests/debit-{debit_on:%Y%m%d}.json"


def write_debit_request(rt: Runtime, debit_on: date, today: date, staff_id: str = "system") -> dict[str, Any]:
    """The 預金口座振替 request for the 期 due on `debit_on`."""
    registrations: dict[str, dict[str, Any]] = {}
    for record in rt.records(REGISTRATIONS).iterate("by-status", "status", "active"):
        if record["starts_on"] <= debit_on.isoformat():
            kept = registrations.get(record["person_id"])
            if kept is None or kept["starts_on"] < record["starts_on"]:
                registrations[record["person_id"]] = record
    due = list(instalments_due(rt, debit_on))
    due = [i for i in due if i.method is Method.ORDINARY and i.collectable and i.person_id in registrations]
    ledgers = rt.records(LEDGER).get_many(i.payment_number for i in due)
    asked: list[tuple[Instalment, int]] = []
    for instalment in sorted(due, key=lambda i: i.payment_number):
        ledger = Ledger.from_item(ledgers.get(instalment.payment_number), instalment.payment_number,
                                  instalment.person_id)
        unpaid = ledger.outstanding(instalment) - sum(ledger.provisional.values())
        if unpaid > 0:
            asked.append((instalment, unpaid))
    accounts = accounts_by_ref(rt, [registrations[i.person_id]["account_ref"] for i, _ in asked])
    items = []
    for instalment, amount in asked:
        account = accounts[registrations[instalment.person_id]["account_ref"]]
        items.append(DebitItem(account.bank_code, account.branch_code, account.account_type, account.account_number,
                               account.holder_kana, amount, instalment.payment_number))
    config = bank_config()
    header = FileHeader(config.consignor_code, config.consignor_name, debit_on, config.bank_code, config.bank_name,
                        config.branch_code, config.branch_name, config.account_type, config.account_number)
    key = f"outbound/{config.counterparty}/{today:%Y%m%d}/debit-{debit_on:%Y%m%d}.dat"
    rt.objects("exchange").put(key, build_debit_file(header, items, crlf=config.crlf), "application/octet-stream")
    manifest = {i.payment_number: amount for i, amount in asked}
    rt.objects("exchange").put(_manifest_key(debit_on), json.dumps(manifest).encode(), "application/json")
    rt.audit.append(AuditEvent(staff_id, "collection.debit-request", "success", target=f"debit:{debit_on:%Y%m%d}",
                               purpose="口座振替依頼 (PIA-I-1-d)",
                               detail={"items": str(len(items)), "total": str(sum(manifest.values()))}))
    return {"key": key, "items": len(items), "total": sum(manifest.values()), "debit_on": debit_on.isoformat()}


def import_debit_results(rt: Runtime, counterparty: str, content: bytes, *, staff_id: str = "system",
                         chunk_size: int = 1000) -> FileRun:
    today = date_in_japan(rt.clock())

    def plan(data: bytes, file_hash: str) -> Plan[DebitItem]:
        parsed = parse_debit_file(data, result=True)
        debit_on = transfer_date_year(parsed.mmdd, today)
        _check_manifest(rt, parsed.items, debit_on)

        def apply(chunk: Sequence[DebitItem]) -> dict[str, int]:
            debited = [i for i in chunk if i.result is ResultCode.DEBITED]
            receipts = [Receipt(derived_id("RC", "debit", f"{debit_on:%Y%m%d}", i.customer_number),
                                i.customer_number, i.amount, debit_on, "debit", f"{file_hash[:16]}:{i.record}",
                                debit_on) for i in debited]
            report = post_receipts(rt, receipts, today)
            write_extract_part(rt, today, f"{file_hash[:16]}-{chunk[0].record:07d}", report.lines)
            failed = [i for i in chunk if i.result is not ResultCode.DEBITED]
            if failed:
                _failure_report(rt, file_hash, chunk[0].record, failed, today)
            totals = report.totals()
            for item in failed:
                name = f"debit_failed_{item.result.name.lower()}"
                totals[name] = totals.get(name, 0) + 1
            totals["debit_unknown_codes"] = sum(i.unknown_result for i in failed)
            return totals

        return Plan(parsed.items, apply, chunk_size)

    return receive(rt, counterparty, "debit-results", content, plan, staff_id=staff_id,
                   purpose="口座振替結果の消込 (PIA-I-1-d)")


def _check_manifest(rt: Runtime, items: Sequence[DebitItem], debit_on: date) -> None:
    key = _manifest_key(debit_on)
    if not any(o.key == key for o in rt.objects("exchange").list(key)):
        raise FileRejected([RecordError(1, 55, "date_mmdd", f"no debit request was sent for {debit_on}")],
                           "口座振替 result")
    manifest = json.loads(rt.objects("exchange").get(key))
    errors = [RecordError(i.record, 92, "customer_number", "not a 顧客番号 of the request")
              for i in items if i.customer_number not in manifest]
    errors += [RecordError(i.record, 81, "amount", "not the amount requested")
               for i in items if i.customer_number in manifest and manifest[i.customer_number] != i.amount]
    if errors:
        raise FileRejected(errors, "口座振替 result")


def _failure_report(rt: Runtime, file_hash: str, first: int, failed: Sequence[DebitItem], today: date) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record", "payment_number", "amount", "result_code", "result"])
    writer.writerows([i.record, i.customer_number, i.amount, i.result.value, i.result.name] for i in failed)
    key = f"reports/{bank_config().counterparty}/{today:%Y%m%d}/{file_hash[:16]}-{first:07d}-debit-failures.csv"
    rt.objects("exchange").put(key, out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")
