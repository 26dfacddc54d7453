"""Which counter notifications may be taken (法第50〜53条, 規則第8・25条), from hand-computed ages and dates."""

from __future__ import annotations

from datetime import date

import pytest

from functions.intake.rules.eligibility import Acquisition
from functions.intake.rules.eligibility_checks import (
    EventDateOutOfRange,
    NotEligible,
    check_acquisition,
    check_disability_application,
    check_disability_end,
    check_disability_withdrawal,
    check_event_date,
)
from functions.intake.rules.resident_changes import parse_file
from tests.resident_files import csv_bytes, row

SEVENTY = {"birth_date": "1956-06-01"}  # on 2026-06-01: 2026 − 1956 = 70
CERTIFIED = {"birth_date": "1958-08-01", "disability_certified_on": "2026-04-01"}  # 67 on 2026-04-01


def test_acquisition_at_75_is_accepted_and_the_day_before_refused() -> None:
    # Born 1951-06-01: 75 on 2026-06-01 (1951 + 75), 74 on 2026-05-31.
    born = {"birth_date": "1951-06-01"}
    check_acquisition(Acquisition.MOVED_IN, date(2026, 6, 1), born)
    with pytest.raises(NotEligible):
        check_acquisition(Acquisition.MOVED_IN, date(2026, 5, 31), born)


def test_reaching_75_on_a_70_year_old_is_refused() -> None:
    # Even with a 認定 in force (which would allow a 転入 acquisition at 70), 75歳到達 needs 75 on the day.
    certified_at_70 = {**SEVENTY, "disability_certified_on": "2026-04-01"}
    check_acquisition(Acquisition.MOVED_IN, date(2026, 6, 1), certified_at_70)
    with pytest.raises(NotEligible, match="is 70"):
        check_acquisition(Acquisition.REACHED_75, date(2026, 6, 1), certified_at_70)


def test_an_acquisition_at_65_to_74_needs_a_certification_in_force() -> None:
    check_acquisition(Acquisition.MOVED_IN, date(2026, 4, 1), CERTIFIED)  # 67 with 認定 from 4/1
    with pytest.raises(NotEligible):
        check_acquisition(Acquisition.MOVED_IN, date(2026, 3, 31), CERTIFIED)  # the day before the 認定
    with pytest.raises(NotEligible):
        check_acquisition(Acquisition.MOVED_IN, date(2026, 4, 1), SEVENTY)  # 69 on 4/1, no 認定


@pytest.mark.parametrize("birth, day, ok", [
    ("1961-04-01", date(2026, 4, 1), True),  # 65th birthday that day: 2026 − 1961 = 65
    ("1961-04-02", date(2026, 4, 1), False),  # 64 (the birthday is tomorrow)
    ("1951-04-02", date(2026, 4, 1), True),  # 74, the last day before 75
    ("1951-04-01", date(2026, 4, 1), False),  # 75: insured by age, no 認定
])
def test_disability_certification_is_for_65_to_74(birth: str, day: date, ok: bool) -> None:
    if ok:
        check_disability_application(day, {"birth_date": birth})
    else:
        with pytest.raises(NotEligible):
            check_disability_application(day, {"birth_date": birth})


def test_a_withdrawal_is_only_for_the_future_and_only_before_75() -> None:
    today = date(2026, 6, 10)
    check_disability_withdrawal(date(2026, 6, 10), today, CERTIFIED)  # today is allowed
    with pytest.raises(NotEligible, match="never for the past"):
        check_disability_withdrawal(date(2026, 6, 9), today, CERTIFIED)
    # Born 1951-04-02, certified at 73: 75 on 2026-04-02; a withdrawal on 2026-06-10 is refused (insured by age).
    older = {"birth_date": "1951-04-02", "disability_certified_on": "2024-05-01"}
    with pytest.raises(NotEligible, match="only before 75"):
        check_disability_withdrawal(date(2026, 6, 10), today, older)
    with pytest.raises(NotEligible, match="障害認定 in force"):
        check_disability_withdrawal(date(2026, 6, 10), today, SEVENTY)


def test_the_end_of_the_disability_state_may_be_in_the_past_but_not_at_75() -> None:
    check_disability_end(date(2026, 5, 1), CERTIFIED)  # a fact of the past: 規則第25条 届
    with pytest.raises(NotEligible):
        check_disability_end(date(2033, 8, 1), CERTIFIED)  # 1958 + 75 = 2033-08-01: 75 that day


def test_far_dates_are_a_clear_problem() -> None:
    today = date(2026, 6, 10)
    check_event_date(date(2008, 4, 1), today)  # the first day of 後期高齢者医療
    check_event_date(date(2027, 6, 11), today)  # 2026-06-10 + 366 days = 2027-06-11
    for far in (date(2008, 3, 31), date(2027, 6, 12), date(9999, 12, 31)):
        with pytest.raises(EventDateOutOfRange):
            check_event_date(far, today)


def test_a_far_date_in_a_resident_file_is_a_reject_not_an_overflow() -> None:
    parsed = parse_file(csv_bytes([row(1, "05", "0000000001", change_date="99991231")]), "utf-8")
    assert [(r.row, r.field) for r in parsed.rejects] == [(1, "change_date")]
