"""Staff identity, sessions and idle log-off on the real request path (PIA-III-3-c, PIA-III-3-e, PIA-III-3-f)."""

from fastapi.testclient import TestClient

from shared.adapters.staff_registry import StaffRegistry
from shared.domain.roles import Role
from shared.domain.staff import StaffMember
from tests.audit_events import audit_events

CLERK, AUDITOR, OPERATOR, DISABLED = "S1001", "S1007", "S1008", "S1099"


def _actions(runtime) -> list[tuple[str, str, str]]:
    return [(r["staff_id"], r["action"], r["outcome"]) for r in audit_events(runtime)]


def test_a_known_active_staff_member_signs_in_and_it_is_audited(api: TestClient, auth, runtime) -> None:
    r = api.get("/auth/me", headers=auth(CLERK))
    assert r.status_code == 200
    assert r.json()["staff_id"] == CLERK and r.json()["roles"] == ["counter-clerk"]
    assert (CLERK, "auth.sign-in", "success") in _actions(runtime)


def test_the_same_token_reuses_its_session(api: TestClient, token_for, runtime) -> None:
    headers = {"Authorization": f"Bearer {token_for(CLERK)}"}
    api.get("/auth/me", headers=headers)
    api.get("/auth/me", headers=headers)
    assert [a for a in _actions(runtime) if a[1] == "auth.sign-in"] == [(CLERK, "auth.sign-in", "success")]


def test_unknown_staff_are_refused_and_audited(api: TestClient, auth, runtime) -> None:
    r = api.get("/auth/me", headers=auth("S9999"))
    assert r.status_code == 401 and r.json()["code"] == "unknown-staff"
    assert ("unverified:S9999", "auth.refused", "refused") in _actions(runtime)


def test_disabled_staff_are_refused(api: TestClient, auth) -> None:
    r = api.get("/auth/me", headers=auth(DISABLED))
    assert r.status_code == 401 and r.json()["code"] == "staff-disabled"


def test_a_shared_account_slipped_into_the_table_is_still_refused(api: TestClient, auth, runtime) -> None:
    from shared.adapters.dynamo import to_item

    runtime.clients.client("dynamodb").put_item(TableName=runtime.table_name("staff"), Item=to_item(
        {"staff_id": "WINDOW01", "name": "窓口共用", "department": "窓口", "roles": ["counter-clerk"],
         "active": True, "shared_account": True}))
    r = api.get("/auth/me", headers=auth("WINDOW01"))
    assert r.status_code == 401 and r.json()["code"] == "shared-account"


def test_wrong_role_is_403_and_audited(api: TestClient, auth, runtime) -> None:
    r = api.get("/audit/records", headers=auth(CLERK))
    assert r.status_code == 403
    assert (CLERK, "access.forbidden", "refused") in _actions(runtime)
    assert api.get("/audit/records", headers=auth(AUDITOR)).status_code == 200


def test_idle_session_is_closed_after_the_timeout(api: TestClient, token_for, clock, runtime) -> None:
    headers = {"Authorization": f"Bearer {token_for(CLERK)}"}
    assert api.get("/auth/me", headers=headers).status_code == 200
    clock.advance(minutes=14, seconds=59)
    assert api.get("/auth/me", headers=headers).status_code == 200  # activity resets the idle timer
    clock.advance(minutes=15, seconds=1)
    r = api.get("/auth/me", headers=headers)
    assert r.status_code == 401 and r.json()["code"] == "session-idle-timeout"
    assert (CLERK, "auth.idle-logoff", "success") in _actions(runtime)
    again = api.get("/auth/me", headers=headers)
    assert again.status_code == 401 and again.json()["code"] == "session-closed"


def test_activity_within_the_timeout_keeps_the_session(api: TestClient, token_for, clock) -> None:
    """The negative twin: without the idle gap, the same token keeps working for hours."""
    headers = {"Authorization": f"Bearer {token_for(CLERK)}"}
    for _ in range(10):
        assert api.get("/auth/me", headers=headers).status_code == 200
        clock.advance(minutes=14)


def test_logout_closes_the_session(api: TestClient, token_for, runtime) -> None:
    headers = {"Authorization": f"Bearer {token_for(CLERK)}"}
    assert api.post("/auth/logout", headers=headers).json() == {"status": "signed-out"}
    r = api.get("/auth/me", headers=headers)
    assert r.status_code == 401 and r.json()["code"] == "session-closed"
    assert (CLERK, "auth.sign-out", "success") in _actions(runtime)


def test_session_records_expire_by_ttl(api: TestClient, auth, runtime, clock) -> None:
    api.get("/auth/me", headers=auth(CLERK))
    items = runtime.clients.client("dynamodb").scan(TableName=runtime.table_name("sessions"))["Items"]
    assert items and all(int(i["expires_at"]["N"]) > clock().timestamp() for i in items)


def test_operators_register_personal_accounts_only(api: TestClient, auth, runtime) -> None:
    new = {"staff_id": "S3001", "name": "新任 職員", "department": "窓口", "roles": ["counter-clerk"]}
    proposal = api.post("/staff", json=new, headers=auth(OPERATOR))
    assert proposal.status_code == 202  # granting roles is maker-checker (issue 18): a second operator confirms
    confirmed = api.post(f"/platform/changes/{proposal.json()['request_id']}/confirm", headers=auth("S1009"))
    assert confirmed.status_code == 200, confirmed.text
    assert runtime.repository(StaffRegistry).get("S3001") == StaffMember("S3001", "新任 職員", "窓口",
                                                                         frozenset({Role.COUNTER_CLERK}))
    shared = {**new, "staff_id": "WINDOW02", "shared_account": True}
    r = api.post("/staff", json=shared, headers=auth(OPERATOR))
    assert r.status_code == 422 and r.json()["code"] == "shared-account-refused"
    assert runtime.repository(StaffRegistry).get("WINDOW02") is None


def test_disabling_staff_refuses_their_next_token(api: TestClient, auth) -> None:
    assert api.patch("/staff/S1005", json={"active": False}, headers=auth(OPERATOR)).json()["active"] is False
    assert api.get("/auth/me", headers=auth("S1005")).json()["code"] == "staff-disabled"


def test_auditors_can_search_the_trail(api: TestClient, auth) -> None:
    api.get("/auth/me", headers=auth(CLERK))
    r = api.post("/audit/search", json={"staff_id": CLERK, "action": "auth.sign-in"}, headers=auth(AUDITOR))
    assert r.status_code == 200 and r.json()["count"] >= 1
    assert all(rec["staff_id"] == CLERK for rec in r.json()["records"])
