"""Counter intake end to end (PIA-I-1-a, PIA-I-1-f, PIA-III-2-j, PIA-III-2-k): notifications through maker-checker,
retries, proxies, 資格確認書, 療養費."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from functions.intake.services.reaching_75 import run_reaching_75
from shared.adapters.change_requests import ChangeRequestStore
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.api.uploads import MAX_DOCUMENT_BYTES
from shared.local.demo_data import demo_my_number

CLERK, MN_CLERK, CHECKER = "S1001", "S1002", "S1003"
TARO, HANAKO, JIRO = "P0000000001", "P0000000002", "P0000000004"
ADDRESS = {"kind": "address-change", "person_id": JIRO, "event_date": "2026-04-10",
           "values": {"address": "熊本市東区健軍2-2-2", "postal_code": "862-0911"},
           "applicant": {"type": "self"}, "identity_documents": ["mynumber-card"]}


def take(api, auth, staff, body, key):
    return api.post("/intake/notifications", json=body, headers={**auth(staff), "Idempotency-Key": key})


def test_a_notification_is_confirmed_by_a_checker_and_queued_for_the_kouiki(api: TestClient, auth, runtime) -> None:
    r = take(api, auth, CLERK, ADDRESS, "counter-3-0001")
    assert r.status_code == 201, r.text
    taken = r.json()
    assert taken["status"] == "pending" and taken["form"] == "住所変更届"
    assert taken["identity_documents"] == ["mynumber-card"] and taken["applicant"]["type"] == "self"
    assert taken["queued_for_kouiki_at"] is None
    assert runtime.repository(PersonRepository).get(JIRO)["address"] == "熊本市東区健軍1-2-3"
    api.post(f"/intake/changes/{taken['change_request_id']}/confirm", headers=auth(CHECKER))
    after = api.get(f"/intake/notifications/{taken['notification_id']}", headers=auth(CLERK)).json()
    assert after["status"] == "confirmed" and after["queued_for_kouiki_at"]
    assert runtime.repository(PersonRepository).get(JIRO)["address"] == "熊本市東区健軍2-2-2"
    queue = api.get("/intake/kouiki-queue", headers=auth(CLERK)).json()["ready"]
    assert [(q["kind"], q["reference"]) for q in queue] == [("notification:address-change", taken["notification_id"])]


def test_a_retried_submission_returns_the_first_result(api: TestClient, auth, runtime) -> None:
    first = take(api, auth, CLERK, ADDRESS, "counter-3-0002").json()
    second = take(api, auth, CLERK, ADDRESS, "counter-3-0002").json()
    assert second == first
    assert len(runtime.repository(ChangeRequestStore).about(JIRO)) == 1


def test_the_same_key_with_another_body_is_refused(api: TestClient, auth) -> None:
    take(api, auth, CLERK, ADDRESS, "counter-3-0003")
    other = {**ADDRESS, "values": {"address": "熊本市北区1"}}
    r = take(api, auth, CLERK, other, "counter-3-0003")
    assert r.status_code == 422 and r.json()["code"] == "idempotency-key-reused"


def test_a_notification_without_an_idempotency_key_is_refused(api: TestClient, auth) -> None:
    r = api.post("/intake/notifications", json=ADDRESS, headers=auth(CLERK))
    assert r.status_code == 400 and r.json()["code"] == "idempotency-key-required"


def test_identity_documents_are_required(api: TestClient, auth) -> None:
    r = take(api, auth, CLERK, {**ADDRESS, "identity_documents": []}, "k-docs")
    assert r.status_code == 422


def proxy_body(name_kana: str, number: str) -> dict:
    return {**ADDRESS, "applicant": {"type": "proxy", "relationship": "子", "proxy_name_kana": name_kana,
                                     "proxy_my_number": number}, "identity_documents": ["power-of-attorney",
                                                                                         "mynumber-card"]}


def test_a_proxy_whose_my_number_matches_the_register_is_recorded(api: TestClient, auth) -> None:
    """PIA-III-2-k: 熊本 一郎 (P0000000003) acts for his father; his number is checked against the register."""
    r = take(api, auth, MN_CLERK, proxy_body("くまもと いちろう", demo_my_number("11111111111")), "k-proxy-ok")
    assert r.status_code == 201, r.text
    assert r.json()["applicant"] == {"type": "proxy", "relationship": "子", "proxy_person_id": "P0000000003"}
    assert demo_my_number("11111111111") not in r.text


@pytest.mark.parametrize("number", [demo_my_number("12345678901"),  # a real number, but another person's
                                    demo_my_number("99999999999")])  # valid, but nobody's
def test_a_proxy_with_a_wrong_my_number_is_refused(api: TestClient, auth, runtime, number: str) -> None:
    r = take(api, auth, MN_CLERK, proxy_body("クマモト イチロウ", number), f"k-proxy-{number}")
    assert r.status_code == 422 and r.json()["code"] == "proxy-mynumber-mismatch" and number not in r.text
    assert runtime.repository(ChangeRequestStore).about(JIRO) == []


def test_a_proxy_number_needs_my_number_permission(api: TestClient, auth) -> None:
    r = take(api, auth, CLERK, proxy_body("クマモト イチロウ", demo_my_number("11111111111")), "k-proxy-perm")
    assert r.status_code == 403


def test_loss_by_death_is_the_next_day(api: TestClient, auth, runtime) -> None:
    body = {"kind": "loss", "person_id": TARO, "event_date": "2026-04-30", "loss_reason": "死亡",
            "applicant": {"type": "self"}, "identity_documents": ["other"]}
    taken = take(api, auth, CLERK, body, "k-loss").json()
    api.post(f"/intake/changes/{taken['change_request_id']}/confirm", headers=auth(CHECKER))
    taro = runtime.repository(PersonRepository).get(TARO)
    assert taro["eligibility_status"] == "lost" and taro["eligibility_lost_on"] == "2026-05-01"


def test_disability_certification_only_between_65_and_74(api: TestClient, auth, runtime) -> None:
    body = {"kind": "disability-application", "person_id": JIRO, "event_date": "2026-04-01",
            "certificate": "身体障害者手帳 2級", "applicant": {"type": "self"}, "identity_documents": ["mynumber-card"]}
    taken = take(api, auth, CLERK, body, "k-dis").json()  # 阿蘇 次郎, born 1952-01-20: 74
    api.post(f"/intake/changes/{taken['change_request_id']}/confirm", headers=auth(CHECKER))
    jiro = runtime.repository(PersonRepository).get(JIRO)
    assert jiro["eligibility_status"] == "insured" and jiro["disability_certified_on"] == "2026-04-01"
    young = {**body, "person_id": "P0000000003"}  # 熊本 一郎, 46
    r = take(api, auth, CLERK, young, "k-dis-young")
    assert r.status_code == 422 and r.json()["code"] == "not-eligible"


def test_a_my_number_change_notification_needs_the_permission_and_seals_it(api: TestClient, auth, runtime) -> None:
    number = demo_my_number("16180339887")
    body = {"kind": "mynumber-change", "person_id": JIRO, "event_date": "2026-04-01", "values": {"mynumber": number},
            "applicant": {"type": "self"}, "identity_documents": ["mynumber-card"]}
    assert take(api, auth, CLERK, body, "k-mn-clerk").status_code == 403
    taken = take(api, auth, MN_CLERK, body, "k-mn").json()
    api.post(f"/intake/changes/{taken['change_request_id']}/confirm", headers=auth(CHECKER))
    assert runtime.vault.decrypt(runtime.repository(PersonRepository).get(JIRO)["mynumber_enc"]).digits == number


def test_certificate_reissue_goes_through_maker_checker(api: TestClient, auth, clock) -> None:
    body = {"kind": "certificate-reissue", "person_id": TARO, "event_date": "2026-04-01",
            "applicant": {"type": "self"}, "identity_documents": ["drivers-license"]}
    taken = take(api, auth, CLERK, body, "k-reissue").json()
    assert api.get(f"/intake/persons/{TARO}/certificates", headers=auth(CLERK)).json()["certificates"] == []
    api.post(f"/intake/changes/{taken['change_request_id']}/confirm", headers=auth(CHECKER))
    certificate = api.get(f"/intake/persons/{TARO}/certificates", headers=auth(CLERK)).json()["certificates"][0]
    assert certificate["reason"] == "reissue"
    today = clock().date()
    expected_end = date(today.year, 7, 31) if today <= date(today.year, 7, 31) else date(today.year + 1, 7, 31)
    assert certificate["valid_until"] == expected_end.isoformat()
    assert certificate["print"]["insured_number"] == "10000001" and certificate["print"]["name"] == "熊本 太郎"


def test_people_reaching_75_and_the_daily_job(api: TestClient, auth, runtime, clock) -> None:
    today = clock().date()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    listed = api.get("/intake/reaching-75", params={"from": first.isoformat(), "to": last.isoformat()},
                     headers=auth(CLERK)).json()
    assert [p["person_id"] for p in listed["people"]] == ["P0000000006", "P0000000007"]
    assert listed["people"][0]["seventy_fifth_birthday"] == first.isoformat()
    assert "my_number" not in listed["people"][0]
    first_run = run_reaching_75(runtime, first, last, today)
    again = run_reaching_75(runtime, first, last, today)
    assert (first_run["queued"], first_run["certificates_issued"]) == (2, 2)
    assert (again["queued"], again["certificates_issued"]) == (0, 0)  # idempotent
    new = api.get("/intake/persons/P0000000006/certificates", headers=auth(CLERK)).json()["certificates"]
    assert [c["reason"] for c in new] == ["new"]


# --- 療養費 -------------------------------------------------------------------------------------------------

RYOYOHI = {"person_id": TARO, "type": "judo-therapy", "period_from": "2026-03-01", "period_to": "2026-03-31",
           "amount_claimed": 12_340, "paid_on": "2026-03-31", "applicant": {"type": "self"},
           "identity_documents": ["mynumber-card"],
           "bank": {"bank_code": "0182", "branch_code": "101", "account_type": "ordinary",
                    "account_number": "1234567", "holder_kana": "クマモト タロウ"}}
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_ryoyohi_application_with_a_document_is_confirmed_and_queued(api: TestClient, auth, runtime) -> None:
    r = api.post("/intake/ryoyohi", json=RYOYOHI, headers=auth(CLERK))
    assert r.status_code == 202, r.text
    application = r.json()["entity_id"]
    up = api.put(f"/intake/ryoyohi/{application}/documents", content=PDF,
                 headers={**auth(CLERK), "content-type": "application/pdf"})
    assert up.status_code == 201 and len(up.json()["document_id"]) >= 32
    head = runtime.clients.client("s3").head_object(Bucket=runtime.bucket_name("documents"),
                                                    Key=f"ryoyohi/{application}/{up.json()['document_id']}")
    assert head["ServerSideEncryption"] == "aws:kms"
    api.post(f"/intake/changes/{r.json()['request_id']}/confirm", headers=auth(CHECKER))
    stored = runtime.records("ryoyohi-applications").get(application)
    assert stored["amount_claimed"] == 12_340 and stored["status"] == "received"
    assert [q["kind"] for q in runtime.repository(TransferQueue).ready("kouiki-rengo")] == ["ryoyohi-application"]


def test_transport_needs_a_my_number_and_others_do_not(api: TestClient, auth) -> None:
    r = api.post("/intake/ryoyohi", json={**RYOYOHI, "type": "transport"}, headers=auth(MN_CLERK))
    assert r.status_code == 422 and r.json()["code"] == "my-number-required"
    ok = api.post("/intake/ryoyohi", json={**RYOYOHI, "type": "transport", "my_number": demo_my_number("12345678901")},
                  headers=auth(MN_CLERK))
    assert ok.status_code == 202 and ok.json()["changes"]["mynumber"] == {"changed": True}


@pytest.mark.parametrize("content, media_type, status, code", [
    (b"MZ\x90\x00 not a pdf", "application/pdf", 415, "document-content-mismatch"),
    (PDF, "application/x-msdownload", 415, "unsupported-media-type"),
    (b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES, "application/pdf", 413, "payload-too-large"),
])
def test_documents_of_the_wrong_type_or_too_large_are_refused(api: TestClient, auth, content, media_type, status,
                                                              code) -> None:
    """Uploaded documents are checked (PIA-III-7-c): the bytes must be the declared type, within the size."""
    application = api.post("/intake/ryoyohi", json=RYOYOHI, headers=auth(CLERK)).json()["entity_id"]
    r = api.put(f"/intake/ryoyohi/{application}/documents", content=content,
                headers={**auth(CLERK), "content-type": media_type})
    assert r.status_code == status and r.json()["code"] == code


def test_documents_for_an_unknown_application_are_refused(api: TestClient, auth) -> None:
    r = api.put("/intake/ryoyohi/RYNOSUCH/documents", content=PDF,
                headers={**auth(CLERK), "content-type": "application/pdf"})
    assert r.status_code == 404


def test_an_invalid_application_is_refused(api: TestClient, auth) -> None:
    bad = {**RYOYOHI, "period_from": "2026-04-01", "period_to": "2026-03-01"}
    r = api.post("/intake/ryoyohi", json=bad, headers=auth(CLERK))
    assert r.status_code == 422 and r.json()["code"] == "invalid-change"
    assert api.post("/intake/ryoyohi", json={**RYOYOHI, "amount_claimed": 12.5}, headers=auth(CLERK)).status_code == 422


def test_the_yearly_renewal_follows_the_certificate_rule(runtime, monkeypatch) -> None:
    """資格確認書 (PIA-I-1-a): until 2026-07-31 everyone insured gets one; after that the configured rule decides."""

    from functions.intake.batch import annual_certificate_renewal
    from functions.intake.rules.certificates import receives_certificate
    from shared.adapters.dynamo import to_item

    assert receives_certificate(date(2026, 7, 31), True, "non-holders")  # transition: holders too
    assert not receives_certificate(date(2026, 8, 1), True, "non-holders")
    assert receives_certificate(date(2026, 8, 1), True, "all")
    # The demo's insured persons are 太郎, 花子 and ミツ; 花子 holds a マイナ保険証.
    hanako = runtime.repository(PersonRepository).get(HANAKO)
    runtime.clients.client("dynamodb").put_item(TableName=runtime.table_name("persons"),
                                                Item=to_item({**hanako, "has_myna_insurance_card": True}))
    monkeypatch.setattr(runtime, "settings", runtime.settings.model_copy(update={"certificate_rule": "non-holders"}))
    result = annual_certificate_renewal({"today": "2027-08-01"}, None, runtime=runtime)
    assert (result["insured"], result["issued"]) == (3, 2)
    assert annual_certificate_renewal({"today": "2027-08-01"}, None, runtime=runtime)["issued"] == 0  # idempotent
    certificate = runtime.records("certificates").get(f"QC-{TARO}-renewal-2027")
    assert certificate["valid_until"] == "2028-07-31" and certificate["reason"] == "renewal"
