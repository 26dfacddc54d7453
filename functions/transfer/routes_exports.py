"""Ad-hoc exports through the export filter (issue 18): one file for listed people, outside the scheduled jobs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from functions.transfer.rules.export_policy import rule_for
from functions.transfer.services.exports import export_people
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.routing import Router
from shared.domain.roles import Permission

__all__ = ["router"]

router = Router(prefix="/transfer", tags=["transfer"])


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    counterparty: str = Field(min_length=1, max_length=60)
    purpose: str = Field(min_length=1, max_length=60)
    person_ids: list[str] = Field(min_length=1, max_length=10_000)
    approval_id: str = Field(min_length=1, max_length=40, description="the データ使用承認 the export runs under")


@router.post("/exports", status_code=201)
def export(body: ExportRequest, principal: Annotated[Principal, Depends(require(Permission.TRANSFER_APPROVE))],
           runtime: RuntimeDep) -> dict[str, Any]:
    """Write a file for a registered (counterparty, purpose) to the exchange bucket under a valid データ使用承認
    (PIA-III-5-a: refused and audited without one; its fields narrow the export filter); the response is the
    report (fields, counts, who was skipped for a suspension of use), never the rows."""
    rule_for(body.counterparty, body.purpose)
    return export_people(runtime, body.counterparty, body.purpose, body.person_ids, principal.staff.staff_id,
                         principal.request_id, body.approval_id)

