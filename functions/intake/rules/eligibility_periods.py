"""A person's 資格 periods: the current one on the record and the closed ones kept beside it.

A person can be insured more than once (転出 and 転入 again, 生活保護 開始 and 廃止: 法第52・53条), and the counter
must see every period, not only the last (issue 12 item 11). The record holds the current period in its
`eligibility_*` fields and the closed ones in `eligibility_history`, newest last; whoever starts a new period on a
record whose period is closed keeps the old one with `with_new_period`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HISTORY", "PERIOD_FIELDS", "current_period", "periods", "with_new_period"]

HISTORY = "eligibility_history"
PERIOD_FIELDS = {"acquired_on": "eligibility_acquired_on", "lost_on": "eligibility_lost_on",
                 "insured_number": "insured_number", "insurer": "insurer"}


def current_period(record: dict[str, Any]) -> dict[str, Any] | None:
    """The period on the record: 資格取得日 and its reason, 資格喪失日 and its reason, numbers."""
    if not record.get("eligibility_acquired_on"):
        return None
    period = {name: record.get(field) for name, field in PERIOD_FIELDS.items()}
    # The record keeps the reason of its last change: the loss's once lost, else the acquisition's.
    reason, lost = record.get("eligibility_change_reason"), bool(record.get("eligibility_lost_on"))
    period["acquired_reason"] = record.get("eligibility_acquired_reason") or (None if lost else reason)
    period["lost_reason"] = reason if lost else None
    return period


def periods(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every period, newest first."""
    current = current_period(record)
    return ([current] if current else []) + list(reversed(record.get(HISTORY) or []))


def with_new_period(record: dict[str, Any], acquired_on: str, reason: str) -> dict[str, Any]:
    """The record with a new period from `acquired_on`; a closed current period moves to the history."""
    closed = current_period(record) if record.get("eligibility_lost_on") else None
    history = [*(record.get(HISTORY) or []), closed] if closed else list(record.get(HISTORY) or [])
    return {**record, HISTORY: history, "eligibility_status": "insured", "eligibility_acquired_on": acquired_on,
            "eligibility_acquired_reason": reason, "eligibility_lost_on": None, "eligibility_changed_on": acquired_on,
            "eligibility_change_reason": reason}
