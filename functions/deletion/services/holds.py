"""Legal holds (PIA-III-7-e): an open appeal (審査請求), a 滞納処分 or a court order keeps every record of a person out
of every deletion plan until the hold is released. Placing and releasing are audited."""

from __future__ import annotations

from typing import Any

from shared.adapters.audit_log import AuditEvent
from shared.domain.errors import NotFound
from shared.domain.ids import new_id
from shared.runtime import Runtime

__all__ = ["HOLD_KINDS", "place_hold", "release_hold"]

HOLD_KINDS = ("appeal", "delinquency-disposition", "litigation", "audit-request", "other")


def place_hold(rt: Runtime, person_id: str, kind: str, reason: str, staff_id: str, request_id: str) -> dict[str, Any]:
    if rt.records("persons").get(person_id) is None:
        raise NotFound("there is no such person")
    hold = {"person_id": person_id, "hold_id": new_id("LH"), "kind": kind, "reason": reason,
            "placed_by": staff_id, "placed_at": rt.clock().isoformat()}
    rt.table_eraser("legal-holds").put(hold)
    rt.audit.append(AuditEvent(staff_id, "deletion.hold.place", "success", target=person_id, purpose=kind,
                               request_id=request_id, detail={"hold": hold["hold_id"]}))
    return hold


def release_hold(rt: Runtime, person_id: str, hold_id: str, staff_id: str, request_id: str) -> dict[str, Any]:
    found = [h for h in rt.table_eraser("legal-holds").by_key(person_id) if h["hold_id"] == hold_id]
    if not found:
        raise NotFound("there is no such hold")
    hold = {**found[0], "released_by": staff_id, "released_at": rt.clock().isoformat()}
    rt.table_eraser("legal-holds").put(hold)
    rt.audit.append(AuditEvent(staff_id, "deletion.hold.release", "success", target=person_id,
                               request_id=request_id, detail={"hold": hold_id}))
    return hold
