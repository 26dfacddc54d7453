"""口座振替 (registration, request, result) and 不納欠損 / 延滞金 減免 through maker-checker."""

from __future__ import annotations

from datetime import date

import pytest

from functions.collection.rules.ledger import Ledger
from functions.collection.rules.zengin import DebitItem, FileHeader, ResultCode, build_debit_file, parse_debit_file
from functions.collection.services.debits import import_debit_results, write_debit_request
from functions.collection.services.settle import settle
from shared.domain.fixed_width import FileRejected
from tests.collection.seed import HANAKO, TARO, fix_clock, seed_instalment

OFFICER, CHECKER = "S1005", "S1003"
BANK = {"bank_code": "0182", "branch_code": "023", "account_type": "1", "account_number": "7654321",
        "holder_kana": "くまもと たろう"}


def _register(api, auth, person: str = TARO, bank: dict | None = None):
    return api.post("/collection/debit-registrations", headers=auth(OFFICER),
                    json={"person_id": person, "bank": bank or BANK, "starts_on": "2025-07-01"})


@pytest.fixture
def registered(api, auth, runtime, clock):
    fix_clock(clock, "2025-07-20")
    proposed = _register(api, auth)
    assert proposed.status_code == 202, proposed.text
    assert "7654321" not in proposed.text and proposed.json()["changes"]["account"]["to"]["account_number"] == \
        "****321"
    assert api.post(f"/collection/changes/{proposed.json()['request_id']}/confirm",
                    headers=auth(CHECKER)).status_code == 200
    return seed_instalment(runtime, TARO, 1, 9_800, "2025-07-31"), seed_instalment(runtime, HANAKO, 1, 5_000,
                                                                                   "2025-07-31")


def _result(runtime, request_key: str, code: ResultCode = ResultCode.DEBITED, customer: str | None = None) -> bytes:
    request = parse_debit_file(runtime.objects("exchange").get(request_key), result=False)
    h = request.header
    header = FileHeader(h["consignor_code"], h["consignor_name"], date(2025, 7, 31), h["bank_code"], h["bank_name"],
                        h["branch_code"], h["branch_name"], h["account_type"], h["account_number"])
    items = [DebitItem(**{**i.__dict__, "result": code, "record": 0,
                          "customer_number": customer or i.customer_number}) for i in request.items]
    return build_debit_file(header, items, result=True)


def test_a_registered_person_is_debited_and_the_result_posts(api, auth, runtime, clock, registered) -> None:
    taro, _ = registered
    request = write_debit_request(runtime, date(2025, 7, 31), date(2025, 7, 20))
    assert (request["items"], request["total"]) == (1, 9_800)  # HANAKO has no registration
    record = runtime.objects("exchange").get(request["key"])[120:240]
    assert record[43:50] == b"7654321" and record[50:80] == "ｸﾏﾓﾄ ﾀﾛｳ".encode("cp932").ljust(30)
    assert record[80:90] == b"0000009800" and record[91:111] == taro.payment_number.encode().ljust(20)
    fix_clock(clock, "2025-08-04")
    run = import_debit_results(runtime, "shitei-kinyu", _result(runtime, request["key"]))
    assert run.totals["yen_posted"] == 9_800
    entry = next(iter(runtime.records("collection-ledger").get(taro.payment_number)["entries"].values()))
    assert (entry["amount"], entry["on"], entry["channel"]) == (9_800, "2025-07-31", "debit")
    listed = api.get(f"/collection/persons/{TARO}/debit-registrations", headers=auth("S1001"))
    assert "7654321" not in listed.text and listed.json()["registrations"][0]["status"] == "active"


def test_insufficient_funds_leaves_the_period_unpaid_and_reported(runtime, clock, registered) -> None:
    taro, _ = registered
    request = write_debit_request(runtime, date(2025, 7, 31), date(2025, 7, 20))
    fix_clock(clock, "2025-08-04")
    run = import_debit_results(runtime, "shitei-kinyu", _result(runtime, request["key"],
                                                                ResultCode.INSUFFICIENT_FUNDS))
    assert run.totals["debit_failed_insufficient_funds"] == 1 and run.totals.get("yen_posted", 0) == 0
    assert runtime.records("collection-ledger").get(taro.payment_number) is None
    report = runtime.objects("exchange").list("reports/shitei-kinyu/20250804/")
    assert any("debit-failures" in o.key for o in report)


