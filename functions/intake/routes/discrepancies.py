"""The 突合 list a clerk works through (issue 12 item 8; PIA-II-3-b): where the 広域連合's 被保険者情報 and the
city's own 資格 disagree, a page at a time, and the route that resolves an entry with a reason (audited)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from functions.intake.services.discrepancies import PAGE_KEY, discrepancy_page, resolve
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.pages import PageDep, encode_cursor
from shared.api.routing import Router
from shared.domain.roles import Permission

router = Router(prefix="/intake/discrepancies", tags=["intake 突合"])
Reader = Annotated[Principal, Depends(require(Permission.PERSON_READ))]
Clerk = Annotated[Principal, Depends(require(Permission.INTAKE_WRITE))]


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500, description="what the clerk found and did")


@router.get("")
def discrepancies(_: Reader, runtime: RuntimeDep, page: PageDep,
                  status: Annotated[Literal["open", "resolved"], Query()] = "open") -> dict[str, Any]:
    """Entries in a status (default: open), oldest first; no My Number, ever."""
    found, after = discrepancy_page(runtime, status, page.limit, page.start(PAGE_KEY, {"status": status}))
    return {"status": status, "discrepancies": found, "count": len(found), "next_cursor": encode_cursor(after)}


@router.post("/{discrepancy_id}/resolve")
def resolve_discrepancy(discrepancy_id: str, body: Resolution, principal: Clerk, runtime: RuntimeDep
                        ) -> dict[str, Any]:
    """Close an open entry with the clerk's reason (409 `discrepancy-resolved` when it is closed already)."""
    return resolve(runtime, discrepancy_id, principal.staff.staff_id, body.reason, principal.request_id)
