"""被保険者資格 (eligibility) under 高齢者の医療の確保に関する法律 第50〜55条, as pure functions.

Sources (../shared/docs/domain-rules.md §4): 法第50条 (who is insured), 第51条 (適用除外), 第52条 (取得日),
第53条 (喪失日), 第55条・第55条の2 (住所地特例). Dates are Japan dates; nothing here reads a clock.
"""

from __future__ import annotations

from calendar import isleap
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

AGE_OF_ELIGIBILITY = 75  # 法第50条第1号
DISABILITY_MIN_AGE = 65  # 法第50条第2号: 65歳以上75歳未満で障害認定を受けた者
KUMAMOTO_PREFECTURE = "43"  # JIS X 0401; also the insurer code of the 熊本県後期高齢者医療広域連合 here
ABROAD = "99"  # the 住基 file's other_prefecture for 国外 (no JIS X 0401 prefecture is 48 or over)


def birthday_in_year(birth: date, year: int) -> date:
    """The birthday in `year`; a 2/29 birthday falls on 3/1 in a non-leap year (domain-rules §4)."""
    if birth.month == 2 and birth.day == 29 and not isleap(year):
        return date(year, 3, 1)
    return birth.replace(year=year)


def seventy_fifth_birthday(birth: date) -> date:
    """資格取得日 for 75歳到達: the 75th birthday itself (法第52条第1号)."""
    return birthday_in_year(birth, birth.year + AGE_OF_ELIGIBILITY)


def age_on(birth: date, day: date) -> int:
    """Age on `day` counted by birthdays (the 2/29 rule as above)."""
    years = day.year - birth.year
    return years if day >= birthday_in_year(birth, day.year) else years - 1


class Acquisition(str, Enum):
    REACHED_75 = "75歳到達"
    DISABILITY_CERTIFIED = "障害認定"
    MOVED_IN = "転入"
    EXCLUSION_ENDED = "適用除外該当終了"
    SPECIAL_ADDRESS_ENDED = "住所地特例終了"  # another 広域連合's 住所地特例 ended while living here (法第52条, 第55条)


class Loss(str, Enum):
    DEATH = "死亡"
    MOVED_OUT = "転出"
    PUBLIC_ASSISTANCE = "生活保護開始"
    DISABILITY_WITHDRAWN = "障害認定撤回"
    DISABILITY_ENDED = "障害状態不該当"  # 規則第25条の届
    OTHER_EXCLUSION = "適用除外該当"  # 法第51条第2号 (規則の定める者)


def acquisition_date(reason: Acquisition, event_day: date, birth: date | None = None) -> date:
    """法第52条: 75歳到達 → the 75th birthday; 転入, 障害認定, 適用除外終了 → the day of the event."""
    if reason is Acquisition.REACHED_75:
        if birth is None:
            raise ValueError("75歳到達 needs the birth date")
        return seventy_fifth_birthday(birth)
    return event_day


def loss_date(reason: Loss, event_day: date, insured_elsewhere_same_day: bool = False) -> date:
    """法第53条: the day after death, moving out, withdrawal, the end of the 障害 state or a 第51条第2号
    exclusion (第1項); the same day for 生活保護 (第2項: 第51条第1号に該当するに至った日) or when the person has an
    address in another 広域連合 on the day of moving (第1項ただし書)."""
    if reason is Loss.PUBLIC_ASSISTANCE:
        return event_day
    if reason is Loss.MOVED_OUT and insured_elsewhere_same_day:
        return event_day
    return event_day + timedelta(days=1)


def lives_in_another_kouiki(prefecture: str | None) -> bool:
    """A destination with an address in another 広域連合 (one per prefecture, 法第48条): a JIS X 0401 code 01–47
    other than 熊本. 国外 (`99`) and an unknown destination are not."""
    if not prefecture or not prefecture.isdigit():
        return False
    return 1 <= int(prefecture) <= 47 and prefecture != KUMAMOTO_PREFECTURE


