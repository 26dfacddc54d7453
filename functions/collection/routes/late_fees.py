"""`POST /collection/late-fees`: the 延滞金 calculator (domain-rules.md §3.5), the same as `choju late-fee`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from functions.collection.rules.late_fee import Payment, late_fee
from shared.api.auth import Principal, require
from shared.api.routing import Router
from shared.domain.roles import Permission

router = Router(prefix="/collection", tags=["collection 延滞金"])
Reader = Annotated[Principal, Depends(require(Permission.COLLECTION_READ))]
Yen = Annotated[int, Field(gt=0, le=100_000_000, description="yen", strict=True)]


class PartialPayment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: date
    amount: Yen


class LateFeeQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    principal: Yen = Field(description="期別保険料額, yen")
    due: date = Field(description="納期限")
    paid: date = Field(description="the day the rest is paid (or the day to compute to)")
    payments: list[PartialPayment] = Field(default_factory=list, max_length=100, description="一部納付")


@router.post("/late-fees")
def compute(body: LateFeeQuestion, _: Reader) -> dict[str, Any]:
    """延滞金 with each period, its days, rate and exact amount; bad input is a problem with a stable code."""
    result = late_fee(body.principal, body.due, body.paid, [Payment(p.date, p.amount) for p in body.payments])
    return result.as_json()
