"""未確認入金 resolved through maker-checker and posted; a person's account (collection:read)."""

from __future__ import annotations

import pytest

from functions.collection.services.payments import import_payments
from functions.collection.services.settle import settle
from tests.collection.seed import HANAKO, TARO, fix_clock, payment_file, seed_instalment

OFFICER, CHECKER, CLERK = "S1005", "S1003", "S1001"


@pytest.fixture
def in_suspense(runtime, clock):
    fix_clock(clock, "2025-08-10")
    first = seed_instalment(runtime, TARO, 1, 9_800, "2025-07-31")
    import_payments(runtime, "cvs-agent", payment_file([("R1", "123", 9_800, "2025-07-30")]))
    receipt_id = runtime.records("suspense-receipts").query("by-status", "status", "open")[0]["receipt_id"]
    return first, receipt_id


def test_a_resolution_confirmed_by_a_checker_posts_the_payment(api, auth, runtime, in_suspense) -> None:
    first, receipt_id = in_suspense
    listed = api.get("/collection/suspense", headers=auth(OFFICER)).json()
    assert (listed["count"], listed["total"]) == (1, 9_800)
    proposed = api.post(f"/collection/suspense/{receipt_id}/resolution", headers=auth(OFFICER), json={
        "person_id": TARO, "payment_number": first.payment_number, "note": "名義と金額で特定"})
    assert proposed.status_code == 202, proposed.text
    assert settle(runtime) == {}  # nothing confirmed yet: nothing posted
    confirmed = api.post(f"/collection/changes/{proposed.json()['request_id']}/confirm", headers=auth(CHECKER))
    assert confirmed.status_code == 200, confirmed.text
    assert settle(runtime) == {"suspense-posted": 1}
    assert settle(runtime) == {}  # posted once
    account = api.get(f"/collection/persons/{TARO}/account", headers=auth(CLERK)).json()
    period = account["periods"][0]
    assert (period["amount"], period["paid"], period["outstanding"]) == (9_800, 9_800, 0)
    assert api.get("/collection/suspense", headers=auth(OFFICER)).json()["total"] == 0


def test_a_known_payer_without_a_period_gets_an_over_payment(api, auth, runtime, in_suspense) -> None:
    _, receipt_id = in_suspense
    proposed = api.post(f"/collection/suspense/{receipt_id}/resolution", headers=auth(OFFICER), json={
        "person_id": HANAKO, "to_overpayment": True, "note": "本人から申出"})
    api.post(f"/collection/changes/{proposed.json()['request_id']}/confirm", headers=auth(CHECKER))
    assert settle(runtime) == {"suspense-to-overpayment": 1}
    account = api.get(f"/collection/persons/{HANAKO}/account", headers=auth(OFFICER)).json()
    assert [(o["amount"], o["status"]) for o in account["overpayments"]] == [(9_800, "open")]


def test_resolutions_are_refused_when_they_do_not_fit(api, auth, runtime, in_suspense) -> None:
    first, receipt_id = in_suspense
    url = f"/collection/suspense/{receipt_id}/resolution"
    other = api.post(url, headers=auth(OFFICER), json={"person_id": HANAKO, "payment_number": first.payment_number,
                                                       "note": "x"})
    assert (other.status_code, other.json()["code"]) == (422, "period-of-another-person")
    both = api.post(url, headers=auth(OFFICER), json={"person_id": TARO, "payment_number": first.payment_number,
                                                      "to_overpayment": True, "note": "x"})
    assert (both.status_code, both.json()["code"]) == (422, "resolution-target")
    assert api.post(url, headers=auth(CLERK), json={"person_id": TARO, "to_overpayment": True,
                                                    "note": "x"}).status_code == 403
    missing = api.post("/collection/suspense/RCNOPE/resolution", headers=auth(OFFICER),
                       json={"person_id": TARO, "to_overpayment": True, "note": "x"})
    assert missing.status_code == 404


def test_the_officer_cannot_confirm_their_own_resolution(api, auth, runtime, in_suspense) -> None:
    first, receipt_id = in_suspense
    proposed = api.post(f"/collection/suspense/{receipt_id}/resolution", headers=auth(OFFICER), json={
        "person_id": TARO, "payment_number": first.payment_number, "note": "x"}).json()
    assert api.post(f"/collection/changes/{proposed['request_id']}/confirm", headers=auth(OFFICER)).status_code == 403


def test_the_account_shows_arrears_and_the_late_fee_to_the_day(api, auth, runtime, clock) -> None:
    """98,000 due 2025-07-31, nothing paid, as of 2025-12-26: the §3.5 example, 2,900 accrued."""
    fix_clock(clock, "2025-12-26")
    seed_instalment(runtime, TARO, 1, 98_000, "2025-07-31")
    account = api.get(f"/collection/persons/{TARO}/account", headers=auth(CLERK)).json()
    period = account["periods"][0]
    assert period["in_arrears"] and period["late_fee"]["amount"] == 2_900 and not period["late_fee"]["final"]
    assert account["totals"] == {"levied": 98_000, "paid": 0, "outstanding": 98_000, "in_arrears": 98_000,
                                 "late_fee_due": 2_900, "over_payments_open": 0}
    assert api.get(f"/collection/persons/{TARO}/account", headers=auth("S1007")).status_code == 403
    assert api.get("/collection/persons/P9999999999/account", headers=auth(CLERK)).status_code == 404