def moved_out_loss_date(move_day: date, destination_prefecture: str | None) -> date:
    """法第53条第1項: 県外転出 loses on the 転出日 itself, because the person has an address in another 広域連合 that
    same day (ただし書); 国外転出 or no known new address loses the day after."""
    return loss_date(Loss.MOVED_OUT, move_day, lives_in_another_kouiki(destination_prefecture))


@dataclass(frozen=True)
class Facts:
    """What decides eligibility on one day."""

    birth_date: date
    resident_in_prefecture: bool
    disability_certified_on: date | None = None
    disability_withdrawn_on: date | None = None
    public_assistance_since: date | None = None
    public_assistance_ended_on: date | None = None
    public_assistance_suspended_from: date | None = None  # 保護停止: not 適用除外 (法第51条第1号)
    public_assistance_suspended_until: date | None = None
    other_exclusion_since: date | None = None  # 法第51条第2号
    other_exclusion_ended_on: date | None = None
    special_address_insurer: str | None = None  # 住所地特例: the 広域連合 (prefecture code) that insures
    special_address_from: date | None = None
    special_address_until: date | None = None


def _between(day: date, start: date | None, end: date | None) -> bool:
    return start is not None and start <= day and (end is None or day < end)


def is_excluded(facts: Facts, day: date) -> bool:
    """法第51条: a member of a household receiving 生活保護 (第1号; a household whose 保護 is 停止 is not excluded)
    or a person the 規則 names (第2号) is not insured."""
    if _between(day, facts.other_exclusion_since, facts.other_exclusion_ended_on):
        return True
    suspended = _between(day, facts.public_assistance_suspended_from, facts.public_assistance_suspended_until)
    return not suspended and _between(day, facts.public_assistance_since, facts.public_assistance_ended_on)


def special_address_insurer_on(facts: Facts, day: date) -> str | None:
    """The 広域連合 that insures under 住所地特例 (法第55条, 第55条の2) on `day`, or None outside the 特例."""
    started = facts.special_address_from is None or facts.special_address_from <= day
    ended = facts.special_address_until is not None and facts.special_address_until <= day
    return facts.special_address_insurer if facts.special_address_insurer and started and not ended else None


def is_insured_on(facts: Facts, day: date) -> bool:
    """法第50条 with 第51条 and 第55条: 75 or over (or 65–74 with 障害認定), living in the area or kept here by
    住所地特例, not 適用除外. Living here under another 広域連合's 住所地特例 is not being insured here."""
    if is_excluded(facts, day):
        return False
    special = special_address_insurer_on(facts, day)
    if special is not None:
        if special != KUMAMOTO_PREFECTURE:
            return False
    elif not facts.resident_in_prefecture:
        return False
    if day >= seventy_fifth_birthday(facts.birth_date):
        return True
    certified = _between(day, facts.disability_certified_on, facts.disability_withdrawn_on)
    return certified and age_on(facts.birth_date, day) >= DISABILITY_MIN_AGE


def insurer_after_move(previous_insurer: str, new_prefecture: str, into_facility: bool) -> str:
    """住所地特例 (法第55条): moving into a hospital or facility in another prefecture keeps the previous
    広域連合; otherwise the new prefecture's 広域連合 insures."""
    if into_facility and new_prefecture != previous_insurer:
        return previous_insurer
    return new_prefecture


def reaches_75_between(birth: date, first: date, last: date) -> bool:
    return first <= seventy_fifth_birthday(birth) <= last


def birth_months_to_search(first: date, last: date) -> list[str]:
    """The birth months ("YYYY-MM") that can reach 75 in [first, last]: the span 75 years earlier, plus the
    month before it (a 2/29 birth reaches 75 on 3/1). Callers filter exactly with reaches_75_between."""
    year, month = first.year - AGE_OF_ELIGIBILITY, first.month - 1
    if month == 0:
        year, month = year - 1, 12
    months = []
    while (year, month) <= (last.year - AGE_OF_ELIGIBILITY, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
