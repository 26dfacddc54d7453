"""療養費 (issue 12 item 10): the 2-year limit, insured during treatment, applicant and identity documents, the
移送費 My Number — hand-computed cases.

法第160条: the right to a 給付 lapses in 2 years from when it can be exercised; for 療養費, from the day after the
支払日 (domain-rules §6: 綾町, 三郷市, 新宿区). 民法第140条 (the first day is not counted) and 第143条 (the period ends
the day before the 応当日 of the 起算日; with no such day, the last day of that month):
- paid 2024-03-31 → 起算日 2024-04-01 → last day 2026-03-31; received 2026-04-01 is refused.
- paid 2024-04-01 → 起算日 2024-04-02 → last day 2026-04-01; received 2026-04-01 is accepted.
- paid 2024-02-28 → 起算日 2024-02-29 → no 2026-02-29 → last day 2026-02-28 (first refused 2026-03-01).
- paid 2026-02-28 → 起算日 2026-03-01 → 応当日 2028-03-01 → last day 2028-02-29 (a leap year).
Demo: 熊本 太郎 (P0000000001), born 1948-05-10, insured from his 75th birthday 2023-05-10 (法第52条). The test
clock reads 2026-04-01 (the day received).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from functions.intake.rules.ryoyohi import insured_throughout, limitation_ends
from shared.local.demo_data import demo_my_number

CLERK, MN_CLERK, CHECKER = "S1001", "S1002", "S1003"
TARO, HANAKO = "P0000000001", "P0000000002"
CLAIM = {"person_id": TARO, "type": "orthosis", "period_from": "2026-03-01", "period_to": "2026-03-31",
         "amount_claimed": 30_000, "paid_on": "2026-03-31", "applicant": {"type": "self"},
         "identity_documents": ["mynumber-card"],
         "bank": {"bank_code": "0182", "branch_code": "101", "account_type": "ordinary", "account_number": "1234567",
                  "holder_kana": "クマモト タロウ"}}


@pytest.fixture(autouse=True)
def _received_on_2026_04_01(clock) -> None:
    clock.now = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)  # 10:00 JST


@pytest.mark.parametrize("paid, last", [
    (date(2024, 3, 31), date(2026, 3, 31)), (date(2024, 4, 1), date(2026, 4, 1)),
    (date(2024, 2, 28), date(2026, 2, 28)), (date(2024, 2, 29), date(2026, 2, 28)),
    (date(2026, 2, 28), date(2028, 2, 29)), (date(2023, 12, 31), date(2025, 12, 31)),
])
def test_the_last_day_of_the_two_year_limit(paid: date, last: date) -> None:
    assert limitation_ends(paid) == last


def test_insured_on_every_day_of_the_period() -> None:
    person = {"eligibility_acquired_on": "2023-05-10", "eligibility_lost_on": "2026-03-16"}  # died 2026-03-15
    assert insured_throughout(person, date(2023, 5, 10), date(2026, 3, 15))
    assert not insured_throughout(person, date(2023, 5, 9), date(2023, 5, 31))  # the day before the birthday
    assert not insured_throughout(person, date(2026, 3, 1), date(2026, 3, 16))  # the 喪失日 is not insured
    assert not insured_throughout({}, date(2026, 3, 1), date(2026, 3, 2))


def test_a_claim_received_on_its_last_day_is_taken_and_the_next_day_refused(api, auth) -> None:
    ok = api.post("/intake/ryoyohi", json={**CLAIM, "period_from": "2024-03-01", "period_to": "2024-04-01",
                                          "paid_on": "2024-04-01"}, headers=auth(CLERK))
    assert ok.status_code == 202, ok.text
    late = api.post("/intake/ryoyohi", json={**CLAIM, "period_from": "2024-03-01", "period_to": "2024-03-31",
                                            "paid_on": "2024-03-31"}, headers=auth(CLERK))
    assert late.status_code == 422 and late.json()["code"] == "ryoyohi-time-barred"
    assert "2026-03-31" in late.json()["detail"]


def test_a_claim_for_days_before_the_person_was_insured_is_refused(api, auth) -> None:
    r = api.post("/intake/ryoyohi", json={**CLAIM, "period_from": "2024-05-01", "period_to": "2024-05-31",
                                         "paid_on": "2024-05-31"}, headers=auth(CLERK))
    assert r.status_code == 202, r.text
    r = api.post("/intake/ryoyohi", json={**CLAIM, "period_from": "2023-05-09", "period_to": "2023-05-31",
                                         "paid_on": "2024-05-31"}, headers=auth(CLERK))
    assert r.status_code == 422 and r.json()["code"] == "not-insured-in-period"


def test_a_payment_after_the_day_received_is_refused(api, auth) -> None:
    r = api.post("/intake/ryoyohi", json={**CLAIM, "paid_on": "2026-04-02"}, headers=auth(CLERK))
    assert r.status_code == 422 and r.json()["code"] == "invalid-change"


def test_the_transport_my_number_must_be_the_persons(api, auth) -> None:
    hanakos = demo_my_number("98320567321")
    others = api.post("/intake/ryoyohi", json={**CLAIM, "type": "transport", "my_number": hanakos},
                      headers=auth(MN_CLERK))
    assert others.status_code == 422 and others.json()["code"] == "my-number-mismatch"
    assert "98320567321" not in others.text
    own = api.post("/intake/ryoyohi", json={**CLAIM, "type": "transport", "my_number": demo_my_number("12345678901")},
                   headers=auth(MN_CLERK))
    assert own.status_code == 202, own.text


def test_the_application_records_the_applicant_identity_documents_and_the_limit(api, auth, runtime) -> None:
    r = api.post("/intake/ryoyohi", json={**CLAIM, "identity_documents": ["drivers-license", "power-of-attorney"],
                                         "applicant": {"type": "proxy", "relationship": "妻",
                                                       "proxy_name_kana": "クマモト ハナコ",
                                                       "proxy_my_number": demo_my_number("98320567321")}},
                 headers=auth(MN_CLERK))
    assert r.status_code == 202, r.text
    api.post(f"/intake/changes/{r.json()['request_id']}/confirm", headers=auth(CHECKER))
    stored = runtime.records("ryoyohi-applications").get(r.json()["entity_id"])
    assert stored["applicant"] == {"type": "proxy", "relationship": "妻", "proxy_person_id": HANAKO}
    assert stored["identity_documents"] == ["drivers-license", "power-of-attorney"]
    assert (stored["paid_on"], stored["limitation_ends"], stored["received_on"]) == \
        ("2026-03-31", "2028-03-31", "2026-04-01")
    assert "98320567321" not in str(stored)


def test_a_proxy_without_the_register_check_is_refused(api, auth) -> None:
    r = api.post("/intake/ryoyohi", json={**CLAIM, "applicant": {"type": "proxy", "relationship": "妻"}},
                 headers=auth(CLERK))
    assert r.status_code == 422 and r.json()["code"] == "proxy-check-required"
