"""What a resident-register change means for eligibility, and the person fields that record it.

Each branch cites the article it applies (../shared/docs/domain-rules.md §4). The record is the person as
stored before the row; `facts_of` reads the eligibility facts from it, so 適用除外 (法第51条) and 住所地特例
(法第55条) decide every path, not only the reaching-75 run.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.eligibility import (
    KUMAMOTO_PREFECTURE,
    Acquisition,
    Facts,
    Loss,
    is_excluded,
    is_insured_on,
    loss_date,
    moved_out_loss_date,
    special_address_insurer_on,
)
from functions.intake.rules.resident_changes import ChangeCode, ResidentChange

__all__ = ["acquired", "already_insured_by_disability", "eligibility_update", "facts_of", "lost"]

_MOVE_OUT_FIXES = (ChangeCode.MOVE_OUT_CONFIRMED, ChangeCode.MOVE_OUT_CORRECTED)


def facts_of(record: dict[str, Any], resident: bool | None = None) -> Facts:
    """The facts of a stored person. Only a registered resident lives in the area (法第50条); a 住登外 person
    (`non-resident`) does not."""
    def day(name: str) -> date | None:
        return date.fromisoformat(record[name]) if record.get(name) else None

    return Facts(birth_date=date.fromisoformat(record["birth_date"]),
                 resident_in_prefecture=record.get("resident_status") == "registered" if resident is None else resident,
                 disability_certified_on=day("disability_certified_on"),
                 disability_withdrawn_on=day("disability_withdrawn_on"),
                 public_assistance_since=day("public_assistance_since"),
                 public_assistance_ended_on=day("public_assistance_ended_on"),
                 public_assistance_suspended_from=day("public_assistance_suspended_from"),
                 public_assistance_suspended_until=day("public_assistance_suspended_until"),
                 other_exclusion_since=day("other_exclusion_since"),
                 other_exclusion_ended_on=day("other_exclusion_ended_on"),
                 special_address_insurer=record.get("special_address_insurer"),
                 special_address_from=day("special_address_from"),
                 special_address_until=day("special_address_until"))


def already_insured_by_disability(record: dict[str, Any]) -> bool:
    """An insured person whose 資格 came from 障害認定 (法第50条第2号): reaching 75 is no acquisition for them
    (法第52条第1号 excludes 第50条第2号の認定を受けた者)."""
    return _insured(record) and bool(record.get("disability_certified_on")) \
        and not record.get("disability_withdrawn_on")


def _insured(record: dict[str, Any] | None) -> bool:
    return bool(record) and record.get("eligibility_status") == "insured"  # type: ignore[union-attr]


def _lost_by_moving(record: dict[str, Any] | None) -> bool:
    return bool(record) and record.get("eligibility_status") == "lost" \
        and record.get("eligibility_change_reason") == Loss.MOVED_OUT.value  # type: ignore[union-attr]


def eligibility_update(change: ResidentChange, record: dict[str, Any] | None) -> tuple[dict[str, Any], str | None]:
    """(fields to set, event kind or None) for one change, per 法第52条 (取得) and 第53条 (喪失)."""
    day = change.change_date
    if change.code is ChangeCode.MOVE_IN:
        return _move_in(change, record)
    if change.code in (ChangeCode.MOVE_OUT, *_MOVE_OUT_FIXES):
        return _move_out(change, record)
    if change.code is ChangeCode.MOVE_OUT_CANCELLED and _lost_by_moving(record):
        return _restored(), "eligibility-loss-withdrawn"  # the 転出 never happened: the loss is withdrawn
    if change.code is ChangeCode.DEATH and _insured(record):
        return lost(loss_date(Loss.DEATH, day), Loss.DEATH), "eligibility-lost"  # 法第53条第1項: 死亡日の翌日
    if _insured(record) and change.code in (ChangeCode.ADDRESS_CHANGE, ChangeCode.NAME_CHANGE,
                                            ChangeCode.HOUSEHOLD_CHANGE, ChangeCode.MY_NUMBER_CHANGE):
        return {}, "insured-person-changed"
    return {}, None


def _move_in(change: ResidentChange, record: dict[str, Any] | None) -> tuple[dict[str, Any], str | None]:
    """転入: from elsewhere in 熊本 the person stays insured by the same 広域連合 (no new acquisition); from another
    prefecture 75 or over acquires on the move-in day (法第52条第2号), unless 適用除外 (法第51条) or another
    広域連合's 住所地特例 (法第55条) applies that day."""
    day, birth = change.change_date, change.values.get("birth_date") or (record or {}).get("birth_date")
    if not birth:
        return {}, None
    facts = facts_of({**(record or {}), "birth_date": birth}, resident=True)
    insured_here = is_insured_on(facts, day)
    if change.other_prefecture == KUMAMOTO_PREFECTURE:
        if _insured(record) or insured_here:
            return {"eligibility_status": "insured", "insurer": KUMAMOTO_PREFECTURE}, "insured-person-changed"
        return {}, None
    if insured_here:
        return acquired(day, Acquisition.MOVED_IN), "eligibility-acquired"
    if is_excluded(facts, day) or special_address_insurer_on(facts, day):
        return {"eligibility_status": "not-insured"}, None
    return {}, None


