"""The clerk's list of 突合 discrepancies between the 広域連合's 被保険者情報 and the city's own 資格 (PIA-II-3-b;
docs/intake.md "Discrepancies"). An entry names the person, the field, both values and where the city's view
comes from (住基 or 住登外); it never holds a My Number. A clerk resolves an entry with a reason (audited); an entry
is resolved once.
"""

from __future__ import annotations

from typing import Any

from shared.adapters.audit_log import AuditEvent
from shared.domain.errors import Conflict, NotFound
from shared.runtime import Runtime
from shared.storage import STORAGE

__all__ = ["LIST_FIELDS", "PAGE_KEY", "STATUSES", "discrepancy_page", "resolve"]

TABLE = "eligibility-discrepancies"
PAGE_KEY = STORAGE.table(TABLE).page_key("by-status")
STATUSES = ("open", "resolved")
LIST_FIELDS = ("discrepancy_id", "person_id", "insured_number", "field", "label", "city_value", "kouiki_value",
               "basis", "check", "source", "status", "created_at", "resolved_at", "resolved_by", "reason")


def _entry(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item.get(k) for k in LIST_FIELDS}


def discrepancy_page(rt: Runtime, status: str, limit: int, start: dict[str, Any] | None
                     ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """One page of the entries in a status, oldest first."""
    found, after = rt.records(TABLE).page("by-status", "status", status, limit, start)
    return [_entry(i) for i in found], after


def resolve(rt: Runtime, discrepancy_id: str, staff_id: str, reason: str, request_id: str = "-") -> dict[str, Any]:
    """Close an open entry with the clerk's reason; the same entry twice is a conflict, never a second close."""
    records = rt.records(TABLE)
    item = records.get(discrepancy_id)
    if item is None:
        raise NotFound("there is no such discrepancy")
    if item.get("status") != "open":
        raise Conflict("the discrepancy is resolved already", code="discrepancy-resolved")
    version = int(item.get("version", 0))
    closed = {**item, "status": "resolved", "resolved_by": staff_id, "resolved_at": rt.clock().isoformat(),
              "reason": reason, "version": version + 1}
    if not records.put_if_version(closed, version):
        raise Conflict("the discrepancy changed meanwhile; read it again", code="discrepancy-resolved")
    rt.audit.append(AuditEvent(staff_id, "discrepancy.resolve", "success", target=item["person_id"],
                               purpose="突合 (PIA-II-3-b)", request_id=request_id,
                               detail={"discrepancy": discrepancy_id, "field": item.get("field", "-")}))
    return _entry(closed)
