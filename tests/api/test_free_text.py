"""No My Number in free text (issue 18 item 2; PIA-III-2-a, III-3-a): refused before anything is stored, shown or
audited, whatever field it is typed into and however it is written."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from shared.adapters.persons import PersonRepository
from shared.domain.mynumber import my_numbers_in
from tests.audit_events import audit_events

CLERK, MN_CLERK, CHECKER, AUDITOR = "S1001", "S1002", "S1003", "S1007"
TARO, JIRO = "P0000000001", "P0000000004"
NUMBER = "123456789018"  # check digit: 1×6+2×5+3×4+4×3+5×2+6×7+7×6+8×5+9×4+0×3+1×2 = 212; 212 mod 11 = 3; 11−3 = 8

WRITTEN = {
    "ascii": "個人番号 123456789018",
    "full-width": "個人番号 １２３４５６７８９０１８",
    "superscript": "¹²³⁴⁵⁶⁷⁸⁹⁰¹⁸",
    "hyphens": "1234-5678-9018",
    "spaces and a zero-width space": "1234 5678\u200b9018",
    "kanji numerals": "一二三四五六七八九〇一八",
    "after a date": "受付 2026-11-27 1234 5678 9018",
}


@pytest.mark.parametrize("text", WRITTEN.values(), ids=WRITTEN)
def test_every_way_of_writing_it_is_found(text: str) -> None:
    assert [n.digits for n in my_numbers_in(text)][-1] == NUMBER


NOT_NUMBERS = {"wrong check digit": "123456789019", "a phone number": "電話 096-328-2111",
               "13 digits": "1234567890180", "a date": "令和8年11月27日", "a person id": "P0000000001"}


@pytest.mark.parametrize("text", NOT_NUMBERS.values(), ids=NOT_NUMBERS)
def test_what_is_not_a_my_number_passes(text: str) -> None:
    assert my_numbers_in(text) == []


def _no_trace(runtime) -> None:
    """Nothing anywhere in storage holds it: every item of every table, in the clear."""
    db = runtime.clients.client("dynamodb")
    for name in db.list_tables()["TableNames"]:
        assert NUMBER not in json.dumps(db.scan(TableName=name)["Items"], ensure_ascii=False), name


@pytest.mark.parametrize("written", WRITTEN, ids=WRITTEN)
def test_an_inquiry_subject_with_a_my_number_is_refused(api: TestClient, auth, runtime, written: str) -> None:
    r = api.post("/intake/inquiries", json={"person_id": TARO, "channel": "counter", "subject": WRITTEN[written]},
                 headers=auth(CLERK))
    assert r.status_code == 422 and r.json()["code"] == "my-number-in-free-text"
    assert r.json()["errors"][0]["field"] == "body.subject" and NUMBER not in r.text
    _no_trace(runtime)


ROUTES = [
    ("POST", "/intake/changes", {"operation": "update", "person_id": JIRO, "values": {"address": "熊本市1"},
                                 "reason": f"届書の番号 {NUMBER}"}, "body.reason"),
    ("POST", "/intake/changes", {"operation": "update", "person_id": JIRO,
                                 "values": {"address": f"熊本市東区 {NUMBER}"}, "reason": "住所変更届"},
     "body.values.address"),
    ("POST", f"/intake/persons/{JIRO}/suspension", {"reason": f"利用停止 {NUMBER}"}, "body.reason"),
    ("POST", "/intake/persons/search", {"name_kana": f"クマモト {NUMBER}"}, "body.name_kana"),
    ("POST", "/audit/search", {"target": NUMBER}, "body.target"),
    ("POST", "/intake/inquiries", {"channel": "counter", "subject": "x", NUMBER: "as a key"}, "body.<key>"),
    ("GET", f"/intake/persons/{TARO}?purpose=照会+{NUMBER}", None, "query.purpose"),
    ("GET", f"/intake/notifications/{NUMBER}", None, "path"),
]


@pytest.mark.parametrize(("method", "url", "body", "field"), ROUTES, ids=[r[3] + " " + r[1] for r in ROUTES])
def test_any_field_path_or_query_is_guarded(api: TestClient, auth, runtime, method, url, body, field) -> None:
    r = api.request(method, url, json=body, headers=auth(MN_CLERK))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "my-number-in-free-text" and field in [e["field"] for e in r.json()["errors"]]
    assert NUMBER not in r.text
    _no_trace(runtime)
    assert not [a for a in audit_events(runtime) if NUMBER in json.dumps(a, ensure_ascii=False)]


def test_the_fields_that_carry_a_my_number_still_take_one(api: TestClient, auth) -> None:
    """The twin: the guard refuses free text only; the My Number fields work as before (and check permission)."""
    found = api.post("/intake/persons/search-by-my-number", json={"my_number": NUMBER, "purpose": "本人確認"},
                     headers=auth(MN_CLERK))
    assert found.status_code == 200 and found.json()["count"] == 1
    change = api.post("/intake/changes", json={"operation": "update", "person_id": JIRO,
                                               "values": {"mynumber": "987654321000"}, "reason": "番号変更"},
                      headers=auth(CLERK))
    assert change.status_code == 403  # mynumber:write, as before: the guard did not stand in the way


def test_a_twelve_digit_reference_without_a_valid_check_digit_is_free_text(api: TestClient, auth) -> None:
    """The guard is not a blanket ban on digits: 123456789019 is no My Number (check digit 8, not 9)."""
    r = api.post("/intake/inquiries", json={"person_id": TARO, "channel": "phone",
                                            "subject": "振込番号 123456789019 の件"}, headers=auth(CLERK))
    assert r.status_code == 201 and r.json()["subject"] == "振込番号 123456789019 の件"


def test_without_the_guard_the_number_would_be_stored(runtime, auth) -> None:
    """The negative twin: the same request to an app built without the guard stores the number in the clear,
    which is what the guard exists to stop."""
    from fastapi import FastAPI

    from functions.registry import build_all
    from shared.api.free_text import FreeTextGuard

    app: FastAPI = build_all(runtime)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not FreeTextGuard]
    r = TestClient(app).post("/intake/inquiries", json={"person_id": TARO, "channel": "counter",
                                                        "subject": WRITTEN["ascii"]}, headers=auth(CLERK))
    assert r.status_code == 201
    with pytest.raises(AssertionError):
        _no_trace(runtime)


# --- control and bidirectional-override characters --------------------------------------------------------

INVISIBLE = {"NUL": "熊本\x00太郎", "ESC": "熊本\x1b[31m太郎", "right-to-left override": "熊本\u202e郎太",
             "isolate": "\u2067熊本 太郎\u2069", "right-to-left mark": "熊本\u200f太郎"}


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=INVISIBLE)
def test_a_name_with_control_or_bidi_characters_is_refused(api: TestClient, auth, runtime, name: str) -> None:
    r = api.post("/intake/changes", json={"operation": "update", "person_id": JIRO, "values": {"name": name},
                                          "reason": "氏名変更届"}, headers=auth(CLERK))
    assert r.status_code == 422 and r.json()["code"] == "forbidden-characters"
    assert r.json()["errors"][0]["field"] == "body.values.name"
    assert not runtime.repository(PersonRepository).get(JIRO).get("name", "").count("\u202e")


def test_tabs_and_line_breaks_are_text(api: TestClient, auth) -> None:
    """The twin: ordinary layout characters in a long answer are accepted."""
    r = api.post("/intake/inquiries", json={"person_id": TARO, "channel": "letter",
                                            "subject": "一行目\n二行目\tタブ\r\n三行目"}, headers=auth(CLERK))
    assert r.status_code == 201


@pytest.mark.parametrize("field, value", [("bank_code", "０１２３"), ("branch_code", "０１２"),
                                          ("account_number", "１２３４５６７")])
def test_bank_numbers_are_half_width_digits_only(api: TestClient, auth, field: str, value: str) -> None:
    bank = {"bank_code": "0123", "branch_code": "012", "account_type": "ordinary", "account_number": "1234567",
            "holder_kana": "クマモト タロウ", field: value}
    r = api.post("/intake/ryoyohi", json={"person_id": TARO, "type": "orthosis", "period_from": "2026-04-01",
                                          "period_to": "2026-04-30", "amount_claimed": 30000, "bank": bank,
                                          "paid_on": "2026-04-01", "applicant": {"type": "self"},
                                          "identity_documents": ["mynumber-card"]},
                 headers=auth(CLERK))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == f"body.bank.{field}"
    half_width = value.translate(str.maketrans("０１２３４５６７", "01234567"))
    ok = api.post("/intake/ryoyohi", json={"person_id": TARO, "type": "orthosis", "period_from": "2026-04-01",
                                           "period_to": "2026-04-30", "amount_claimed": 30000,
                                           "bank": {**bank, field: half_width}, "paid_on": "2026-04-01",
                                           "applicant": {"type": "self"},
                                           "identity_documents": ["mynumber-card"]}, headers=auth(CLERK))
    assert ok.status_code == 202, ok.text