def _move_out(change: ResidentChange, record: dict[str, Any] | None) -> tuple[dict[str, Any], str | None]:
    """転出 (予定), 転出確定 (the actual date from the 転入通知) and 転出訂正. A 確定 or 訂正 re-raises the loss with
    its own date even when the person is already lost, or withdraws it when the destination is in 熊本."""
    fix = change.code in _MOVE_OUT_FIXES
    if not (_insured(record) or (fix and _lost_by_moving(record))):
        return {}, None
    assert record is not None
    destination = change.other_prefecture
    if destination == KUMAMOTO_PREFECTURE:  # 県内転出: the same 広域連合, still insured with the new city's details
        if _lost_by_moving(record):
            return {**_restored(), **_within_prefecture(change)}, "eligibility-loss-withdrawn"
        return _within_prefecture(change), "insured-person-changed"
    if special_address_insurer_on(facts_of(record), change.change_date) == KUMAMOTO_PREFECTURE:
        return {}, "insured-person-changed"  # 住所地特例 (法第55条): still insured here
    return lost(moved_out_loss_date(change.change_date, destination), Loss.MOVED_OUT), "eligibility-lost"


def _within_prefecture(change: ResidentChange) -> dict[str, Any]:
    """県内転出: the 広域連合 is one per prefecture (法第48条) and its area is the whole of 熊本, so moving to another
    municipality in it is neither leaving the area (法第53条第1項: 喪失 is for 住所を有しなくなった者 of the area)
    nor a new acquisition (法第52条第2号 is for coming into the area): the person stays insured, the insurer
    unchanged, and the record takes the new city's address (the 住所 the 広域連合 and the new city use from now on;
    this city's postal code and 方書 no longer apply). resident_status is `moved-out`: no longer in this register."""
    return {"eligibility_status": "insured", "insurer": KUMAMOTO_PREFECTURE,
            "address": change.values["moved_out_address"], "postal_code": None, "address_detail": None,
            "resident_status": "moved-out"}


def acquired(day: date, reason: Acquisition) -> dict[str, Any]:
    """The fields of an acquisition on `day`: status, dates, reason and the insurer (this 広域連合)."""
    return {"eligibility_status": "insured", "eligibility_acquired_on": day.isoformat(),
            "eligibility_changed_on": day.isoformat(), "eligibility_change_reason": reason.value,
            "eligibility_lost_on": None, "insurer": KUMAMOTO_PREFECTURE}


def lost(day: date, reason: Loss) -> dict[str, Any]:
    return {"eligibility_status": "lost", "eligibility_lost_on": day.isoformat(),
            "eligibility_changed_on": day.isoformat(), "eligibility_change_reason": reason.value}


def _restored() -> dict[str, Any]:
    return {"eligibility_status": "insured", "eligibility_lost_on": None, "eligibility_change_reason": "転出取消",
            "resident_status": "registered", "moved_out_address": None, "moved_out_prefecture": None}

