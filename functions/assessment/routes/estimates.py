"""Counter 試算 (PIA-I-1-c): what a household's premium would be, computed here and stored nowhere.

The amount of record is always the 広域連合's; this answers a resident at the counter and says which
figures are provisional.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from functions.assessment.rules.premium import calculate
from functions.assessment.schemas import HouseholdIn
from shared.api.auth import Principal, require
from shared.api.problems import Problem
from shared.api.routing import Router
from shared.domain.roles import Permission
from shared.observability import count

router = Router(prefix="/assessment/estimates", tags=["assessment 試算"])
Reader = Annotated[Principal, Depends(require(Permission.ASSESSMENT_READ))]


@router.post("")
def estimate(body: HouseholdIn, _: Reader,
             fiscal_year: Annotated[int | None, Query(ge=2000, le=2100, description="or `fiscal_year` in the body")]
             = None) -> dict[str, Any]:
    """Each insured member's annual premium, the household's 軽減, and the provisional figures used."""
    year = body.fiscal_year or fiscal_year
    if year is None:
        raise Problem(422, "fiscal-year-required", "Fiscal year required",
                      "give the 賦課年度 as `fiscal_year` in the body or the query")
    if body.fiscal_year and fiscal_year and body.fiscal_year != fiscal_year:
        raise Problem(422, "fiscal-year-mismatch", "Two fiscal years", "the body and the query name other years")
    result = calculate(year, body.members_for_rules()).as_dict()
    count("PremiumEstimates")
    return result
