"""Eligibility through the reaching-75 run and the 住基 import, from hand-computed statute cases (法第50〜53条).

The dates are computed by hand beside each case; no production formula is called to compute an expectation.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from functions.intake.services.reaching_75 import people_reaching_75, run_reaching_75
from functions.intake.services.resident_import import import_resident_changes
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.person import derived_fields
from tests.resident_files import csv_bytes, row

# Born 1952-03-10: 75th birthday 2027-03-10 (1952 + 75 = 2027), the 資格取得日 (法第52条第1号).
BORN = "1952-03-10"
MARCH = (date(2027, 3, 1), date(2027, 3, 31))


def person(runtime, pid: str, **fields: Any) -> dict[str, Any]:
    record = {"person_id": pid, "household_id": "H9" + pid[2:], "name": "試験 太郎", "name_kana": "シケン タロウ",
              "birth_date": BORN, "sex": "1", "address": "熊本市中央区手取本町2-2", "resident_status": "registered",
              "suspended": False, "version": 1, "eligibility_status": "not-insured", **fields}
    record.update(derived_fields(record))
    runtime.repository(PersonRepository).put_new(record)
    return record


def test_reaching_75_sets_status_dates_and_insurer_so_a_later_death_is_a_loss(runtime) -> None:
    person(runtime, "P0000009001")
    result = run_reaching_75(runtime, *MARCH, date(2027, 2, 1))
    assert result["people"] == 1
    record = runtime.repository(PersonRepository).get("P0000009001")
    assert (record["eligibility_status"], record["eligibility_acquired_on"], record["eligibility_change_reason"],
            record["insurer"]) == ("insured", "2027-03-10", "75歳到達", "43")
    # 死亡 2027-04-02 → 喪失日 2027-04-03 (法第53条第1項: 翌日); raised because the status is now "insured".
    report = import_resident_changes(runtime, "jyuki-renkei-utf8",
                                     csv_bytes([row(1, "05", "0000009001", change_date="20270402")]))
    assert report.events == 1
    assert runtime.repository(PersonRepository).get("P0000009001")["eligibility_lost_on"] == "2027-04-03"
    kinds = [q["kind"] for q in runtime.repository(TransferQueue).ready("kouiki-rengo")]
    assert sorted(kinds) == ["eligibility-acquired", "eligibility-lost"]


def test_a_disability_insured_person_reaching_75_is_not_a_new_acquisition(runtime) -> None:
    # Insured by 障害認定 since 2025-04-01 (age 73): 法第52条第1号 excludes 第50条第2号の認定を受けた者.
    person(runtime, "P0000009002", eligibility_status="insured", disability_certified_on="2025-04-01",
           eligibility_acquired_on="2025-04-01")
    assert [p["person_id"] for p in people_reaching_75(runtime, *MARCH)] == []


def test_a_non_resident_is_not_a_resident_of_the_area(runtime) -> None:
    # 住登外 (resident_status non-resident): no 住所 in the 広域連合's area (法第50条), so reaching 75 acquires nothing.
    person(runtime, "P0000009003", resident_status="non-resident")
    assert [p["person_id"] for p in people_reaching_75(runtime, *MARCH)] == []


# --- item 4: notifications the statute does not allow are clear problems, never a 500 -----------------------

def notify(api, auth, body: dict[str, Any], key: str):
    return api.post("/intake/notifications", headers={**auth("S1001"), "Idempotency-Key": key},
                    json={"applicant": {"type": "self"}, "identity_documents": ["mynumber-card"], **body})


def test_a_far_future_date_is_a_clear_problem(api, auth, clock) -> None:
    far = (clock().date() + timedelta(days=367)).isoformat()  # one day past the 366-day horizon
    r = notify(api, auth, {"kind": "loss", "person_id": "P0000000001", "event_date": far, "loss_reason": "死亡"}, "f1")
    assert r.status_code == 422 and r.json()["code"] == "event-date-out-of-range"


def test_reaching_75_on_someone_under_75_is_refused(api, auth) -> None:
    # 熊本 一郎, born 1980-02-14: 46 on 2026-04-01.
    r = notify(api, auth, {"kind": "acquisition", "person_id": "P0000000003", "event_date": "2026-04-01",
                           "acquisition_reason": "75歳到達"}, "a1")
    assert r.status_code == 422 and r.json()["code"] == "not-eligible"


def test_the_end_of_the_disability_state_loses_the_next_day(api, auth, runtime) -> None:
    # 規則第25条 障害状態不該当 on 2026-05-31 → 喪失日 2026-06-01 (法第53条第1項: 翌日).
    person(runtime, "P0000009004", birth_date="1958-08-01", eligibility_status="insured",
           disability_certified_on="2026-04-01", eligibility_acquired_on="2026-04-01")
    r = notify(api, auth, {"kind": "disability-ended", "person_id": "P0000009004", "event_date": "2026-05-31"}, "d1")
    assert r.status_code == 201, r.text
    api.post(f"/intake/changes/{r.json()['change_request_id']}/confirm", headers=auth("S1003"))
    record = runtime.repository(PersonRepository).get("P0000009004")
    assert (record["eligibility_status"], record["eligibility_lost_on"], record["eligibility_change_reason"]) == (
        "lost", "2026-06-01", "障害状態不該当")
