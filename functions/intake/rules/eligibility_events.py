"""What a resident-register change means for eligibility, and the person fields that record it."""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.eligibility import KUMAMOTO_PREFECTURE, Acquisition, Loss, loss_date, seventy_fifth_birthday
from functions.intake.rules.resident_changes import ChangeCode, ResidentChange


def _insured(record: dict[str, Any] | None) -> bool:
    return bool(record) and record.get("eligibility_status") == "insured"  # type: ignore[union-attr]


def eligibility_update(change: ResidentChange, record: dict[str, Any] | None) -> tuple[dict[str, Any], str | None]:
    """(fields to set, event kind or None) for one change, per 法第52条 (取得) and 第53条 (喪失)."""
    day = change.change_date
    birth = change.values.get("birth_date")
    if change.code is ChangeCode.MOVE_IN and birth and day >= seventy_fifth_birthday(date.fromisoformat(birth)):
        if change.other_prefecture != KUMAMOTO_PREFECTURE:
            return _acquired(day, Acquisition.MOVED_IN), "eligibility-acquired"  # 法第52条: 転入の日
        return {"eligibility_status": "insured"}, "insured-person-changed"  # same 広域連合: stays insured
    moved_out_of_prefecture = change.values.get("moved_out_prefecture") != KUMAMOTO_PREFECTURE
    if change.code is ChangeCode.MOVE_OUT and _insured(record) and moved_out_of_prefecture:
        return _lost(loss_date(Loss.MOVED_OUT, day), Loss.MOVED_OUT), "eligibility-lost"
    if change.code is ChangeCode.DEATH and _insured(record):
        return _lost(loss_date(Loss.DEATH, day), Loss.DEATH), "eligibility-lost"
    if _insured(record) and change.code in (ChangeCode.ADDRESS_CHANGE, ChangeCode.NAME_CHANGE,
                                            ChangeCode.HOUSEHOLD_CHANGE, ChangeCode.MY_NUMBER_CHANGE):
        return {}, "insured-person-changed"
    return {}, None


def _acquired(day: date, reason: Acquisition) -> dict[str, Any]:
    return {"eligibility_status": "insured", "eligibility_acquired_on": day.isoformat(),
            "eligibility_changed_on": day.isoformat(), "eligibility_change_reason": reason.value}


def _lost(day: date, reason: Loss) -> dict[str, Any]:
    return {"eligibility_status": "lost", "eligibility_lost_on": day.isoformat(),
            "eligibility_changed_on": day.isoformat(), "eligibility_change_reason": reason.value}
