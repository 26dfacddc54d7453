"""File imports by an operator (PIA-III-2-d, III-2-i): 所得・課税情報 from the 市民税課 and 保険料情報 from the
広域連合, as the request body (the daily and monthly files; the yearly 本算定 file goes through the batch run)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request

from functions.assessment.services.income_import import import_income
from functions.assessment.services.results_import import import_results
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.problems import Problem
from shared.api.routing import Router
from shared.domain.roles import Permission

router = Router(prefix="/assessment/imports", tags=["assessment imports"])
Operator = Annotated[Principal, Depends(require(Permission.OPERATIONS))]
IMPORTS = {"income": import_income, "results": import_results}


@router.post("/{kind}")
async def import_file(kind: Literal["income", "results"], request: Request, principal: Operator,
                      runtime: RuntimeDep,
                      counterparty: Annotated[str, Query(min_length=2, max_length=40,
                                                         description="e.g. shiminzei-renkei, kouiki-rengo")],
                      ) -> dict[str, Any]:
    """Validate the whole file, then apply it (or refuse it); the answer names each rejected record."""
    body = await request.body()
    if not body:
        raise Problem(422, "empty-file", "Empty file", "send the file as the request body")
    report = IMPORTS[kind](runtime, counterparty, body, principal.staff.staff_id)
    return report.public()
