"""What the counter sees (issue 12 item 11): a person's 資格 and its periods, and a household's members with theirs.

Demo: 熊本 太郎 (P0000000001, household H0000000001 with 花子 and 一郎), born 1948-05-10, insured from his 75th
birthday 2023-05-10 (法第52条), 被保険者番号 10000001. 熊本 一郎, born 1980, is not insured.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions.intake.rules.eligibility_periods import periods, with_new_period
from functions.intake.services.certificates import run_annual_renewal
from shared.adapters.dynamo import to_item
from shared.adapters.persons import PersonRepository

CLERK, MN_CLERK = "S1001", "S1002"
TARO, ICHIRO = "P0000000001", "P0000000003"


@pytest.fixture(autouse=True)
def _on_2026_11_27(clock) -> None:
    clock.now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


def test_the_person_view_shows_the_eligibility_and_the_current_card(api, auth, runtime) -> None:
    run_annual_renewal(runtime, datetime(2026, 7, 10).date())  # cards valid 2026-08-01 .. 2027-07-31
    r = api.get(f"/intake/persons/{TARO}", headers=auth(CLERK))
    assert r.status_code == 200, r.text
    seen = r.json()["eligibility"]
    assert (seen["status"], seen["acquired_on"], seen["acquired_reason"], seen["lost_on"]) == \
        ("insured", "2023-05-10", "75歳到達", None)
    assert seen["insured_number"] == "10000001"
    assert seen["certificate"] == {"certificate_id": f"QC-{TARO}-renewal-2026", "reason": "renewal",
                                   "issued_on": "2026-07-10", "valid_from": "2026-08-01",
                                   "valid_until": "2027-07-31"}
    assert [p["acquired_on"] for p in seen["periods"]] == ["2023-05-10"]
    assert "my_number" not in r.json() and "12345678901" not in r.text


def test_a_person_insured_twice_shows_both_periods_newest_first(api, auth, runtime) -> None:
    taro = runtime.repository(PersonRepository).get(TARO)
    lost = {**taro, "eligibility_status": "lost", "eligibility_lost_on": "2025-04-01",
            "eligibility_change_reason": "転出", "eligibility_acquired_reason": "75歳到達"}
    again = with_new_period(lost, "2026-06-01", "転入")
    runtime.clients.client("dynamodb").put_item(TableName=runtime.table_name("persons"), Item=to_item(again))
    seen = api.get(f"/intake/persons/{TARO}", headers=auth(CLERK)).json()["eligibility"]
    assert [(p["acquired_on"], p["acquired_reason"], p["lost_on"], p["lost_reason"]) for p in seen["periods"]] == [
        ("2026-06-01", "転入", None, None), ("2023-05-10", "75歳到達", "2025-04-01", "転出")]
    assert periods(again) == seen["periods"]


def test_the_household_view_lists_members_with_their_eligibility(api, auth) -> None:
    r = api.get("/intake/households/H0000000001", headers=auth(MN_CLERK))
    assert r.status_code == 200, r.text
    members = {m["person_id"]: m for m in r.json()["members"]}
    assert members[TARO]["eligibility"]["status"] == "insured"
    assert members[ICHIRO]["eligibility"]["status"] == "not-insured"
    assert members[ICHIRO]["eligibility"]["periods"] == []
    assert "my_number" not in r.text and "has_my_number" not in r.text
    first = api.get("/intake/households/H0000000001", params={"limit": 1}, headers=auth(CLERK)).json()
    assert len(first["members"]) == 1 and first["next_cursor"]


def test_an_unknown_household_is_a_404_that_does_not_echo_the_id(api, auth) -> None:
    r = api.get("/intake/households/H9999999999", headers=auth(CLERK))
    assert r.status_code == 404 and "H9999999999" not in r.text


def test_a_lost_person_shows_the_loss_and_its_reason_beside_the_acquisition(api, auth, runtime) -> None:
    # 死亡 2026-10-14: lost the next day, 2026-10-15 (法第53条; domain-rules §4, 長岡市 FAQ).
    taro = runtime.repository(PersonRepository).get(TARO)
    dead = {**taro, "eligibility_status": "lost", "eligibility_lost_on": "2026-10-15",
            "eligibility_change_reason": "死亡", "eligibility_acquired_reason": "75歳到達"}
    runtime.clients.client("dynamodb").put_item(TableName=runtime.table_name("persons"), Item=to_item(dead))
    seen = api.get(f"/intake/persons/{TARO}", headers=auth(CLERK)).json()["eligibility"]
    assert (seen["status"], seen["acquired_on"], seen["acquired_reason"], seen["lost_on"], seen["lost_reason"]) == \
        ("lost", "2023-05-10", "75歳到達", "2026-10-15", "死亡")
