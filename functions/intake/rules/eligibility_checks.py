"""What a counter notification may ask for, checked before it is proposed (法第50〜53条, 規則第8・10・25条).

Pure: the person's record, the notification's date and today's date in, a `NotEligible` problem out. A refusal
names the rule, never a personal value beyond the age it computed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from functions.intake.rules.eligibility import AGE_OF_ELIGIBILITY, DISABILITY_MIN_AGE, Acquisition, age_on
from shared.domain.errors import Invalid

__all__ = ["EARLIEST_EVENT", "LATEST_AHEAD", "EventDateOutOfRange", "NotEligible", "check_acquisition",
           "check_disability_application", "check_disability_end", "check_disability_withdrawal", "check_event_date"]

# 後期高齢者医療 began on 2008-04-01 (健康保険法等の一部を改正する法律 平成18年法律第83号 附則第1条): no event of
# this insurance is older. A notification is taken for what has happened or is about to (a 75歳到達 card is
# mailed the month before): more than a year ahead is a typing error, refused rather than stored.
EARLIEST_EVENT = date(2008, 4, 1)
LATEST_AHEAD = timedelta(days=366)


class NotEligible(Invalid):
    code = "not-eligible"
    title = "The change is not valid"


class EventDateOutOfRange(Invalid):
    code = "event-date-out-of-range"
    title = "The date is out of range"


def check_event_date(day: date, today: date) -> None:
    """Refuse a date before the insurance existed or more than a year ahead, with a problem saying which."""
    if day < EARLIEST_EVENT:
        raise EventDateOutOfRange(f"the event date is before 後期高齢者医療 began ({EARLIEST_EVENT.isoformat()})")
    if day > today + LATEST_AHEAD:
        raise EventDateOutOfRange(f"the event date is more than {LATEST_AHEAD.days} days ahead of today")


def _certified_on(record: dict[str, Any], day: date) -> bool:
    certified, withdrawn = record.get("disability_certified_on"), record.get("disability_withdrawn_on")
    return bool(certified) and certified <= day.isoformat() and not (withdrawn and withdrawn <= day.isoformat())


def check_acquisition(reason: Acquisition, day: date, record: dict[str, Any]) -> None:
    """法第50条: an acquisition needs age 75 or over on the day (第1号), or 65–74 with 障害認定 (第2号).
    75歳到達 needs the person to be 75 on the day; 障害認定 is its own notification (規則第8条)."""
    age = age_on(date.fromisoformat(record["birth_date"]), day)
    if reason is Acquisition.REACHED_75 and age < AGE_OF_ELIGIBILITY:
        raise NotEligible(f"75歳到達 (法第52条第1号) needs age 75 on the day; the person is {age}")
    if age >= AGE_OF_ELIGIBILITY:
        return
    if age >= DISABILITY_MIN_AGE and _certified_on(record, day):
        return
    raise NotEligible(f"an acquisition needs age 75, or 65–74 with 障害認定 (法第50条); the person is {age} "
                      "without a 認定 in force")


def check_disability_application(day: date, record: dict[str, Any]) -> None:
    """障害認定 (法第50条第2号, 規則第8条) is for ages 65 to 74 on the day of the 認定."""
    age = age_on(date.fromisoformat(record["birth_date"]), day)
    if not DISABILITY_MIN_AGE <= age < AGE_OF_ELIGIBILITY:
        raise NotEligible(f"障害認定 is for ages 65 to 74 (法第50条第2号); the person is {age}")


def check_disability_withdrawal(day: date, today: date, record: dict[str, Any]) -> None:
    """撤回 of the 障害認定 application (法第50条第2号 is by the person's 申請): only while the 認定 is what insures
    (before 75; at 75 the person is insured by age, 第1号), and only from today on — it cannot undo past
    coverage."""
    _needs_certification_before_75(day, record, "撤回")
    if day < today:
        raise NotEligible("a 障害認定 withdrawal takes effect from today or later, never for the past")


def check_disability_end(day: date, record: dict[str, Any]) -> None:
    """障害状態不該当 (規則第25条): the 認定 must be in force and the person under 75 on the day the state ended."""
    _needs_certification_before_75(day, record, "障害状態不該当")


def _needs_certification_before_75(day: date, record: dict[str, Any], what: str) -> None:
    if not _certified_on(record, day):
        raise NotEligible(f"{what} needs a 障害認定 in force on that day")
    age = age_on(date.fromisoformat(record["birth_date"]), day)
    if age >= AGE_OF_ELIGIBILITY:
        raise NotEligible(f"{what} is possible only before 75: at {age} the person is insured by age (法第50条第1号)")
