"""過誤納金 → 充当 → 還付 with 還付加算金, through maker-checker, to the bank's 総合振込 file (PIA-I-1-e)."""

from __future__ import annotations

from datetime import date

import pytest

from functions.collection.services import refunds
from functions.collection.services.public_accounts import LocalRegistry
from functions.collection.services.refunds import write_refund_file
from functions.collection.services.settle import settle
from tests.collection.seed import TARO, fix_clock, seed_instalment

OFFICER, CHECKER = "S1005", "S1003"
BANK = {"bank_code": "0182", "branch_code": "023", "account_type": "1", "account_number": "7654321",
        "holder_kana": "クマモト タロウ"}


@pytest.fixture
def overpaid(runtime, clock):
    """TARO owes A 98,000 (7/31) and B 49,000 (9/30); C 49,000 is due 12/25. A 更正 decrease of the 2024 premium
    (paid 2024-07-31) left 160,000 over-paid, recorded by the assessment workflow. Today 2025-10-31."""
    fix_clock(clock, "2025-10-31")
    periods = [seed_instalment(runtime, TARO, 1, 98_000, "2025-07-31"),
               seed_instalment(runtime, TARO, 3, 49_000, "2025-09-30"),
               seed_instalment(runtime, TARO, 6, 49_000, "2025-12-25")]
    runtime.records("overpayments").put_new({
        "overpayment_id": "OPASSESSMENT0001", "person_id": TARO, "fiscal_year": 2024, "amount": 160_000,
        "cause": "correction", "paid_on": "2024-07-31", "due_date": "2024-07-31", "arose_on": "2025-10-20",
        "source": "assessment", "status": "open", "created_at": "2025-10-20T09:00:00+09:00", "version": 1})
    return periods


def _decide(api, auth, body):
    return api.post("/collection/overpayments/OPASSESSMENT0001/decision", headers=auth(OFFICER), json=body)


def test_offset_then_refund_reconciles_and_pays_once(api, auth, runtime, overpaid) -> None:
    proposed = _decide(api, auth, {"account": "named", "bank": BANK, "reason": "還付請求書の受付"})
    assert proposed.status_code == 202, proposed.text
    decision = proposed.json()["changes"]["decision"]["to"]
    # 98,000 + 49,000 principal; A's 延滞金 1,600; refund 160,000 − 148,600 = 11,400; 還付加算金 from 2024-08-01 at
    # 0.9%: 160,000 × 0.009 × (153 + 304) / 365 = 658,080 / 365 = 1,802.96 → 1,800 (the arithmetic of
    # test_matching_and_offsets); the bank pays 11,400 + 1,800 = 13,200.
    assert [(o["principal"], o["late_fee"]) for o in decision["offsets"]] == [(98_000, 1_600), (49_000, 0)]
    assert (decision["refund"], decision["interest"]) == (11_400, 1_800)
    assert "7654321" not in proposed.text and decision["account_summary"]["account_number"] == "****321"
    assert "7654321" not in api.get("/collection/changes", headers=auth(CHECKER)).text

    assert api.post(f"/collection/changes/{proposed.json()['request_id']}/confirm",
                    headers=auth(CHECKER)).status_code == 200
    assert settle(runtime) == {"refund-decision-refund-ready": 1}
    account = api.get(f"/collection/persons/{TARO}/account", headers=auth(OFFICER)).json()
    assert [(p["paid"], p["outstanding"], p["late_fee"]["due"]) for p in account["periods"]] == [
        (98_000, 0, 0), (49_000, 0, 0), (0, 49_000, 0)]
    # every yen of the 160,000: 98,000 + 49,000 + 1,600 (延滞金) + 11,400 (refund)
    assert 98_000 + 49_000 + 1_600 + decision["refund"] == 160_000

    paid = write_refund_file(runtime, date(2025, 11, 10), date(2025, 11, 5))
    assert (paid.refunds, paid.total) == (1, 13_200)
    content = runtime.objects("exchange").get(paid.key)
    assert content[120 + 43:120 + 50] == b"7654321" and content[120 + 80:120 + 90] == b"0000013200"
    assert runtime.records("overpayments").get("OPASSESSMENT0001")["status"] == "refunded"
    assert write_refund_file(runtime, date(2025, 11, 10), date(2025, 11, 5)).refunds == 0  # never twice
    notice = runtime.objects("exchange").list("notices/refund/")
    assert [o.key.rsplit("/", 1)[1] for o in notice] == ["OPASSESSMENT0001.json"]


def test_a_refund_waits_for_an_account_and_the_offsets_are_not_made_twice(api, auth, runtime, overpaid) -> None:
    first = _decide(api, auth, {"account": "awaiting", "reason": "口座未届"}).json()
    api.post(f"/collection/changes/{first['request_id']}/confirm", headers=auth(CHECKER))
    assert settle(runtime) == {"refund-decision-refund-awaiting-account": 1}
    second = _decide(api, auth, {"account": "named", "bank": BANK, "reason": "還付請求書"}).json()
    assert second["changes"]["decision"]["to"]["offsets"] == []
    api.post(f"/collection/changes/{second['request_id']}/confirm", headers=auth(CHECKER))
    assert settle(runtime) == {"refund-decision-refund-ready": 1}
    account = api.get(f"/collection/persons/{TARO}/account", headers=auth(OFFICER)).json()
    assert [p["paid"] for p in account["periods"]] == [98_000, 49_000, 0]


def test_the_public_funds_account_when_registered_and_reachable(api, auth, runtime, overpaid, monkeypatch) -> None:
    refused = _decide(api, auth, {"account": "public-funds", "reason": "公金受取口座"})
    assert (refused.status_code, refused.json()["code"]) == (403, "public-funds-not-connected")
    monkeypatch.setattr(refunds, "public_funds_accounts", lambda rt: LocalRegistry())
    proposed = _decide(api, auth, {"account": "public-funds", "reason": "公金受取口座"})
    assert proposed.json()["changes"]["decision"]["to"]["account_summary"]["account_number"] == "****111"


def test_bad_decisions_are_refused(api, auth, runtime, overpaid) -> None:
    wide = {**BANK, "account_number": "７６５４３２１"}
    wrong = _decide(api, auth, {"account": "named", "bank": wide, "reason": "x"})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "invalid-bank-account")
    assert wrong.json()["errors"][0]["field"] == "account_number" and "７６５４３２１" not in wrong.text
    assert _decide(api, auth, {"account": "named", "reason": "x"}).json()["code"] == "bank-details-required"
    assert api.post("/collection/overpayments/OPNOPE/decision", headers=auth(OFFICER),
                    json={"account": "awaiting", "reason": "x"}).status_code == 404
    assert api.post("/collection/overpayments/OPASSESSMENT0001/decision", headers=auth("S1001"),
                    json={"account": "awaiting", "reason": "x"}).status_code == 403
