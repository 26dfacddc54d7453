"""Idempotency records keep no brute-forceable trace of a My Number (issue 18 item 3; design rule 5).

The attack: the idempotency table stores a hash of what it validates; for a notification with a proxy's My
Number, someone who reads the table and knows the rest of the body and six digits tries the remaining
possibilities (10^5, each with its check digit) until a hash matches. With the plain SHA-256 powertools keeps by
default, that recovers the number in a fraction of a second; with the keyed fingerprint nothing matches.
"""

from __future__ import annotations

import hashlib
import json

from fastapi.testclient import TestClient

from shared.domain.mynumber import check_digit
from shared.local.demo_data import demo_my_number

CLERK, MN_CLERK = "S1001", "S1002"
HANAKO_NUMBER = demo_my_number("98320567321")  # 熊本 花子, the proxy: her number is in the register
BODY = {"kind": "address-change", "person_id": "P0000000001", "event_date": "2026-04-10",
        "values": {"address": "熊本市東区健軍2-2-2"}, "identity_documents": ["mynumber-card"],
        "applicant": {"type": "proxy", "relationship": "妻", "proxy_name_kana": "クマモト ハナコ",
                      "proxy_my_number": HANAKO_NUMBER}}


def _stored_validation(runtime) -> list[str]:
    items = runtime.clients.client("dynamodb").scan(TableName=runtime.table_name("idempotency"))["Items"]
    return [item["validation"]["S"] for item in items if "validation" in item]


def _plain_validation(body: dict) -> str:
    """What powertools stores when it validates the body itself: sha256 of the sorted JSON of the payload."""
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _brute_force(stored: list[str], known: str) -> str | None:
    """Try every number that starts with the six known digits (10^5 candidates with their check digits)."""
    for rest in range(10 ** 5):
        first_eleven = known + f"{rest:05d}"
        number = first_eleven + str(check_digit(first_eleven))
        candidate = {**BODY, "applicant": {**BODY["applicant"], "proxy_my_number": number}}
        if _plain_validation(candidate) in stored:
            return number
    return None


def test_the_stored_fingerprint_cannot_be_brute_forced(api: TestClient, auth, runtime) -> None:
    r = api.post("/intake/notifications", json=BODY, headers={**auth(MN_CLERK), "Idempotency-Key": "fp-1"})
    assert r.status_code == 201, r.text
    stored = _stored_validation(runtime)
    assert stored and HANAKO_NUMBER not in json.dumps(stored)
    assert _brute_force(stored, HANAKO_NUMBER[:6]) is None


def test_the_brute_force_finds_a_plainly_hashed_number(runtime) -> None:
    """The negative twin: the same attack on the plain hash powertools would keep recovers the number."""
    assert _brute_force([_plain_validation(BODY)], HANAKO_NUMBER[:6]) == HANAKO_NUMBER


def test_a_retry_with_the_same_body_still_returns_the_first_result(api: TestClient, auth) -> None:
    headers = {**auth(MN_CLERK), "Idempotency-Key": "fp-2"}
    first = api.post("/intake/notifications", json=BODY, headers=headers)
    again = api.post("/intake/notifications", json=BODY, headers=headers)
    assert again.status_code == 201 and again.json()["notification_id"] == first.json()["notification_id"]
    other = api.post("/intake/notifications", json={**BODY, "event_date": "2026-04-11"}, headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency-key-reused"
