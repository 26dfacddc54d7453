"""Demo data for local mode: the staff registry (one person per role) and a first audit record."""

from __future__ import annotations

from shared.adapters.audit_log import AuditEvent
from shared.local.demo_staff import DEMO_STAFF
from shared.runtime import Runtime


def seed_demo_data(runtime: Runtime) -> list[str]:
    """Load the demo data; returns lines describing what is there."""
    for member in DEMO_STAFF:
        runtime.staff.register(member)
    runtime.audit.append(AuditEvent(staff_id="system", action="local.seed", outcome="success",
                                    detail={"staff": str(len(DEMO_STAFF))}))
    lines = ["demo staff (use `choju dev-token --role ROLE`):"]
    for m in DEMO_STAFF:
        state = "" if m.active else "  [disabled]"
        lines.append(f"  {m.staff_id}  {','.join(sorted(r.value for r in m.roles)):<20} {m.name}{state}")
    return lines
