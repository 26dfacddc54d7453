"""A person's 賦課 history and 期割 at the counter (counter-clerk, collection-officer, checker read)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query

from functions.assessment.services.views import levy_history, schedule_view
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.routing import Router
from shared.domain.ids import PERSON_ID_PATTERN
from shared.domain.roles import Permission

router = Router(prefix="/assessment/persons", tags=["assessment persons"])
Reader = Annotated[Principal, Depends(require(Permission.ASSESSMENT_READ))]
PersonPath = Annotated[str, Path(pattern=PERSON_ID_PATTERN, description="宛名番号")]


@router.get("/{person_id}/levies")
def levies(person_id: PersonPath, _: Reader, runtime: RuntimeDep) -> dict[str, Any]:
    """Every 賦課 result of record from the 広域連合 (当初 and each 更正), with the city's 突合 of it."""
    return levy_history(runtime, person_id)


@router.get("/{person_id}/instalments")
def instalments(person_id: PersonPath, _: Reader, runtime: RuntimeDep,
                fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="賦課年度")]) -> dict[str, Any]:
    """The 年度's 期 (納期限, amount, what collection has posted), the 徴収方法 and any 過誤納."""
    return schedule_view(runtime, person_id, fiscal_year)
