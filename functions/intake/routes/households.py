"""A household at the counter: each member with their 資格, a page at a time (issue 12 item 11).

The 広域連合 judges 負担割合 per household and the city exchanges 住基 data 世帯単位, so a clerk sees the members
together. Members are list entries: never a My Number, not even whether one is held (PIA-III-2-a).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from functions.intake.services.eligibility_view import eligibility_of
from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.pages import PageDep, encode_cursor
from shared.api.routing import Router
from shared.domain.calendar import date_in_japan
from shared.domain.errors import NotFound
from shared.domain.roles import Permission
from shared.protection.views import summary
from shared.storage import STORAGE

router = Router(prefix="/intake/households", tags=["intake persons"])
HOUSEHOLD_KEY = STORAGE.table("persons").page_key("by-household")


@router.get("/{household_id}")
def household(household_id: str, principal: Annotated[Principal, Depends(require(Permission.PERSON_READ))],
              runtime: RuntimeDep, page: PageDep) -> dict[str, Any]:
    """The household's members, each with their 資格; an audited read like the person view."""
    members, after = runtime.repository(PersonRepository).page(
        "by-household", "household_id", household_id, page.limit,
        page.start(HOUSEHOLD_KEY, {"household_id": household_id}))
    if not members and page.cursor is None:
        raise NotFound("there is no such household")
    today = date_in_japan(runtime.clock())
    runtime.audit.append(AuditEvent(principal.staff.staff_id, "household.read", "success", target=household_id,
                                    purpose="-", request_id=principal.request_id,
                                    detail={"members": str(len(members))}))
    return {"household_id": household_id,
            "members": [{**summary(m), "relationship": m.get("relationship"),
                         "is_household_head": m.get("is_household_head"),
                         "eligibility": eligibility_of(runtime, m, today)} for m in members],
            "next_cursor": encode_cursor(after)}
