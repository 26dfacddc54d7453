"""住所地特例 (法第55条, 第55条の2): the 届 taken at the counter, what it records and what it changes.

Pure: the person's record, the 届's facts and today's date in; the person fields to set out, or an `Invalid`
problem with a code of its own (docs/api-errors.md). Sources (../shared/docs/domain-rules.md §4):

- 法第55条第1項: a 被保険者 who, by entering a hospital or facility (住所地特例対象施設: 病院・診療所, 障害者支援
  施設, 養護・特別養護老人ホーム, 介護保険施設, 特定施設 — 同項各号 [P: the item numbering is not verified here]),
  moves their 住所 to it, and who had their 住所 in another 広域連合's area when entering, stays insured by that
  other 広域連合 「第50条の規定にかかわらず」. Seen from 熊本 this is two cases:
  - `facility-out`: a person insured here enters a facility in another prefecture → still insured here (insurer
    `43`); the 住基 転出 to that prefecture then loses nothing (rules/eligibility_events.py).
  - `facility-in`: a person of another 広域連合 enters a facility in 熊本 → insured by that 広域連合, not here,
    although the 住基 now shows a 熊本 address (rules/eligibility.py `is_insured_on`).
- 第55条第2項: moving on from one such facility to another (継続入院等) keeps the same insurer: the 特例 is one
  record from the first entry; a second 届 for the next facility replaces the facility, keeps `from`.
- 第55条の2: a person who is 国民健康保険 住所地特例 (国民健康保険法第116条の2) of a 市町村 in another prefecture
  and becomes insured under this law (at 75, or by 障害認定) is insured by that prefecture's 広域連合
  (`kokuho-carryover`): living in a 熊本 facility, they are not insured here, and the reaching-75 run skips them.

The 特例 ends (退所, or a move out of the facility) with its own 届: from that day the person's 住所 decides as
usual. A `facility-out` person then living at an ordinary address in the other prefecture loses the 資格 here on
that day (法第53条第1項ただし書: an address in another 広域連合 that same day); a `facility-in` or `kokuho-carryover`
person now living in 熊本 without the 特例 acquires here on that day (法第52条: 区域内に住所を有するに至った日).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.eligibility import (
    KUMAMOTO_PREFECTURE,
    Acquisition,
    Loss,
    is_insured_on,
    lives_in_another_kouiki,
)
from functions.intake.rules.eligibility_events import acquired
from shared.domain.errors import Invalid

__all__ = ["BASES", "FACILITY_KINDS", "SPECIAL_ADDRESS_FIELDS", "special_address_ended", "special_address_started"]

BASES = {"facility-out": "法第55条第1項", "facility-in": "法第55条第1項", "kokuho-carryover": "法第55条の2"}
FACILITY_KINDS = {"hospital": "病院又は診療所", "disability-support": "障害者支援施設",
                  "elderly-home": "養護老人ホーム又は特別養護老人ホーム", "care-facility": "介護保険施設",
                  "specified-facility": "特定施設"}
SPECIAL_ADDRESS_FIELDS = ("special_address_insurer", "special_address_basis", "special_address_facility",
                          "special_address_facility_kind", "special_address_facility_prefecture",
                          "special_address_from", "special_address_until", "special_address_notified_on")
TITLE = "The 住所地特例 is not valid"
CHANGE_REASON_OTHER = "住所地特例 (他広域連合)"


def _day(record: dict[str, Any], name: str) -> date | None:
    return date.fromisoformat(record[name]) if record.get(name) else None


def _insured_when_entering(record: dict[str, Any], day: date) -> bool:
    """Insured here up to the entry: acquired on or before `day` and not lost before it (a loss on the entry day
    itself is the 転出 the 特例 undoes)."""
    acquired, lost = _day(record, "eligibility_acquired_on"), _day(record, "eligibility_lost_on")
    return record.get("eligibility_status") in ("insured", "lost") and acquired is not None and acquired <= day \
        and (lost is None or lost >= day)


def special_address_started(record: dict[str, Any], *, basis: str, insurer: str | None, facility: str,
                            facility_kind: str, facility_prefecture: str, day: date, until: date | None,
                            today: date) -> dict[str, Any]:
    """The fields a confirmed 住所地特例 届 sets, from `day` (入院等の日; for 第55条の2 the day the 国保 特例 began)."""
    if until is not None and until <= day:
        raise Invalid("the 特例 ends after it starts (終了日 > 開始日)",
                      code="special-address-period", title=TITLE)
    if basis == "facility-out":
        if not lives_in_another_kouiki(facility_prefecture):
            raise Invalid("a facility in 熊本 (or abroad) is no 住所地特例: the "
                          "特例 keeps this 広域連合 for a facility in another prefecture (法第55条第1項)",
                          code="special-address-same-kouiki", title=TITLE)
        if not _insured_when_entering(record, day):
            raise Invalid("法第55条第1項 keeps a 被保険者 insured: the person "
                          "was not insured here when entering the facility",
                          code="special-address-not-insured-here", title=TITLE)
        insurer = KUMAMOTO_PREFECTURE
    else:
        if insurer is None or not lives_in_another_kouiki(insurer):
            raise Invalid("another 広域連合's 特例 names that 広域連合's prefecture "
                          "(01–47, not 熊本 43)",
                          code="special-address-same-kouiki", title=TITLE)
        if facility_prefecture != KUMAMOTO_PREFECTURE:
            raise Invalid("another 広域連合's 特例 is recorded here only for "
                          "a facility in 熊本 (43)",
                          code="special-address-facility-not-here", title=TITLE)
        acquired_on = _day(record, "eligibility_acquired_on")
        if record.get("eligibility_status") == "insured" and acquired_on is not None and acquired_on < day:
            raise Invalid("the person was insured here before entering: a move "
                          "within 熊本 stays with this 広域連合 (法第55条 covers a move across 広域連合)",
                          code="special-address-same-kouiki", title=TITLE)
    fields: dict[str, Any] = {
        "special_address_insurer": insurer, "special_address_basis": BASES[basis],
        "special_address_facility": facility, "special_address_facility_kind": FACILITY_KINDS[facility_kind],
        "special_address_facility_prefecture": facility_prefecture,
        # 第55条第2項 (継続入院等): a 届 for the next facility keeps the first entry's day
        "special_address_from": _continued_from(record, insurer, day).isoformat(),
        "special_address_until": until.isoformat() if until else None,
        "special_address_notified_on": today.isoformat()}
    if basis == "facility-out":
        if record.get("eligibility_status") == "lost" and record.get("eligibility_change_reason") == \
                Loss.MOVED_OUT.value:  # the 転出 was applied before the 届: the 特例 keeps the person insured
            fields |= {"eligibility_status": "insured", "eligibility_lost_on": None,
                       "eligibility_changed_on": day.isoformat(), "eligibility_change_reason": "住所地特例",
                       "insurer": KUMAMOTO_PREFECTURE}
    elif record.get("eligibility_status") == "insured":
        # Acquired here on or after the entry (a 転入 row or the reaching-75 run came first): 第55条 / 第55条の2
        # say the other 広域連合 insures, so that acquisition never held.
        fields |= {"eligibility_status": "not-insured", "eligibility_acquired_on": None,
                   "eligibility_changed_on": day.isoformat(),
                   "eligibility_change_reason": CHANGE_REASON_OTHER, "insurer": insurer}
    else:
        fields |= {"eligibility_status": "not-insured", "insurer": insurer}
    return fields


def _continued_from(record: dict[str, Any], insurer: str, day: date) -> date:
    held_from, held_until = _day(record, "special_address_from"), _day(record, "special_address_until")
    continued = record.get("special_address_insurer") == insurer and held_from is not None and held_from <= day \
        and (held_until is None or held_until >= day)
    return held_from if continued and held_from else day


def special_address_ended(record: dict[str, Any], day: date, facts_after: Any) -> dict[str, Any]:
    """The fields of the 特例's end on `day` (退所等; from this day no 特例). `facts_after` are the person's facts
    with the end applied (rules/eligibility_events.facts_of), used for an acquisition here."""
    started, ended = _day(record, "special_address_from"), _day(record, "special_address_until")
    insurer = record.get("special_address_insurer")
    if not insurer or started is None or (ended is not None and ended <= day):
        raise Invalid("no 住所地特例 in force on that day is recorded",
                      code="special-address-not-recorded", title=TITLE)
    if day <= started:
        raise Invalid("the 特例 ends after it starts (終了日 > 開始日)",
                      code="special-address-period", title=TITLE)
    fields: dict[str, Any] = {"special_address_until": day.isoformat()}
    if insurer == KUMAMOTO_PREFECTURE:
        if record.get("resident_status") != "registered" and record.get("eligibility_status") == "insured":
            # living at an ordinary address in the other prefecture from this day: 法第53条第1項ただし書
            fields |= {"eligibility_status": "lost", "eligibility_lost_on": day.isoformat(),
                       "eligibility_changed_on": day.isoformat(), "eligibility_change_reason": Loss.MOVED_OUT.value}
        return fields
    if record.get("resident_status") == "registered" and is_insured_on(facts_after, day):
        fields |= acquired(day, Acquisition.SPECIAL_ADDRESS_ENDED)
    return fields

