"""資格確認書 issuance through the runs and the counter (issue 12 item 7; domain-rules §4, sources in
test_certificate_validity.py). Demo: 太郎, 花子 and ミツ are insured; 花子 is given a マイナ保険証 here."""

from __future__ import annotations

from shared.adapters.dynamo import to_item
from shared.adapters.persons import PersonRepository

CLERK, CHECKER = "S1001", "S1003"
TARO, HANAKO = "P0000000001", "P0000000002"


def _hanako_holds_a_myna_card(runtime) -> None:
    hanako = runtime.repository(PersonRepository).get(HANAKO)
    runtime.clients.client("dynamodb").put_item(TableName=runtime.table_name("persons"),
                                                Item=to_item({**hanako, "has_myna_insurance_card": True}))


def test_the_july_2026_renewal_gives_holders_the_information_notice(runtime, monkeypatch) -> None:
    from functions.intake.batch import annual_certificate_renewal

    _hanako_holds_a_myna_card(runtime)
    monkeypatch.setattr(runtime, "settings", runtime.settings.model_copy(update={"certificate_rule": "non-holders"}))
    # Run on 2026-07-10 for the cards of 2026-08-01 (after the 暫定運用): 花子 gets 資格情報のお知らせ.
    result = annual_certificate_renewal({"today": "2026-07-10"}, None, runtime=runtime)
    assert (result["year"], result["insured"], result["issued"], result["information_notices"]) == (2026, 3, 2, 1)
    card = runtime.records("certificates").get(f"QC-{TARO}-renewal-2026")
    assert (card["issued_on"], card["valid_from"], card["valid_until"]) == ("2026-07-10", "2026-08-01", "2027-07-31")
    assert runtime.records("certificates").get(f"QC-{HANAKO}-renewal-2026") is None


def test_an_address_change_of_an_insured_person_issues_a_new_card_once_confirmed(api, auth, runtime) -> None:
    body = {"kind": "address-change", "person_id": TARO, "event_date": "2026-11-20",
            "values": {"address": "熊本市東区健軍3-3-3"}, "applicant": {"type": "self"},
            "identity_documents": ["mynumber-card"]}
    taken = api.post("/intake/notifications", json=body, headers={**auth(CLERK), "Idempotency-Key": "q7-addr-1"})
    assert taken.status_code == 201, taken.text
    cards = runtime.records("certificates")
    assert [c for c in cards.query("by-person", "person_id", TARO) if c["reason"] == "change"] == []
    confirmed = api.post(f"/intake/changes/{taken.json()['change_request_id']}/confirm", headers=auth(CHECKER))
    assert confirmed.status_code == 200, confirmed.text
    [card] = [c for c in cards.query("by-person", "person_id", TARO) if c["reason"] == "change"]
    # Effective from the day of the move (2026-11-20), not the day printed; to the 7/31 ending that card year.
    assert (card["valid_from"], card["valid_until"]) == ("2026-11-20", "2027-07-31")
    assert card["print"]["address"] == "熊本市東区健軍3-3-3"
