"""HTTP routes of the transfer workflow: outbound files through the export filter."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from shared.api.auth import Principal, get_runtime, require
from shared.api.problems import Problem
from shared.domain.export_policy import ExportRefused, rule_for
from shared.domain.roles import Permission
from shared.protection.exports import export_people
from shared.runtime import Runtime

router = APIRouter(prefix="/transfer", tags=["transfer"])


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    counterparty: str = Field(min_length=1, max_length=60)
    purpose: str = Field(min_length=1, max_length=60)
    person_ids: list[str] = Field(min_length=1, max_length=10_000)


@router.post("/exports", status_code=201)
def export(body: ExportRequest, principal: Principal = Depends(require(Permission.TRANSFER_APPROVE)),
           runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    """Write a file for a registered (counterparty, purpose) to the exchange bucket; the response is the
    report (fields, counts, who was skipped for a suspension of use), never the rows."""
    try:
        rule_for(body.counterparty, body.purpose)
    except ExportRefused as refused:
        raise Problem(422, "export-not-allowed", "Export not allowed", str(refused)) from None
    return export_people(runtime, body.counterparty, body.purpose, body.person_ids, principal.staff.staff_id,
                         principal.request_id)
