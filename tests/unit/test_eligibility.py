"""被保険者資格 rules (高齢者の医療の確保に関する法律 第50〜55条), with hand-computed dates."""

from datetime import date

import pytest

from functions.intake.rules.eligibility import (
    Acquisition,
    Facts,
    Loss,
    acquisition_date,
    age_on,
    birth_months_to_search,
    insurer_after_move,
    is_insured_on,
    loss_date,
    reaches_75_between,
    seventy_fifth_birthday,
)


@pytest.mark.parametrize("birth, expected", [
    (date(1951, 5, 10), date(2026, 5, 10)),  # the birthday itself (法第52条)
    (date(1951, 12, 1), date(2026, 12, 1)),  # born on the 1st: acquires on the 1st, charged from that month
    (date(1951, 12, 31), date(2026, 12, 31)),  # year end
    (date(1952, 1, 1), date(2027, 1, 1)),  # new year's day
    (date(1952, 2, 29), date(2027, 3, 1)),  # 2/29 birth, 2027 is not a leap year → 3/1
    (date(1948, 2, 29), date(2023, 3, 1)),  # 2023 not leap → 3/1
    (date(1949, 2, 28), date(2024, 2, 28)),  # a 2/28 birth is unaffected
])
def test_seventy_fifth_birthday(birth: date, expected: date) -> None:
    assert seventy_fifth_birthday(birth) == expected
    assert acquisition_date(Acquisition.REACHED_75, date(2000, 1, 1), birth) == expected


def test_a_2_29_birth_always_acquires_on_3_1() -> None:
    # 75 is not a multiple of 4, so the 75th year of a 2/29 birth is never a leap year.
    assert all(seventy_fifth_birthday(date(y, 2, 29)).month == 3 for y in (1944, 1948, 1952, 1956))


def test_other_acquisitions_are_on_the_day_of_the_event() -> None:
    """法第52条: 転入, 障害認定 and the end of 適用除外 take effect that day."""
    for reason in (Acquisition.MOVED_IN, Acquisition.DISABILITY_CERTIFIED, Acquisition.EXCLUSION_ENDED):
        assert acquisition_date(reason, date(2026, 6, 15)) == date(2026, 6, 15)
    with pytest.raises(ValueError):
        acquisition_date(Acquisition.REACHED_75, date(2026, 6, 15))


def test_age_counts_by_birthdays() -> None:
    assert age_on(date(1951, 5, 10), date(2026, 5, 9)) == 74
    assert age_on(date(1951, 5, 10), date(2026, 5, 10)) == 75


@pytest.mark.parametrize("reason, event, elsewhere, expected", [
    (Loss.DEATH, date(2026, 4, 29), False, date(2026, 4, 30)),  # 死亡日の翌日
    (Loss.DEATH, date(2026, 4, 30), False, date(2026, 5, 1)),
    (Loss.DEATH, date(2026, 12, 31), False, date(2027, 1, 1)),
    (Loss.MOVED_OUT, date(2026, 6, 15), False, date(2026, 6, 16)),  # 転出: 翌日
    (Loss.MOVED_OUT, date(2026, 6, 15), True, date(2026, 6, 15)),  # insured elsewhere that day: same day
    (Loss.PUBLIC_ASSISTANCE, date(2026, 7, 1), False, date(2026, 7, 1)),  # 生活保護開始: その日 (法53条2項)
    (Loss.DISABILITY_WITHDRAWN, date(2026, 2, 28), False, date(2026, 3, 1)),
])
def test_loss_dates(reason: Loss, event: date, elsewhere: bool, expected: date) -> None:
    assert loss_date(reason, event, elsewhere) == expected


def test_insured_from_the_75th_birthday() -> None:
    facts = Facts(birth_date=date(1951, 5, 10), resident_in_prefecture=True)
    assert not is_insured_on(facts, date(2026, 5, 9))
    assert is_insured_on(facts, date(2026, 5, 10))


def test_65_to_74_with_a_disability_certification_is_insured_until_withdrawal() -> None:
    facts = Facts(birth_date=date(1958, 8, 1), resident_in_prefecture=True,
                  disability_certified_on=date(2026, 4, 1), disability_withdrawn_on=date(2026, 10, 1))
    assert not is_insured_on(facts, date(2026, 3, 31))
    assert is_insured_on(facts, date(2026, 4, 1))  # 67, certified
    assert not is_insured_on(facts, date(2026, 10, 1))  # withdrawn


def test_a_disability_certification_under_65_does_not_make_anyone_insured() -> None:
    facts = Facts(birth_date=date(1963, 1, 1), resident_in_prefecture=True, disability_certified_on=date(2026, 4, 1))
    assert age_on(facts.birth_date, date(2026, 4, 1)) == 63
    assert not is_insured_on(facts, date(2026, 4, 1))


def test_public_assistance_excludes_and_its_end_restores() -> None:
    """法第51条第1号: 生活保護 households are 適用除外; the exclusion ends the day 保護 ends."""
    facts = Facts(birth_date=date(1940, 1, 1), resident_in_prefecture=True,
                  public_assistance_since=date(2026, 7, 1), public_assistance_ended_on=date(2026, 11, 1))
    assert is_insured_on(facts, date(2026, 6, 30))
    assert not is_insured_on(facts, date(2026, 7, 1))
    assert is_insured_on(facts, date(2026, 11, 1))


def test_moving_out_of_the_prefecture_ends_eligibility_unless_special_address_rule() -> None:
    outside = Facts(birth_date=date(1940, 1, 1), resident_in_prefecture=False)
    assert not is_insured_on(outside, date(2026, 7, 1))
    kept = Facts(birth_date=date(1940, 1, 1), resident_in_prefecture=False, special_address_insurer="43")
    assert is_insured_on(kept, date(2026, 7, 1))


@pytest.mark.parametrize("facility, new_pref, expected", [(True, "40", "43"), (False, "40", "40"), (True, "43", "43")])
def test_special_address_rule_keeps_the_previous_kouiki_for_facilities(facility: bool, new_pref: str,
                                                                       expected: str) -> None:
    """住所地特例 (法第55条): entering a facility in 福岡 (40) keeps 熊本 (43)."""
    assert insurer_after_move("43", new_pref, facility) == expected


def test_reaching_75_search_covers_month_ends_and_2_29() -> None:
    months = birth_months_to_search(date(2027, 3, 1), date(2027, 3, 31))
    assert months == ["1952-02", "1952-03"]  # 1952-02-29 reaches 75 on 2027-03-01
    assert reaches_75_between(date(1952, 2, 29), date(2027, 3, 1), date(2027, 3, 31))
    assert not reaches_75_between(date(1952, 2, 28), date(2027, 3, 1), date(2027, 3, 31))
    assert birth_months_to_search(date(2026, 12, 1), date(2027, 1, 31)) == ["1951-11", "1951-12", "1952-01"]
