"""Errors are useful (design rule 10): every one is problem+json with a stable code, never a stack trace or a 500;
unknown fields are refused (PIA-III-2-f)."""

import pytest
from fastapi.testclient import TestClient

OPERATOR, AUDITOR, CLERK = "S1008", "S1007", "S1001"


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code and body["status"] == status and body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


def test_malformed_json(api: TestClient, auth) -> None:
    r = api.post("/audit/search", content=b"{not json", headers={**auth(AUDITOR), "content-type": "application/json"})
    assert_problem(r, 400, "malformed-json")


def test_unknown_fields_are_rejected_by_name(api: TestClient, auth) -> None:
    r = api.post("/audit/search", json={"action": "auth.sign-in", "colour": "red"}, headers=auth(AUDITOR))
    body = assert_problem(r, 422, "unknown-field")
    assert [e["field"] for e in body["errors"]] == ["body.colour"]


def test_wrong_types_name_the_field(api: TestClient, auth) -> None:
    r = api.post("/audit/search", json={"limit": "lots"}, headers=auth(AUDITOR))
    body = assert_problem(r, 422, "validation-failed")
    assert body["errors"][0]["field"] == "body.limit"


def test_invalid_input_is_never_echoed(api: TestClient, auth) -> None:
    r = api.post("/audit/search", json={"limit": "123456789019"}, headers=auth(AUDITOR))  # no valid check digit
    assert_problem(r, 422, "validation-failed")
    assert "123456789019" not in r.text


def test_missing_auth(api: TestClient) -> None:
    r = api.get("/auth/me")
    assert_problem(r, 401, "missing-token")
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_bad_token(api: TestClient) -> None:
    assert_problem(api.get("/auth/me", headers={"Authorization": "Bearer abc.def.ghi"}), 401, "invalid-token")


def test_forbidden(api: TestClient, auth) -> None:
    assert_problem(api.get("/audit/records", headers=auth(CLERK)), 403, "forbidden")


def test_not_found_route_and_record(api: TestClient, auth) -> None:
    assert_problem(api.get("/no/such/route"), 404, "not-found")
    assert_problem(api.get("/audit/records/999999", headers=auth(AUDITOR)), 404, "not-found")


def test_method_not_allowed(api: TestClient) -> None:
    assert_problem(api.delete("/intake/health"), 405, "method-not-allowed")


def test_conflict(api: TestClient, auth) -> None:
    body = {"staff_id": "S1001", "name": "重複", "department": "窓口", "roles": ["counter-clerk"]}
    assert_problem(api.post("/staff", json=body, headers=auth(OPERATOR)), 409, "conflict")


def test_payload_too_large(api: TestClient, auth, runtime) -> None:
    too_big = b'{"action":"' + b"x" * runtime.settings.max_body_bytes + b'"}'
    r = api.post("/audit/search", content=too_big, headers={**auth(AUDITOR), "content-type": "application/json"})
    assert_problem(r, 413, "payload-too-large")


def test_unsupported_media_type(api: TestClient, auth) -> None:
    r = api.post("/audit/search", content=b"action=x", headers={**auth(AUDITOR),
                                                                "content-type": "application/x-www-form-urlencoded"})
    assert_problem(r, 415, "unsupported-media-type")


def test_an_unexpected_failure_is_a_500_problem_without_internals(api: TestClient, auth, runtime, monkeypatch) -> None:
    """The negative twin of 'never a 500 for bad input': a real fault is a 500, still problem+json, no trace."""
    monkeypatch.setattr(type(runtime.audit), "latest", lambda self, limit: 1 / 0)
    body = assert_problem(api.get("/audit/records", headers=auth(AUDITOR)), 500, "internal-error")
    assert "ZeroDivision" not in str(body)


def test_a_supplied_request_id_is_kept(api: TestClient) -> None:
    r = api.get("/auth/me", headers={"x-request-id": "counter-7-0001"})
    assert r.headers["x-request-id"] == "counter-7-0001" and r.json()["request_id"] == "counter-7-0001"


@pytest.mark.parametrize("bad", ["../etc", "x" * 65, "a b"])
def test_a_malformed_request_id_is_replaced(api: TestClient, bad: str) -> None:
    assert api.get("/auth/me", headers={"x-request-id": bad}).headers["x-request-id"] != bad


def test_logs_on_the_request_path_never_carry_a_my_number(api: TestClient, log_output) -> None:
    api.get("/intake/persons/1234-5678-9018")
    api.get("/intake/health?q=123456789018")
    out = log_output()
    assert '"path"' in out  # the access line was written …
    assert "9018" not in out  # … without the number in any form
