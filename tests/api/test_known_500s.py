"""The 500s found by fuzzing and by hand (issue 18 item 6) are clear 4xx problems now; each case was a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

CLERK, AUDITOR = "S1001", "S1007"
LOSS = {"kind": "loss", "person_id": "P0000000004", "loss_reason": "death", "applicant": {"type": "self"},
        "identity_documents": ["mynumber-card"]}


@pytest.mark.parametrize(("method", "url", "body", "staff"), [
    ("GET", "/audit/inspection?from=2026-11-01T00:00&to=2026-11-30T00:00", None, AUDITOR),  # naive times
    ("POST", "/audit/search", {"since": "2026-11-01T00:00:00"}, AUDITOR),
    ("GET", "/audit/records/1" + "0" * 40, None, AUDITOR),  # past DynamoDB's 38 digits
    ("POST", "/intake/notifications", {**LOSS, "event_date": "9999-12-31"}, CLERK),  # the day after overflows
    ("GET", "/intake/reaching-75?from=9999-12-01&to=9999-12-31", None, CLERK),
    ("GET", "/intake/persons/" + "P" * 3000, None, CLERK),  # a path over 2 KB
], ids=["naive inspection period", "naive search time", "a 41-digit sequence number", "a loss on 9999-12-31",
        "reaching 75 in year 9999", "a 3000-character path"])
def test_what_was_a_500_is_a_clear_problem(api: TestClient, auth, method, url, body, staff) -> None:
    headers = {**auth(staff), "Idempotency-Key": "k500"}
    r = api.request(method, url, json=body, headers=headers)
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"] == "application/problem+json" and r.json()["code"]
