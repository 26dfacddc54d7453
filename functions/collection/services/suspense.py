"""未確認入金 (suspense): payments no 期 could take. A collection officer proposes where each belongs — a 期 of
the payer, or an over-payment of a known payer — and a checker confirms it (maker-checker); the posting follows
(`settle.py`)."""

from __future__ import annotations

from typing import Any

from functions.collection.services.store import SUSPENSE, instalments_by_number
from functions.collection.workflow import SUSPENSE_RESOLUTION
from shared.adapters.persons import PersonRepository
from shared.domain.changes import ChangeRequest, Operation
from shared.domain.errors import Conflict, Invalid, NotFound
from shared.protection.changes import ChangeService
from shared.runtime import Runtime

__all__ = ["open_suspense", "propose_resolution"]


def open_suspense(rt: Runtime) -> list[dict[str, Any]]:
    found = rt.records(SUSPENSE).query("by-status", "status", "open")
    return sorted(found, key=lambda r: (r["received_on"], r["receipt_id"]))


def propose_resolution(rt: Runtime, changes: ChangeService, *, maker: str, receipt_id: str, person_id: str,
                       payment_number: str | None, to_overpayment: bool, note: str,
                       request_id: str) -> ChangeRequest:
    record = rt.records(SUSPENSE).get(receipt_id)
    if record is None:
        raise NotFound("there is no such 未確認入金")
    if record.get("status") != "open":
        raise Conflict(f"the 未確認入金 is {record.get('status')}", code="suspense-not-open")
    if rt.repository(PersonRepository).get(person_id) is None:
        raise NotFound("there is no such person")
    values: dict[str, Any] = {"status": "resolved", "person_id": person_id, "resolution_note": note}
    if to_overpayment == (payment_number is not None):
        raise Invalid("name the 期 (payment_number) or make it an over-payment (to_overpayment), one of the two",
                      code="resolution-target")
    if payment_number is not None:
        instalment = instalments_by_number(rt, [payment_number]).get(payment_number)
        if instalment is None or not instalment.collectable:
            raise NotFound("there is no open 期 with that 納付番号")
        if instalment.person_id != person_id:
            raise Invalid(f"納付番号 {payment_number} is not a 期 of {person_id}", code="period-of-another-person")
        values["payment_number"] = payment_number
    else:
        values["to_overpayment"] = True
    return changes.propose(maker=maker, operation=Operation.UPDATE, person_id=receipt_id, values=values,
                           reason=f"未確認入金の消込先: {note}"[:500], request_id=request_id, kind=SUSPENSE_RESOLUTION)