def test_a_result_that_does_not_match_the_request_is_rejected(runtime, clock, registered) -> None:
    request = write_debit_request(runtime, date(2025, 7, 31), date(2025, 7, 20))
    fix_clock(clock, "2025-08-04")
    with pytest.raises(FileRejected) as rejected:
        import_debit_results(runtime, "shitei-kinyu", _result(runtime, request["key"], customer="1234"))
    assert rejected.value.errors[0] == {"record": 2, "position": 92, "field": "customer_number",
                                        "reason": "not a 顧客番号 of the request"}


def test_registrations_are_validated_and_one_at_a_time(api, auth, registered) -> None:
    wide = _register(api, auth, HANAKO, {**BANK, "branch_code": "０２３"})
    assert (wide.status_code, wide.json()["code"]) == (422, "invalid-bank-account")
    again = _register(api, auth)
    assert (again.status_code, again.json()["code"]) == (409, "debit-registration-exists")
    assert api.post("/collection/debit-registrations", headers=auth("S1001"),
                    json={"person_id": HANAKO, "bank": BANK, "starts_on": "2025-07-01"}).status_code == 403


def _lapsing(runtime):
    """FY2023 期 1, 9,800 due 2023-07-31, dunned with 指定期限 2023-08-25 → lapses 2025-08-26."""
    instalment = seed_instalment(runtime, TARO, 1, 9_800, "2023-07-31", year=2023)
    ledger = Ledger(instalment.payment_number, TARO,
                    dunning={"notice_id": "DNX", "issued_on": "2023-08-15", "deadline": "2023-08-25"})
    runtime.records("collection-ledger").put(ledger.to_item(instalment))
    return instalment


def test_a_lapsed_period_is_a_candidate_from_its_lapse_day_and_is_written_off(api, auth, runtime, clock) -> None:
    instalment = _lapsing(runtime)
    before = api.get("/collection/write-off-candidates", params={"as_of": "2025-08-25"}, headers=auth(OFFICER))
    assert before.json()["periods"] == []
    after = api.get("/collection/write-off-candidates", params={"as_of": "2025-08-26"}, headers=auth(OFFICER))
    assert [(p["payment_number"], p["outstanding"], p["lapsed_on"], p["period_from"])
            for p in after.json()["periods"]] == [(instalment.payment_number, 9_800, "2025-08-26", "督促")]
    fix_clock(clock, "2025-08-25")
    early = api.post("/collection/write-offs", headers=auth(OFFICER),
                     json={"payment_number": instalment.payment_number, "reason": "時効完成"})
    assert (early.status_code, early.json()["code"]) == (409, "not-lapsed")
    fix_clock(clock, "2025-09-01")
    proposed = api.post("/collection/write-offs", headers=auth(OFFICER),
                        json={"payment_number": instalment.payment_number, "reason": "時効完成"})
    api.post(f"/collection/changes/{proposed.json()['request_id']}/confirm", headers=auth(CHECKER))
    assert settle(runtime) == {"written-off": 1}
    account = api.get(f"/collection/persons/{TARO}/account", headers=auth(OFFICER)).json()
    assert (account["periods"][0]["written_off"], account["periods"][0]["outstanding"]) == (9_800, 0)


def test_a_remission_lowers_the_late_fee_and_cannot_exceed_it(api, auth, runtime, clock) -> None:
    """98,000 due 2025-07-31 unpaid, as of 2025-12-26: 2,900 accrued (§3.5); a 減免 of 900 leaves 2,000."""
    fix_clock(clock, "2025-12-26")
    instalment = seed_instalment(runtime, TARO, 1, 98_000, "2025-07-31")
    too_much = api.post("/collection/late-fee-remissions", headers=auth(OFFICER),
                        json={"payment_number": instalment.payment_number, "amount": 3_000, "reason": "災害"})
    assert (too_much.status_code, too_much.json()["code"]) == (422, "remission-exceeds-late-fee")
    proposed = api.post("/collection/late-fee-remissions", headers=auth(OFFICER),
                        json={"payment_number": instalment.payment_number, "amount": 900, "reason": "災害"})
    api.post(f"/collection/changes/{proposed.json()['request_id']}/confirm", headers=auth(CHECKER))
    assert settle(runtime) == {"late-fee-remitted": 1}
    account = api.get(f"/collection/persons/{TARO}/account", headers=auth(OFFICER)).json()
    assert account["periods"][0]["late_fee"]["amount"] == 2_000
