"""Household events: a 住基 change to someone who is not insured still matters to the 広域連合 when it touches the
household of an insured person or of someone about to reach 75.

Source: PIA II-5 ③ (移転する情報, ../shared/seed/): the city sends the 広域連合 「年齢到達により被保険者となる住民
および世帯構成員、並びに既に被保険者となっている住民および世帯構成員の住基情報(世帯単位)」, and the 住登外登録情報 the
same way; II-2 ③ names the 世帯構成員 「被保険者と同一の世帯に属する者」. The 広域連合 needs them because 一部負担割合
is judged per household (法第67条) and 保険料 軽減 per household (法第104条 ff.). So a change to any member of such a
household — e.g. the 世帯主, not insured, dies — is an event, even though nobody's 資格 changes.

Pure: the caller gives the household members as stored (with the chunk's own changes over them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from functions.intake.rules.eligibility import seventy_fifth_birthday

__all__ = ["HOUSEHOLD_KIND", "PROSPECT_KIND", "PROSPECT_MONTHS", "household_event", "is_prospect", "months_after"]

HOUSEHOLD_KIND = "insured-person-household"  # the 世帯構成員 of someone of interest changed
# Each kind queued for the 広域連合 needs its 異動区分 code in the transfer layout (docs/transfer.md "Layouts").
PROSPECT_KIND = "eligibility-prospect"  # someone about to reach 75 changed

# 年齢到達予定者: the PIA names them without a period ([U]: no source gives one). This system takes those whose 75th
# birthday falls within 3 months after the change: the reaching-75 run decides each person in the month before the
# birthday (the card is mailed then, 菊陽町; docs/intake.md), so 3 months covers that decision with a month to spare
# for the 広域連合's household data (負担割合, 法第67条) to be in place before it.
PROSPECT_MONTHS = 3


def months_after(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (1/31 + 1 month → 2/28 or 2/29)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _insured(record: Mapping[str, Any] | None) -> bool:
    return bool(record) and record.get("eligibility_status") == "insured"  # type: ignore[union-attr]


def is_prospect(record: Mapping[str, Any] | None, day: date) -> bool:
    """年齢到達予定者 on `day`: a registered resident, not insured, whose 75th birthday (法第52条第1号) falls after
    `day` and no more than PROSPECT_MONTHS later."""
    if not record or _insured(record) or record.get("resident_status") != "registered" or not record.get("birth_date"):
        return False
    birthday = seventy_fifth_birthday(date.fromisoformat(record["birth_date"]))
    return day < birthday <= months_after(day, PROSPECT_MONTHS)


def _of_interest(record: Mapping[str, Any], day: date) -> bool:
    return _insured(record) or is_prospect(record, day)


def household_event(before: Mapping[str, Any] | None, after: Mapping[str, Any], day: date,
                    members: Callable[[str], Iterable[Mapping[str, Any]]]) -> tuple[str, dict[str, Any]] | None:
    """(kind, summary) for a change on `day` to a person who is not insured (their own eligibility raised nothing),
    or None when it concerns no one the 広域連合 follows. `members(household_id)` gives the household's members.

    The person's household before and after the change both count (a 世帯変更 changes both). The summary names
    households and persons by their codes only: never a My Number."""
    person_id = after["person_id"]
    if is_prospect(before, day) or is_prospect(after, day):
        return PROSPECT_KIND, {"household_id": after.get("household_id")}
    households = sorted({h for h in ((before or {}).get("household_id"), after.get("household_id")) if h})
    found = {h: sorted(m["person_id"] for m in members(h) if m["person_id"] != person_id and _of_interest(m, day))
             for h in households}
    found = {h: ids for h, ids in found.items() if ids}
    if not found:
        return None
    return HOUSEHOLD_KIND, {"household_id": after.get("household_id"), "households": sorted(found),
                            "members_of_interest": sorted({i for ids in found.values() for i in ids})}
