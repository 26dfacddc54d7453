"""Household events, 県内転出, change cards from 住基 rows and the same-day boundary of the "older row" reject, from
hand-made households and hand-computed dates.

Sources: PIA II-5 ③ (the 住基情報 of insured persons, people reaching 75 and their 世帯構成員, 世帯単位);
法第48条・第52条・第53条第1項 (県内転出 stays in the 広域連合's area; 県外転出 loses on the 転出日, ただし書);
施行規則 (a change of what the 資格確認書 prints issues a new one; domain-rules §4). The clock is 2026-04-01.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from functions.intake.services.resident_import import import_resident_changes
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.batch import get_job
from shared.domain.calendar import date_in_japan
from shared.domain.person import derived_fields
from shared.local.demo_data import demo_my_number
from tests.resident_files import csv_bytes, row

UTF8 = "jyuki-renkei-utf8"


def person(runtime, atena: str, household: str, birth: str, **fields: Any) -> dict[str, Any]:
    record = {"person_id": f"P{atena}", "household_id": f"H{household}", "name": "世帯 太郎",
              "name_kana": "セタイ タロウ",
              "birth_date": birth, "sex": "1", "address": "熊本市中央区手取本町3-3", "postal_code": "860-0806",
              "resident_status": "registered", "suspended": False, "version": 1,
              "eligibility_status": "not-insured", **fields}
    record.update(derived_fields(record))
    runtime.repository(PersonRepository).put_new(record)
    return record


INSURED = {"eligibility_status": "insured", "eligibility_acquired_on": "2020-01-10", "insurer": "43",
           "eligibility_change_reason": "75歳到達"}


def events_for(runtime, person_id: str) -> list[dict[str, Any]]:
    return [q for q in runtime.repository(TransferQueue).ready("kouiki-rengo") if q["entity_id"] == person_id]


def load(runtime, *rows: dict[str, str]):
    report = import_resident_changes(runtime, UTF8, csv_bytes(list(rows)))
    assert report.status == "applied", report
    return report


# --- 1. household events (PIA II-5 ③) ----------------------------------------------------------------------

def test_the_death_of_a_head_who_is_not_insured_is_an_event_for_the_insured_spouses_household(runtime) -> None:
    # 世帯主 born 1955-06-01: 70 on 2026-03-20, not insured. The spouse, born 1950-01-10, insured since 2025-01-10.
    person(runtime, "0000008001", "0000008100", "1955-06-01", is_household_head=True, relationship="世帯主")
    person(runtime, "0000008002", "0000008100", "1950-01-10", relationship="妻", **INSURED)
    load(runtime, row(1, "05", "0000008001", change_date="20260320"))
    [event] = events_for(runtime, "P0000008001")
    assert event["kind"] == "insured-person-household"
    assert event["summary"] == {"change": "05", "change_date": "2026-03-20", "household_id": "H0000008100",
                                "households": ["H0000008100"], "members_of_interest": ["P0000008002"]}
    assert "number" not in str(event).lower()  # no My Number, not even its name
    assert events_for(runtime, "P0000008002") == []  # the spouse's own 資格 did not change


def test_the_same_death_in_a_household_nobody_follows_is_no_event(runtime) -> None:
    # Negative twin: the same 70-year-old head, with a child of 40 and nobody insured or reaching 75.
    person(runtime, "0000008011", "0000008110", "1955-06-01", is_household_head=True)
    person(runtime, "0000008012", "0000008110", "1985-09-09", relationship="子")
    report = load(runtime, row(1, "05", "0000008011", change_date="20260320"))
    assert report.events == 0 and events_for(runtime, "P0000008011") == []


def test_someone_reaching_75_within_three_months_is_followed_and_the_day_after_is_not(runtime) -> None:
    # 転居 on 2026-03-20; 3 months later is 2026-06-20 (rules.household_events.PROSPECT_MONTHS).
    # Born 1951-06-20: 75 on 2026-06-20, inside the window → eligibility-prospect.
    person(runtime, "0000008021", "0000008120", "1951-06-20")
    # Born 1951-06-21: 75 on 2026-06-21, one day outside → nothing (living alone).
    person(runtime, "0000008022", "0000008121", "1951-06-21")
    load(runtime, row(1, "03", "0000008021", change_date="20260320", address="熊本市東区健軍2-2"),
         row(2, "03", "0000008022", change_date="20260320", address="熊本市東区健軍3-3"))
    assert [e["kind"] for e in events_for(runtime, "P0000008021")] == ["eligibility-prospect"]
    assert events_for(runtime, "P0000008022") == []


def test_a_household_member_of_someone_reaching_75_is_followed_too(runtime) -> None:
    # 「年齢到達により被保険者となる住民および世帯構成員」: the child (40) of a mother reaching 75 on 2026-05-01.
    person(runtime, "0000008031", "0000008130", "1951-05-01", is_household_head=True)
    person(runtime, "0000008032", "0000008130", "1986-02-02", relationship="子")
    load(runtime, row(1, "07", "0000008032", change_date="20260320", name="世帯 次郎", name_kana="セタイ ジロウ"))
    [event] = events_for(runtime, "P0000008032")
    assert (event["kind"], event["summary"]["members_of_interest"]) == ("insured-person-household", ["P0000008031"])


def test_leaving_an_insured_persons_household_is_an_event_for_the_household_left(runtime) -> None:
    # 世帯変更: the son (50) moves from his insured mother's household 8140 into a new household 8141 of his own.
    person(runtime, "0000008041", "0000008140", "1945-03-03", is_household_head=True, **INSURED)
    person(runtime, "0000008042", "0000008140", "1976-04-04", relationship="子")
    load(runtime, row(1, "06", "0000008042", change_date="20260320", household_code="0000008141",
                      relationship="世帯主", is_head="1"))
    [event] = events_for(runtime, "P0000008042")
    assert event["summary"]["households"] == ["H0000008140"]
    assert event["summary"]["household_id"] == "H0000008141"


# --- 2. 県内転出 (法第48条, 第52条, 第53条第1項) -------------------------------------------------------------

def test_a_move_to_another_city_in_kumamoto_stays_insured_with_the_new_citys_address(runtime) -> None:
    person(runtime, "0000008051", "0000008150", "1945-03-03", **INSURED)
    load(runtime, row(1, "02", "0000008051", change_date="20260320", other_address="熊本県菊池郡菊陽町久保田1-1",
                      other_prefecture="43"))
    record = runtime.repository(PersonRepository).get("P0000008051")
    assert (record["eligibility_status"], record["insurer"], record.get("eligibility_lost_on")) == (
        "insured", "43", None)
    assert (record["address"], record.get("postal_code"), record["resident_status"]) == (
        "熊本県菊池郡菊陽町久保田1-1", None, "moved-out")
    assert [e["kind"] for e in events_for(runtime, "P0000008051")] == ["insured-person-changed"]


def test_the_same_move_to_another_prefecture_loses_on_the_moving_day(runtime) -> None:
    # Twin: 福岡 (40) is another 広域連合 → 喪失日 = 転出日 2026-03-20 (法第53条第1項ただし書), the address is kept.
    person(runtime, "0000008061", "0000008160", "1945-03-03", **INSURED)
    load(runtime, row(1, "02", "0000008061", change_date="20260320", other_address="福岡市中央区天神1-1",
                      other_prefecture="40"))
    record = runtime.repository(PersonRepository).get("P0000008061")
    assert (record["eligibility_status"], record["eligibility_lost_on"]) == ("lost", "2026-03-20")
    assert record["address"] == "熊本市中央区手取本町3-3"
    assert [e["kind"] for e in events_for(runtime, "P0000008061")] == ["eligibility-lost"]


# --- follow-up (a): 転居 and 氏名変更 rows issue a change card, as the counter does ---------------------------

def cards_of(runtime, person_id: str) -> list[dict[str, Any]]:
    return [c for c in runtime.records("certificates").scan_all() if c.get("person_id") == person_id]


def test_a_move_or_a_new_name_of_an_insured_person_issues_a_change_card(runtime) -> None:
    person(runtime, "0000008071", "0000008170", "1945-03-03", **INSURED)
    person(runtime, "0000008072", "0000008171", "1946-05-05", **INSURED)
    report = load(runtime, row(1, "03", "0000008071", change_date="20260325", address="熊本市北区植木町5-5"),
                  row(2, "07", "0000008072", change_date="20260326", name="改名 花子", name_kana="カイメイ ハナコ"))
    [moved] = cards_of(runtime, "P0000008071")
    # 発効期日 = the day of the change, 2026-03-25 (after the card year's 8/1 and the 取得日); 有効期限 2026-07-31;
    # 交付年月日 = the import job's day in Japan (so a re-run of a chunk makes the same card).
    started = date_in_japan(datetime.fromisoformat(get_job(runtime, report.job_id).started_at))
    assert (moved["reason"], moved["valid_from"], moved["valid_until"], moved["issued_on"]) == (
        "change", "2026-03-25", "2026-07-31", started.isoformat())
    assert moved["print"]["address"] == "熊本市北区植木町5-5"
    assert moved["certificate_id"] == f"QC-P0000008071-change-{report.file_hash[:16]}-1"
    [renamed] = cards_of(runtime, "P0000008072")
    assert (renamed["valid_from"], renamed["print"]["name"]) == ("2026-03-26", "改名 花子")


def test_the_same_rows_for_someone_not_insured_or_a_new_number_issue_no_card(runtime) -> None:
    person(runtime, "0000008081", "0000008180", "1985-03-03")  # 41, not insured
    person(runtime, "0000008082", "0000008181", "1945-03-03", **INSURED)
    load(runtime, row(1, "03", "0000008081", change_date="20260325", address="熊本市北区植木町6-6"),
         row(2, "08", "0000008082", change_date="20260325", my_number=demo_my_number("55555555555")))
    assert cards_of(runtime, "P0000008081") == [] and cards_of(runtime, "P0000008082") == []


# --- follow-up (b): a row of the same day as the person's last change is applied; the day before is not -----

def test_a_row_of_the_same_day_as_the_last_change_is_applied_and_the_day_before_is_rejected(runtime) -> None:
    # resident_import._check_against_records rejects `change_date < changed_on` only; docs/intake.md: "a row dated
    # before the person's last recorded change is a reject". Two changes of one day (転居 then 氏名変更) both apply.
    person(runtime, "0000008091", "0000008190", "1985-03-03", changed_on="2026-03-20")
    same = import_resident_changes(runtime, UTF8, csv_bytes([row(1, "03", "0000008091", change_date="20260320",
                                                                 address="熊本市南区城南町1-1")]))
    assert (same.status, same.rejected) == ("applied", 0)
    before = import_resident_changes(runtime, UTF8, csv_bytes([row(1, "03", "0000008091", change_date="20260319",
                                                                   address="熊本市南区城南町9-9")]))
    assert [(r["row"], r["field"]) for r in before.rejects] == [(1, "change_date")]
    assert runtime.repository(PersonRepository).get("P0000008091")["address"] == "熊本市南区城南町1-1"
