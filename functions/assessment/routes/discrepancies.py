"""The clerk's list of 突合 discrepancies of a 年度 (PIA-II-3-b), a page at a time."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from functions.assessment.services.views import open_discrepancies
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.routing import Router
from shared.domain.roles import Permission

router = Router(prefix="/assessment/discrepancies", tags=["assessment 突合"])
Reader = Annotated[Principal, Depends(require(Permission.ASSESSMENT_READ))]


@router.get("")
def discrepancies(_: Reader, runtime: RuntimeDep,
                  fiscal_year: Annotated[int, Query(ge=2000, le=2100)],
                  limit: Annotated[int, Query(ge=1, le=500)] = 100,
                  cursor: Annotated[str | None, Query(pattern=r"^P[0-9A-Z]{4,20}$")] = None) -> dict[str, Any]:
    """Results whose 突合 found a difference or could not be done, each with its findings and reasons."""
    return open_discrepancies(runtime, fiscal_year, limit, cursor)
