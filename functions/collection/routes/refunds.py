"""過誤納金 and their 充当・還付 decisions (collection:write proposes, a checker confirms)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from functions.collection.rules.offsets import arose_on
from functions.collection.services.refunds import propose_decision
from functions.collection.services.store import OVERPAYMENTS
from functions.collection.workflow import WORKFLOW
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.change_routes import ChangeView, change_view, changes_of
from shared.api.routing import Router
from shared.domain.calendar import date_in_japan
from shared.domain.roles import Permission

router = Router(prefix="/collection/overpayments", tags=["collection 過誤納・還付"])
Officer = Annotated[Principal, Depends(require(Permission.COLLECTION_WRITE))]
Changes = changes_of(WORKFLOW)
STATUSES = Literal["open", "decided", "offset", "refund-ready", "refund-awaiting-account", "refunded",
                   "needs-new-decision", "lapsed"]


class Bank(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bank_code: str = Field(max_length=8)
    branch_code: str = Field(max_length=8)
    account_type: str = Field(max_length=2)
    account_number: str = Field(max_length=16)
    holder_kana: str = Field(min_length=1, max_length=60)


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    account: Literal["public-funds", "named", "awaiting"] = Field(
        description="公金受取口座, an account the person names (bank), or none yet (a 還付請求書 is awaited)")
    bank: Bank | None = None
    reason: str = Field(min_length=1, max_length=300)


def _listed(record: dict[str, Any]) -> dict[str, Any]:
    decision = record.get("decision") or {}
    return {**{k: record.get(k) for k in ("overpayment_id", "person_id", "fiscal_year", "payment_number", "amount",
                                          "cause", "status", "paid_on")}, "arose_on": arose_on(record),
            "decision": {k: decision.get(k) for k in ("decided_on", "offsets", "refund", "interest", "account",
                                                      "account_summary")} if decision else None}


@router.get("")
def listed(_: Officer, runtime: RuntimeDep, status: Annotated[STATUSES, Query()] = "open") -> dict[str, Any]:
    found = sorted(runtime.records(OVERPAYMENTS).query("by-status", "status", status), key=arose_on)
    return {"status": status, "overpayments": [_listed(r) for r in found], "count": len(found),
            "total": sum(int(r["amount"]) for r in found)}


@router.post("/{overpayment_id}/decision", response_model=ChangeView, status_code=202)
def decide(overpayment_id: str, body: DecisionRequest, principal: Officer, runtime: RuntimeDep,
           changes: Changes) -> ChangeView:
    """Work out the 充当 and the refund with 還付加算金 as of today, and propose it for a checker."""
    created = propose_decision(runtime, changes, maker=principal.staff.staff_id, overpayment_id=overpayment_id,
                               account=body.account, bank=body.bank.model_dump() if body.bank else None,
                               reason=body.reason, request_id=principal.request_id,
                               today=date_in_japan(runtime.clock()))
    return change_view(created)
