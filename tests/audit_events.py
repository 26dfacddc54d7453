"""The audit events a test caused, read the way auditors read them: a time window through the table's keys."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

__all__ = ["audit_events"]


def audit_events(runtime: Any, action: str | None = None) -> list[dict[str, Any]]:
    """Every event of the day around the test's clock, oldest first; only `action`'s if given."""
    now = runtime.clock()
    events = runtime.audit.between(now - timedelta(days=1), now + timedelta(days=1))
    return [e for e in events if action is None or e["action"] == action]
