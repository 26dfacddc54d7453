"""Eligibility consequences of 住基異動 rows, from hand-computed statute cases (法第51〜53条, 第55条).

Every expected date is written out by hand beside its source; nothing here calls the production date formulas.
法第53条第1項: 「…区域内に住所を有しなくなつた日の翌日から、その資格を喪失する。ただし、当該区域内に住所を有し
なくなつた日に他の後期高齢者医療広域連合の区域内に住所を有するに至つたときは、その日から、その資格を喪失する。」
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.eligibility import Facts, Loss, is_insured_on, loss_date
from functions.intake.rules.eligibility_events import eligibility_update
from functions.intake.rules.resident_changes import ResidentChange, parse_file
from tests.resident_files import csv_bytes, move_in, row

INSURED = {"person_id": "P0000000001", "birth_date": "1948-05-10", "resident_status": "registered",
           "eligibility_status": "insured", "eligibility_acquired_on": "2023-05-10",
           "eligibility_change_reason": "75歳到達", "insurer": "43"}


def change(fields: dict[str, str]) -> ResidentChange:
    parsed = parse_file(csv_bytes([fields]), "utf-8")
    assert parsed.rejects == [], parsed.rejects
    return parsed.changes[0]


def move_out(code: str = "02", day: str = "20260615", prefecture: str = "40") -> ResidentChange:
    return change(row(1, code, "0000000001", change_date=day, other_address="福岡市中央区天神1-1",
                      other_prefecture=prefecture))


def apply(c: ResidentChange, record: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    updates, kind = eligibility_update(c, record)
    return {**record, **updates}, kind


# --- item 1: 県外転出 -------------------------------------------------------------------------------------------

def test_moving_to_another_prefecture_loses_on_the_moving_day_itself() -> None:
    # 転出 to 福岡 (40) on 2026-06-15: an address in 福岡県広域連合 that same day → 喪失日 2026-06-15 (ただし書).
    record, kind = apply(move_out(day="20260615", prefecture="40"), INSURED)
    assert kind == "eligibility-lost" and record["eligibility_lost_on"] == "2026-06-15"


def test_moving_abroad_loses_the_next_day() -> None:
    # 国外転出 (99) on 2026-06-30: no address in any 広域連合 → 翌日 2026-07-01 (本文).
    record, _ = apply(move_out(day="20260630", prefecture="99"), INSURED)
    assert record["eligibility_lost_on"] == "2026-07-01"


def test_the_move_out_confirmed_by_the_move_in_notice_re_raises_with_the_actual_date() -> None:
    # 転出予定 6/15; the 転入通知 from 福岡 says the person actually moved on 6/20 → 喪失日 2026-06-20, and a new
    # event although the person is already "lost".
    lost, _ = apply(move_out(day="20260615"), INSURED)
    record, kind = apply(move_out(code="10", day="20260620"), lost)
    assert kind == "eligibility-lost" and record["eligibility_lost_on"] == "2026-06-20"


def test_a_correction_to_abroad_moves_the_loss_to_the_next_day() -> None:
    # 訂正: the destination was 国外 (99), 2026-06-15 → 翌日 2026-06-16.
    lost, _ = apply(move_out(day="20260615"), INSURED)
    record, kind = apply(move_out(code="12", day="20260615", prefecture="99"), lost)
    assert kind == "eligibility-lost" and record["eligibility_lost_on"] == "2026-06-16"


def test_a_cancelled_move_out_withdraws_the_loss() -> None:
    lost, _ = apply(move_out(day="20260615"), INSURED)
    record, kind = apply(change(row(2, "11", "0000000001", change_date="20260615")), lost)
    assert kind == "eligibility-loss-withdrawn"
    assert record["eligibility_status"] == "insured" and record["eligibility_lost_on"] is None
    assert record["resident_status"] == "registered"


def test_a_cancellation_for_someone_who_did_not_lose_by_moving_raises_nothing() -> None:
    dead = {**INSURED, "eligibility_status": "lost", "eligibility_change_reason": "死亡"}
    assert eligibility_update(change(row(2, "11", "0000000001")), dead) == ({}, None)


# --- item 2: 住所地特例 (法第55条, 第55条の2) ----------------------------------------------------------------------

FACILITY = {**INSURED, "special_address_insurer": "43", "special_address_facility": "福岡○○病院",
            "special_address_from": "2026-06-15"}


def test_moving_into_a_facility_in_another_prefecture_stays_insured_here() -> None:
    # 入院 in 福岡 on 6/15 with the 住所地特例 届: 法第55条 keeps 熊本県広域連合 as the insurer; no loss.
    record, kind = apply(move_out(day="20260615"), FACILITY)
    assert kind == "insured-person-changed" and record["eligibility_status"] == "insured"


def test_the_special_rule_does_not_cover_a_move_before_it_started() -> None:
    # 特例 from 6/15; a 転出 on 6/14 is an ordinary 県外転出 → 喪失日 6/14.
    record, kind = apply(move_out(day="20260614"), FACILITY)
    assert kind == "eligibility-lost" and record["eligibility_lost_on"] == "2026-06-14"


def test_a_special_address_person_of_another_kouiki_moving_into_kumamoto_is_not_insured_here() -> None:
    # A 福岡 (40) insured person enters a 熊本 facility on 2026-04-01: 福岡県広域連合 insures (法第55条).
    other = {"person_id": "P1000000101", "birth_date": "1949-03-01", "special_address_insurer": "40",
             "special_address_from": "2026-04-01"}
    record, kind = apply(change(move_in(1, "1000000101", birth="19490301", prefecture="40")), other)
    assert kind is None and record["eligibility_status"] == "not-insured"


# --- item 5: 適用除外 (法第51条) on the event paths ------------------------------------------------------------------

def test_a_move_in_under_public_assistance_does_not_acquire() -> None:
    # 77 on 2026-04-01, 生活保護 since 2026-03-01: 法第51条第1号 → not insured.
    under = {"person_id": "P1000000101", "birth_date": "1949-03-01", "public_assistance_since": "2026-03-01"}
    record, kind = apply(change(move_in(1, "1000000101", birth="19490301", prefecture="40")), under)
    assert kind is None and record["eligibility_status"] == "not-insured"


def test_a_move_in_while_assistance_is_suspended_acquires() -> None:
    # 保護停止 from 2026-03-15: a household whose 保護 is 停止 is not 適用除外 (法第51条第1号かっこ書) → acquires 4/1.
    suspended = {"person_id": "P1000000101", "birth_date": "1949-03-01", "public_assistance_since": "2026-03-01",
                 "public_assistance_suspended_from": "2026-03-15"}
    record, kind = apply(change(move_in(1, "1000000101", birth="19490301", prefecture="40")), suspended)
    assert kind == "eligibility-acquired" and record["eligibility_acquired_on"] == "2026-04-01"
    assert record["insurer"] == "43"


def test_public_assistance_start_and_end_and_suspension_by_the_statute() -> None:
    """法第51条第1号 / 第53条第2項 / 第52条 (前条各号に該当しなくなつた日): 生活保護 from 2026-07-01 → not insured
    from 7/1 itself; 保護停止 2026-08-01〜2026-09-01 → insured again in August; 廃止 2026-11-01 → insured from 11/1."""
    facts = Facts(birth_date=date(1940, 1, 1), resident_in_prefecture=True,
                  public_assistance_since=date(2026, 7, 1), public_assistance_ended_on=date(2026, 11, 1),
                  public_assistance_suspended_from=date(2026, 8, 1),
                  public_assistance_suspended_until=date(2026, 9, 1))
    assert [is_insured_on(facts, d) for d in (date(2026, 6, 30), date(2026, 7, 1), date(2026, 8, 1),
                                              date(2026, 8, 31), date(2026, 9, 1), date(2026, 11, 1))] == [
        True, False, True, True, False, True]
    assert loss_date(Loss.PUBLIC_ASSISTANCE, date(2026, 7, 1)) == date(2026, 7, 1)  # その日 (第53条第2項)
    # 法第51条第2号 (規則の定める者): excluded from the day it applies; loss the next day (第53条第1項).
    other = Facts(birth_date=date(1940, 1, 1), resident_in_prefecture=True, other_exclusion_since=date(2026, 5, 10))
    assert is_insured_on(other, date(2026, 5, 9)) and not is_insured_on(other, date(2026, 5, 10))
    assert loss_date(Loss.OTHER_EXCLUSION, date(2026, 5, 10)) == date(2026, 5, 11)
