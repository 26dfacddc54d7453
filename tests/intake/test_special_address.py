"""住所地特例届 at the counter (issue 12 item 2; 法第55条, 第55条の2), from hand-computed statute cases.

Every expected date is written out by hand beside its source; nothing here calls the production date formulas.
法第53条第1項: 「…区域内に住所を有しなくなつた日の翌日から、その資格を喪失する。ただし、当該区域内に住所を有し
なくなつた日に他の後期高齢者医療広域連合の区域内に住所を有するに至つたときは、その日から、その資格を喪失する。」
法第55条第1項: a 被保険者 who moves their 住所 into a hospital or facility (住所地特例対象施設) and had their 住所 in
another 広域連合's area when entering stays insured by that other 広域連合, 「第50条の規定にかかわらず」.
法第55条の2: a 国保 住所地特例 person (国民健康保険法第116条の2) becoming insured under this law is insured by the
広域連合 of the 国保 市町村's prefecture.

Demo (shared/local/demo_data.py): 熊本 太郎 P0000000001, born 1948-05-10, insured from 2023-05-10; 熊本 一郎
P0000000003, born 1980-02-14 (46, not insured); 阿蘇 次郎 P0000000004, born 1952-01-20 (75 on 2027-01-20).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from functions.intake.services.reaching_75 import people_reaching_75
from functions.intake.services.resident_import import import_resident_changes
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from tests.audit_events import audit_events
from tests.resident_files import csv_bytes, move_in, row

TARO, ICHIRO, JIRO = "P0000000001", "P0000000003", "P0000000004"
FUKUOKA_HOSPITAL = {"basis": "facility-out", "facility": "福岡○○病院", "facility_kind": "hospital",
                    "facility_prefecture": "40"}


@pytest.fixture(autouse=True)
def _on_2026_06_01(clock) -> None:
    clock.now = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


def notify(api, auth, body: dict[str, Any], key: str):
    return api.post("/intake/notifications", headers={**auth("S1001"), "Idempotency-Key": key},
                    json={"applicant": {"type": "self"}, "identity_documents": ["mynumber-card"], **body})


def todoke(api, auth, person_id: str, day: str, special: dict[str, Any] | None, key: str,
           kind: str = "special-address"):
    body: dict[str, Any] = {"kind": kind, "person_id": person_id, "event_date": day}
    if special is not None:
        body["special_address"] = special
    return notify(api, auth, body, key)


def confirmed(api, auth, response) -> None:
    assert response.status_code == 201, response.text
    r = api.post(f"/intake/changes/{response.json()['change_request_id']}/confirm", headers=auth("S1003"))
    assert r.status_code == 200, r.text


def person(runtime, person_id: str) -> dict[str, Any]:
    found = runtime.repository(PersonRepository).get(person_id)
    assert found is not None
    return found


def move_out_to_fukuoka(runtime, day: str = "20260615", atena: str = "0000000001") -> Any:
    return import_resident_changes(runtime, "jyuki-renkei-utf8", csv_bytes([
        row(1, "02", atena, change_date=day, notified_date=day, other_address="福岡市東区○○病院",
            other_prefecture="40")]))


# --- 法第55条第1項: a 熊本 insured person entering a facility in 福岡 -----------------------------------------------

def test_a_move_to_a_fukuoka_hospital_with_the_todoke_stays_insured(api, auth, runtime) -> None:
    # 入院 in 福岡 (40) on 2026-06-15 with the 届: 熊本県広域連合 keeps insuring (法第55条第1項); the 転出 that day
    # loses nothing and raises insured-person-changed.
    confirmed(api, auth, todoke(api, auth, TARO, "2026-06-15", FUKUOKA_HOSPITAL, "t1"))
    taro = person(runtime, TARO)
    assert (taro["special_address_insurer"], taro["special_address_facility"], taro["special_address_from"],
            taro["special_address_basis"], taro["special_address_notified_on"]) == (
        "43", "福岡○○病院", "2026-06-15", "法第55条第1項", "2026-06-01")
    report = move_out_to_fukuoka(runtime)
    assert report.events == 1
    taro = person(runtime, TARO)
    assert (taro["eligibility_status"], taro.get("eligibility_lost_on")) == ("insured", None)
    kinds = sorted(q["kind"] for q in runtime.repository(TransferQueue).ready("kouiki-rengo"))
    assert kinds == ["insured-person-changed", "notification:special-address"]
    assert [e["target"] for e in audit_events(runtime, "notification.special-address")] == [TARO]


def test_the_same_move_without_the_todoke_loses_on_the_moving_day(runtime) -> None:
    # The twin: no 届 → an ordinary 県外転出 to 福岡 on 2026-06-15 → 喪失日 2026-06-15 (ただし書: same day).
    move_out_to_fukuoka(runtime)
    taro = person(runtime, TARO)
    assert (taro["eligibility_status"], taro["eligibility_lost_on"]) == ("lost", "2026-06-15")


def test_a_todoke_after_the_move_out_was_applied_restores_the_insurance(api, auth, runtime) -> None:
    # The 転出 arrives first (lost 2026-06-15), the 届 for the 6/15 入院 on 6/20: still insured here.
    move_out_to_fukuoka(runtime)
    confirmed(api, auth, todoke(api, auth, TARO, "2026-06-15", FUKUOKA_HOSPITAL, "t2"))
    taro = person(runtime, TARO)
    assert (taro["eligibility_status"], taro.get("eligibility_lost_on"), taro["eligibility_change_reason"]) == (
        "insured", None, "住所地特例")


def test_the_end_of_the_special_rule_in_fukuoka_loses_that_day(api, auth, runtime) -> None:
    # 退院 on 2026-09-30 to an ordinary address in 福岡: from that day the 特例 no longer keeps him; he has an
    # address in 福岡県広域連合 that day → 喪失日 2026-09-30 (法第53条第1項ただし書).
    confirmed(api, auth, todoke(api, auth, TARO, "2026-06-15", FUKUOKA_HOSPITAL, "t3"))
    move_out_to_fukuoka(runtime)
    confirmed(api, auth, todoke(api, auth, TARO, "2026-09-30", None, "t4", kind="special-address-ended"))
    taro = person(runtime, TARO)
    assert (taro["special_address_until"], taro["eligibility_status"], taro["eligibility_lost_on"]) == (
        "2026-09-30", "lost", "2026-09-30")


# --- 法第55条第1項 seen from 熊本, and 第55条の2: another 広域連合 insures ------------------------------------------

def test_a_fukuoka_insured_person_entering_a_kumamoto_home_is_not_insured_here(api, auth, runtime) -> None:
    # Born 1949-03-01 (77), moved from 福岡 into a 熊本 特養 on 2026-04-01: the 転入 row came first and acquired;
    # the 届 says 福岡県広域連合 (40) insures (法第55条第1項) → that acquisition never held.
    import_resident_changes(runtime, "jyuki-renkei-utf8", csv_bytes([
        move_in(1, "1000000101", birth="19490301", prefecture="40", change_date="20260401")]))
    assert person(runtime, "P1000000101")["eligibility_acquired_on"] == "2026-04-01"  # the twin before the 届
    confirmed(api, auth, todoke(api, auth, "P1000000101", "2026-04-01",
                                {"basis": "facility-in", "insurer": "40", "facility": "特別養護老人ホーム○○苑",
                                 "facility_kind": "elderly-home", "facility_prefecture": "43"}, "t5"))
    record = person(runtime, "P1000000101")
    assert (record["eligibility_status"], record.get("eligibility_acquired_on"), record["insurer"]) == (
        "not-insured", None, "40")

    # 退所 on 2026-08-01 to an ordinary 熊本 address: from that day no 特例; 77 and living here → acquires here on
    # 2026-08-01 (法第52条: 区域内に住所を有するに至った日).
    confirmed(api, auth, todoke(api, auth, "P1000000101", "2026-08-01", None, "t7", kind="special-address-ended"))
    record = person(runtime, "P1000000101")
    assert (record["eligibility_status"], record["eligibility_acquired_on"], record["eligibility_change_reason"],
            record["insurer"]) == ("insured", "2026-08-01", "住所地特例終了", "43")


def test_a_kokuho_special_address_person_reaching_75_is_insured_by_the_other_kouiki(api, auth, runtime) -> None:
    # 阿蘇 次郎 reaches 75 on 2027-01-20 (1952 + 75). Twin first: without a 届 the January run counts him.
    january = (date(2027, 1, 1), date(2027, 1, 31))
    assert [p["person_id"] for p in people_reaching_75(runtime, *january)] == [JIRO]
    # 国保 住所地特例 of a 福岡 city since 2025-10-01 (入所 in a 熊本 facility): 法第55条の2 → at 75 the
    # 福岡県広域連合 insures; not a new entrant here.
    confirmed(api, auth, todoke(api, auth, JIRO, "2025-10-01",
                                {"basis": "kokuho-carryover", "insurer": "40", "facility": "介護老人保健施設○○",
                                 "facility_kind": "care-facility", "facility_prefecture": "43"}, "t6"))
    assert people_reaching_75(runtime, *january) == []
    jiro = person(runtime, JIRO)
    assert (jiro["special_address_basis"], jiro["special_address_insurer"]) == ("法第55条の2", "40")


# --- validation: problem+json 422 with a code of its own (docs/api-errors.md) ------------------------------------

@pytest.mark.parametrize(("person_id", "special", "code"), [
    # a facility in 熊本 is the same 広域連合: no 特例
    (TARO, {**FUKUOKA_HOSPITAL, "facility_prefecture": "43"}, "special-address-same-kouiki"),
    # another 広域連合's 特例 is recorded here only for a 熊本 facility
    (TARO, {"basis": "facility-in", "insurer": "40", "facility": "○○病院", "facility_kind": "hospital",
            "facility_prefecture": "40"}, "special-address-facility-not-here"),
    # the other 広域連合 cannot be 熊本 itself
    (JIRO, {"basis": "facility-in", "insurer": "43", "facility": "○○病院", "facility_kind": "hospital",
            "facility_prefecture": "43"}, "special-address-same-kouiki"),
    # 46 years old, not insured here: no 被保険者 to keep
    (ICHIRO, FUKUOKA_HOSPITAL, "special-address-not-insured-here"),
    # ends before it starts
    (TARO, {**FUKUOKA_HOSPITAL, "until": "2026-06-15"}, "special-address-period"),
    (TARO, None, "special-address-required"),
])
def test_a_todoke_the_statute_does_not_allow_is_a_clear_problem(api, auth, runtime, person_id, special,
                                                                code) -> None:
    r = todoke(api, auth, person_id, "2026-06-15", special, f"v-{code}-{person_id}-{bool(special)}")
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == code


def test_ending_a_special_rule_that_is_not_recorded_is_refused(api, auth) -> None:
    r = todoke(api, auth, TARO, "2026-06-15", None, "e1", kind="special-address-ended")
    assert r.status_code == 422 and r.json()["code"] == "special-address-not-recorded"


def test_an_unknown_facility_kind_is_a_validation_problem(api, auth) -> None:
    r = todoke(api, auth, TARO, "2026-06-15", {**FUKUOKA_HOSPITAL, "facility_kind": "hotel"}, "e2")
    assert r.status_code == 422 and r.json()["code"] == "validation-failed"
