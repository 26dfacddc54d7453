"""Specific personal information protection on the API (PIA III-2, III-3, IV; design rules 5 and 6)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from shared.adapters.change_requests import ChangeRequestStore
from shared.adapters.persons import PersonRepository
from shared.adapters.staff_registry import StaffRegistry
from shared.domain.roles import Role
from shared.domain.staff import StaffMember
from shared.local.demo_data import demo_my_number
from tests.audit_events import audit_events

CLERK, MN_CLERK, CHECKER, CHECKER2, STEWARD, AUDITOR = "S1001", "S1002", "S1003", "S1004", "S1006", "S1007"
TARO, HANAKO, JIRO, MITSU = "P0000000001", "P0000000002", "P0000000004", "P0000000005"
TARO_NUMBER = demo_my_number("12345678901")  # 123456789018


def audit_actions(runtime, action: str) -> list[dict]:
    return audit_events(runtime, action)


# --- the single-person view -------------------------------------------------------------------------------

def test_mynumber_clerk_sees_the_number_with_name_birth_date_and_address(api: TestClient, auth, runtime) -> None:
    """PIA-III-2-e: never the number alone; PIA-III-2-c: the read is audited with its purpose."""
    r = api.get(f"/intake/persons/{TARO}", params={"purpose": "資格取得届の番号確認"}, headers=auth(MN_CLERK))
    assert r.status_code == 200
    view = r.json()
    assert view["my_number"] == TARO_NUMBER
    assert view["name"] == "熊本 太郎" and view["birth_date"] == "1948-05-10" and view["address"]
    reads = audit_actions(runtime, "person.mynumber-read")
    assert reads[-1]["staff_id"] == MN_CLERK and reads[-1]["purpose"] == "資格取得届の番号確認"
    assert reads[-1]["target"] == TARO


def test_without_the_permission_the_field_is_absent_not_masked(api: TestClient, auth) -> None:
    """PIA-III-3-a, III-3-d."""
    view = api.get(f"/intake/persons/{TARO}", headers=auth(CLERK)).json()
    assert "my_number" not in view and view["has_my_number"] is True
    assert TARO_NUMBER not in json.dumps(view)


def test_asking_for_the_number_without_the_permission_is_403(api: TestClient, auth, runtime) -> None:
    r = api.get(f"/intake/persons/{TARO}", params={"purpose": "見たい"}, headers=auth(CLERK))
    assert r.status_code == 403
    assert not [a for a in audit_actions(runtime, "person.mynumber-read") if a["staff_id"] == CLERK]


def test_without_a_stated_purpose_even_the_mynumber_clerk_gets_no_number(api: TestClient, auth) -> None:
    assert "my_number" not in api.get(f"/intake/persons/{TARO}", headers=auth(MN_CLERK)).json()


def test_unknown_person_is_404(api: TestClient, auth) -> None:
    assert api.get("/intake/persons/P9999999999", headers=auth(CLERK)).json()["code"] == "not-found"


# --- search ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kana", ["クマモト タロウ", "くまもと たろう", "ｸﾏﾓﾄ ﾀﾛｳ"])
def test_kana_search_is_normalised_and_returns_no_my_number(api: TestClient, auth, kana: str) -> None:
    """PIA-III-2-a: lists never show the number."""
    r = api.post("/intake/persons/search", json={"name_kana": kana, "birth_date": "1948-05-10"}, headers=auth(CLERK))
    assert r.status_code == 200 and [p["person_id"] for p in r.json()["results"]] == [TARO]
    assert "my_number" not in r.json()["results"][0] and TARO_NUMBER not in r.text


def test_search_by_my_number_needs_the_permission(api: TestClient, auth, runtime) -> None:
    """PIA-III-3-d: users without My Number permission cannot search by it."""
    body = {"my_number": "1234 5678 9018", "purpose": "本人確認"}
    assert api.post("/intake/persons/search-by-my-number", json=body, headers=auth(CLERK)).status_code == 403
    r = api.post("/intake/persons/search-by-my-number", json=body, headers=auth(MN_CLERK))
    assert r.status_code == 200 and [p["person_id"] for p in r.json()["results"]] == [TARO]
    assert TARO_NUMBER not in r.text
    assert audit_actions(runtime, "person.mynumber-search")[-1]["purpose"] == "本人確認"


@pytest.mark.parametrize("bad, rule", [("12345678901", "length"), ("1234567890AB", "characters"),
                                       ("123456789010", "check-digit")])
def test_an_invalid_my_number_says_which_rule_failed_and_never_echoes_it(api: TestClient, auth, bad, rule) -> None:
    r = api.post("/intake/persons/search-by-my-number", json={"my_number": bad, "purpose": "確認"},
                 headers=auth(MN_CLERK))
    assert r.status_code == 422 and r.json()["code"] == "invalid-my-number"
    assert r.json()["errors"][0]["type"] == rule and bad not in r.text


# --- maker-checker ----------------------------------------------------------------------------------------

def propose(api, auth, staff, body) -> dict:
    r = api.post("/intake/changes", json=body, headers=auth(staff))
    assert r.status_code == 202, r.text
    return r.json()


ADDRESS_CHANGE = {"operation": "update", "person_id": JIRO, "values": {"address": "熊本市東区健軍2-2-2"},
                  "reason": "住所変更届"}


def test_a_change_takes_effect_only_when_another_staff_member_confirms(api: TestClient, auth, runtime) -> None:
    """PIA-III-2-l."""
    change = propose(api, auth, CLERK, ADDRESS_CHANGE)
    assert change["status"] == "pending" and change["base_version"] == 1
    assert change["changes"] == {"address": {"from": "熊本市東区健軍1-2-3", "to": "熊本市東区健軍2-2-2"}}
    assert runtime.repository(PersonRepository).get(JIRO)["address"] == "熊本市東区健軍1-2-3"  # nothing changed yet
    r = api.post(f"/intake/changes/{change['request_id']}/confirm", headers=auth(CHECKER))
    assert r.status_code == 200 and r.json()["status"] == "confirmed" and r.json()["decided_by"] == CHECKER
    after = runtime.repository(PersonRepository).get(JIRO)
    assert after["address"] == "熊本市東区健軍2-2-2" and after["version"] == 2
    confirmed = audit_actions(runtime, "change.confirm.update")[-1]
    assert confirmed["detail"]["maker"] == CLERK and confirmed["staff_id"] == CHECKER


def test_confirming_your_own_change_is_refused(api: TestClient, auth, runtime) -> None:
    runtime.repository(StaffRegistry).register(StaffMember("S2001", "兼務 職員", "資格係",
                                                           frozenset({Role.COUNTER_CLERK, Role.CHECKER})))
    change = propose(api, auth, "S2001", ADDRESS_CHANGE)
    r = api.post(f"/intake/changes/{change['request_id']}/confirm", headers=auth("S2001"))
    assert r.status_code == 403 and r.json()["code"] == "self-confirmation"
    assert runtime.repository(PersonRepository).get(JIRO)["version"] == 1
    assert api.post(f"/intake/changes/{change['request_id']}/confirm", headers=auth(CHECKER)).status_code == 200


def test_a_maker_without_the_checker_role_cannot_confirm(api: TestClient, auth) -> None:
    change = propose(api, auth, CLERK, ADDRESS_CHANGE)
    assert api.post(f"/intake/changes/{change['request_id']}/confirm", headers=auth(MN_CLERK)).status_code == 403


def test_a_stale_change_is_refused_and_writes_nothing(api: TestClient, auth, runtime) -> None:
    first = propose(api, auth, CLERK, ADDRESS_CHANGE)
    second = propose(api, auth, CLERK, {**ADDRESS_CHANGE, "values": {"address": "熊本市北区植木1-1"}})
    assert api.post(f"/intake/changes/{first['request_id']}/confirm", headers=auth(CHECKER)).status_code == 200
    r = api.post(f"/intake/changes/{second['request_id']}/confirm", headers=auth(CHECKER2))
    assert r.status_code == 409 and r.json()["code"] == "stale-change"
    assert runtime.repository(PersonRepository).get(JIRO)["address"] == "熊本市東区健軍2-2-2"
    assert runtime.repository(ChangeRequestStore).get(second["request_id"]).status.value == "pending"
    confirms = [a["detail"]["change_request"] for a in audit_actions(runtime, "change.confirm.update")]
    assert confirms == [first["request_id"]]  # the failed transaction left no audit record either


def test_concurrent_confirmations_apply_once(api: TestClient, auth, runtime) -> None:
    """Two checkers both see the request pending; the transaction lets only one apply it."""
    from functions.intake.workflow import WORKFLOW
    from shared.protection.changes import ChangeService

    change = propose(api, auth, CLERK, ADDRESS_CHANGE)
    first, second = ChangeService(runtime, WORKFLOW), ChangeService(runtime, WORKFLOW)
    still_pending = second._pending(change["request_id"], CHECKER2)
    first.confirm(change["request_id"], CHECKER, "r1")
    second._pending = lambda *_: still_pending
    with pytest.raises(Exception) as lost:
        second.confirm(change["request_id"], CHECKER2, "r2")
    assert getattr(lost.value, "code", None) == "change-already-decided"
    assert runtime.repository(PersonRepository).get(JIRO)["version"] == 2
    assert len(audit_actions(runtime, "change.confirm.update")) == 1


def test_a_rejected_change_records_the_reason_and_cannot_be_confirmed(api: TestClient, auth, runtime) -> None:
    change = propose(api, auth, CLERK, ADDRESS_CHANGE)
    r = api.post(f"/intake/changes/{change['request_id']}/reject", json={"reason": "届書と住所が一致しない"},
                 headers=auth(CHECKER))
    assert r.json()["status"] == "rejected" and r.json()["decision_reason"] == "届書と住所が一致しない"
    again = api.post(f"/intake/changes/{change['request_id']}/confirm", headers=auth(CHECKER2))
    assert again.status_code == 409 and again.json()["code"] == "change-already-decided"
    assert runtime.repository(PersonRepository).get(JIRO)["version"] == 1


def test_pending_changes_expire(api: TestClient, auth, runtime, clock) -> None:
    change = propose(api, auth, CLERK, ADDRESS_CHANGE)
    listed = api.get("/intake/changes", headers=auth(CHECKER)).json()["changes"]
    assert change["request_id"] in [c["request_id"] for c in listed]
    clock.advance(hours=runtime.settings.change_expiry_hours, seconds=1)
    assert change["request_id"] not in [c["request_id"] for c in api.get("/intake/changes",
                                                                         headers=auth(CHECKER)).json()["changes"]]
    r = api.post(f"/intake/changes/{change['request_id']}/confirm", headers=auth(CHECKER))
    assert r.status_code == 409 and r.json()["code"] == "change-expired"


def test_creating_a_person_goes_through_maker_checker(api: TestClient, auth, runtime) -> None:
    body = {"operation": "create", "values": {"name": "菊池 咲", "name_kana": "キクチ サキ", "birth_date": "1951-03-03",
                                              "sex": "2", "address": "熊本市南区城南町1"}, "reason": "住登外登録"}
    change = propose(api, auth, CLERK, body)
    assert runtime.repository(PersonRepository).get(change["entity_id"]) is None
    api.post(f"/intake/changes/{change['request_id']}/confirm", headers=auth(CHECKER))
    created = runtime.repository(PersonRepository).get(change["entity_id"])
    assert created["name"] == "菊池 咲" and created["kana_key"] == "キクチサキ" and created["version"] == 1


def test_unknown_fields_in_a_change_are_refused(api: TestClient, auth) -> None:
    body = {**ADDRESS_CHANGE, "values": {"address": "x", "favourite_colour": "red"}}
    r = api.post("/intake/changes", json=body, headers=auth(CLERK))
    assert r.status_code == 422 and r.json()["code"] == "unknown-field"


def test_only_mynumber_staff_may_propose_a_my_number(api: TestClient, auth) -> None:
    body = {"operation": "update", "person_id": MITSU, "values": {"mynumber": "983205673214"}, "reason": "番号登録"}
    assert api.post("/intake/changes", json=body, headers=auth(CLERK)).status_code == 403


def test_a_my_number_change_is_sealed_listed_without_the_number_and_searchable_after(api: TestClient, auth,
                                                                                      runtime) -> None:
    new_number = demo_my_number("55555555555")
    body = {"operation": "update", "person_id": MITSU, "values": {"mynumber": new_number}, "reason": "個人番号変更届"}
    change = propose(api, auth, MN_CLERK, body)
    assert change["changes"] == {"mynumber": {"changed": True}}
    listed = api.get("/intake/changes", headers=auth(CHECKER))
    assert new_number not in listed.text
    raw = runtime.clients.client("dynamodb").scan(TableName=runtime.table_name("change-requests"))["Items"]
    assert new_number not in json.dumps(raw)
    api.post(f"/intake/changes/{change['request_id']}/confirm", headers=auth(CHECKER))
    found = api.post("/intake/persons/search-by-my-number", json={"my_number": new_number, "purpose": "確認"},
                     headers=auth(MN_CLERK)).json()["results"]
    assert [p["person_id"] for p in found] == [MITSU]


def test_an_invalid_my_number_in_a_change_is_refused(api: TestClient, auth) -> None:
    body = {"operation": "update", "person_id": MITSU, "values": {"mynumber": "983205673215"}, "reason": "x"}
    r = api.post("/intake/changes", json=body, headers=auth(MN_CLERK))
    assert r.status_code == 422 and r.json()["code"] == "invalid-my-number" and "983205673215" not in r.text


# --- export filter and suspension --------------------------------------------------------------------------

# A confirmed データ使用承認 per recipient (the maker-checker path is tested in tests/transfer); an ad-hoc export
# names the one it runs under (PIA-III-5-a).
APPROVED = {"kouiki-rengo": ("DUA-KOUIKI", ["person_id", "my_number", "household_id", "name", "name_kana",
                                           "birth_date", "sex", "postal_code", "address", "resident_status"]),
            "shiminzei-ka": ("DUA-SHIMINZEI", ["person_id", "name", "birth_date", "address"])}


def approve(runtime, recipient: str, **changes) -> str:
    approval_id, fields = APPROVED[recipient]
    runtime.records("transfer-approvals").put({
        "approval_id": approval_id, "recipient": recipient, "legal_basis": "高確法第48条", "purpose": "資格",
        "conditions": "専用線", "valid_from": "2025-01-01", "valid_to": "2030-03-31", "fields": fields,
        "jobs": ["kouiki-daily" if recipient == "kouiki-rengo" else "shiminzei-annual"], "frequency": "daily",
        "status": "active", "version": 1, **changes})
    return approval_id


def export(api, auth, counterparty, purpose, ids, approval_id=None):
    body = {"counterparty": counterparty, "purpose": purpose, "person_ids": ids,
            "approval_id": approval_id or APPROVED.get(counterparty, ("DUA-NONE",))[0]}
    return api.post("/transfer/exports", json=body, headers=auth(STEWARD))


@pytest.fixture(autouse=True)
def approvals(runtime) -> None:
    for recipient in APPROVED:
        approve(runtime, recipient)


def exported_rows(runtime, key) -> list[dict]:
    body = runtime.clients.client("s3").get_object(Bucket=runtime.bucket_name("exchange"), Key=key)["Body"].read()
    return [json.loads(line) for line in body.decode().splitlines()]


def test_internal_linkage_files_carry_no_my_number(api: TestClient, auth, runtime) -> None:
    """PIA-III-2-b: files to other departments through 庁内連携 contain no 個人番号."""
    r = export(api, auth, "shiminzei-ka", "annual-benefit-premium", [TARO, HANAKO])
    assert r.status_code == 201 and r.json()["my_number_included"] is False
    rows = exported_rows(runtime, r.json()["key"])
    assert [set(row) for row in rows] == [set(r.json()["fields"])] * 2
    assert all("my_number" not in row for row in rows) and TARO_NUMBER not in json.dumps(rows)


def test_the_kouiki_file_carries_the_number_only_because_its_entry_allows_it(api: TestClient, auth, runtime) -> None:
    """PIA-III-3-b: fields come from the (counterparty, purpose) allow-list; the response never has rows."""
    r = export(api, auth, "kouiki-rengo", "eligibility", [TARO])
    assert TARO_NUMBER not in r.text
    assert exported_rows(runtime, r.json()["key"])[0]["my_number"] == TARO_NUMBER


def _key_of(runtime, key: str) -> str:
    head = runtime.clients.client("s3").head_object(Bucket=runtime.bucket_name("exchange"), Key=key)
    return runtime.clients.client("kms").describe_key(KeyId=head["SSEKMSKeyId"])["KeyMetadata"]["KeyId"]


def _key_id(runtime, alias: str) -> str:
    return runtime.clients.client("kms").describe_key(KeyId=runtime.key_alias(alias))["KeyMetadata"]["KeyId"]


def test_a_file_with_my_numbers_is_encrypted_under_the_my_number_key(api: TestClient, auth, runtime) -> None:
    """Issue 18 item 4: only roles allowed the My Number key can read the 広域連合 file; the 庁内 file, without
    numbers, stays under the data key (its twin)."""
    with_numbers = export(api, auth, "kouiki-rengo", "eligibility", [TARO]).json()["key"]
    without = export(api, auth, "shiminzei-ka", "annual-benefit-premium", [TARO]).json()["key"]
    assert _key_of(runtime, with_numbers) == _key_id(runtime, "mynumber")
    assert _key_of(runtime, without) == _key_id(runtime, "data") != _key_id(runtime, "mynumber")


@pytest.mark.parametrize("counterparty, purpose", [("unknown-dept", "eligibility"), ("kouiki-rengo", "marketing")])
def test_an_unknown_counterparty_or_purpose_is_refused(api: TestClient, auth, counterparty, purpose) -> None:
    r = export(api, auth, counterparty, purpose, [TARO])
    assert r.status_code == 422 and r.json()["code"] == "export-not-allowed"


def test_a_suspended_person_is_skipped_and_named_in_the_report(api: TestClient, auth, runtime) -> None:
    """PIA-IV-1: suspension of use goes through maker-checker, then exports skip the person."""
    change = api.post(f"/intake/persons/{HANAKO}/suspension", json={"reason": "利用停止請求 DR-1"},
                      headers=auth(CLERK)).json()
    assert export(api, auth, "kouiki-rengo", "eligibility", [TARO, HANAKO]).json()["skipped_suspended"] == []
    api.post(f"/intake/changes/{change['request_id']}/confirm", headers=auth(CHECKER))
    report = export(api, auth, "kouiki-rengo", "eligibility", [TARO, HANAKO]).json()
    assert report["skipped_suspended"] == [HANAKO] and report["exported"] == 1
    assert [row["person_id"] for row in exported_rows(runtime, report["key"])] == [TARO]


def test_exports_need_the_transfer_permission(api: TestClient, auth) -> None:
    body = {"counterparty": "kouiki-rengo", "purpose": "eligibility", "person_ids": [TARO],
            "approval_id": "DUA-KOUIKI"}
    assert api.post("/transfer/exports", json=body, headers=auth(CLERK)).status_code == 403


@pytest.mark.parametrize("approval_id, changes, code", [
    ("DUA-NONE", {}, "transfer-approval-missing"),
    ("DUA-KOUIKI", {"status": "revoked"}, "transfer-approval-revoked"),
    ("DUA-KOUIKI", {"valid_to": "2025-03-31"}, "transfer-approval-expired"),
    ("DUA-SHIMINZEI", {}, "transfer-approval-other-job"),  # an approval for another recipient
])
def test_an_export_without_a_valid_approval_is_refused_and_audited(api: TestClient, auth, runtime, approval_id,
                                                                    changes, code) -> None:
    """PIA-III-5-a: an ad-hoc export runs under a データ使用承認 like every transfer; nothing is written."""
    approve(runtime, "kouiki-rengo", **changes)
    r = export(api, auth, "kouiki-rengo", "eligibility", [TARO], approval_id=approval_id)
    assert r.status_code == 403 and r.json()["code"] == code, r.text
    assert [e["detail"]["code"] for e in audit_actions(runtime, "export.refused")] == [code]
    assert not audit_actions(runtime, "export.write")
    # Its twin: under the valid approval the same export is written, and says which approval it ran under.
    approve(runtime, "kouiki-rengo")
    ok = export(api, auth, "kouiki-rengo", "eligibility", [TARO])
    assert ok.status_code == 201 and ok.json()["approval_id"] == "DUA-KOUIKI"


def test_the_approval_narrows_the_export_filter(api: TestClient, auth, runtime) -> None:
    """Every export passes the export filter of its approval: a field the approval does not name is left out, and
    the My Number only goes when the approval names it."""
    approve(runtime, "kouiki-rengo", fields=["person_id", "name"])
    r = export(api, auth, "kouiki-rengo", "eligibility", [TARO])
    assert r.status_code == 201 and r.json()["my_number_included"] is False
    assert exported_rows(runtime, r.json()["key"]) == [{"person_id": TARO, "name": "熊本 太郎"}]


# --- disclosure and inquiries ------------------------------------------------------------------------------

def test_a_disclosure_holds_the_record_and_the_access_history(api: TestClient, auth, runtime) -> None:
    """PIA-IV-1."""
    api.get(f"/intake/persons/{TARO}", params={"purpose": "資格確認"}, headers=auth(MN_CLERK))
    opened = api.post("/intake/disclosures", json={"person_id": TARO, "requester": "self",
                                                   "identity_documents": ["mynumber-card"]}, headers=auth(STEWARD))
    assert opened.status_code == 201 and opened.json()["receipt_number"].startswith("DR-")
    document = api.get(f"/intake/disclosures/{opened.json()['receipt_number']}", headers=auth(STEWARD)).json()
    assert document["record"]["my_number"] == TARO_NUMBER and document["record"]["name"] == "熊本 太郎"
    assert document["identity_check"] == {"requester": "self", "documents": ["mynumber-card"]}
    assert any(h["action"] == "person.mynumber-read" and h["staff_id"] == MN_CLERK for h in document["access_history"])
    assert sorted(m["person_id"] for m in document["household_members"]) == ["P0000000002", "P0000000003"]
    assert audit_actions(runtime, "disclosure.read")[-1]["target"] == TARO


def test_disclosures_need_the_permission(api: TestClient, auth) -> None:
    body = {"person_id": TARO, "requester": "self", "identity_documents": ["passport"]}
    assert api.post("/intake/disclosures", json=body, headers=auth(CLERK)).status_code == 403


def test_a_disclosure_needs_a_recorded_identity_check(api: TestClient, auth) -> None:
    body = {"person_id": TARO, "requester": "self", "identity_documents": []}
    assert api.post("/intake/disclosures", json=body, headers=auth(STEWARD)).status_code == 422


def test_every_inquiry_gets_a_receipt_and_a_recorded_response(api: TestClient, auth) -> None:
    """PIA-IV-2."""
    opened = api.post("/intake/inquiries", json={"person_id": TARO, "channel": "phone", "subject": "保険料の内訳"},
                      headers=auth(CLERK))
    assert opened.status_code == 201
    receipt = opened.json()["receipt_number"]
    assert receipt.startswith("IQ-") and opened.json()["status"] == "open"
    answered = api.post(f"/intake/inquiries/{receipt}/response", json={"response": "通知書の見方を説明した"},
                        headers=auth(STEWARD)).json()
    assert answered["status"] == "responded" and answered["responded_by"] == STEWARD
    assert api.get(f"/intake/inquiries/{receipt}", headers=auth(CLERK)).json()["response"] == "通知書の見方を説明した"


def test_the_number_is_withheld_when_the_record_lacks_identifiers() -> None:
    """PIA-III-2-e: a view that cannot show name, birth date and address beside the number does not show it."""
    from shared.protection.views import detail

    view = detail({"person_id": "P1", "name": "熊本 太郎", "birth_date": "1948-05-10", "address": None}, TARO_NUMBER)
    assert "my_number" not in view and view["my_number_withheld"]
    complete = detail({"person_id": "P1", "name": "熊本 太郎", "birth_date": "1948-05-10", "address": "熊本市"},
                      TARO_NUMBER)
    assert complete["my_number"] == TARO_NUMBER


def test_an_acquisition_at_75_is_dated_the_75th_birthday(api: TestClient, auth, runtime) -> None:
    """法第52条 via the counter: 資格取得届 for 75歳到達 takes the birthday, whatever day it is handed in."""
    body = {"kind": "acquisition", "person_id": JIRO, "event_date": "2027-02-03", "acquisition_reason": "75歳到達",
            "applicant": {"type": "self"}, "identity_documents": ["mynumber-card"]}
    taken = api.post("/intake/notifications", json=body, headers={**auth(CLERK), "Idempotency-Key": "k-75"}).json()
    api.post(f"/intake/changes/{taken['change_request_id']}/confirm", headers=auth(CHECKER))
    assert runtime.repository(PersonRepository).get(JIRO)["eligibility_acquired_on"] == "2027-01-20"  # born 1952-01-20
