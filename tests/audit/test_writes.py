"""The request path writes each audit event once, reads no head, fails closed, and cannot be broken by what a
request carries (issue 10; design rule 7; PIA-III-2-c, III-3-f)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError

from shared.adapters.audit_log import AuditEvent
from tests.audit_events import audit_events

CLERK, AUDITOR = "S1001", "S1007"
PERSON = "/intake/persons/P0000000001"


def audit_calls(calls: list[tuple[str, str, str]], runtime) -> list[str]:
    table = runtime.table_name("audit-log")
    return [operation for operation, tables, _ in calls if table in tables.split(",")]


def test_a_person_view_writes_one_event_and_reads_nothing_of_the_log(api, token_for, runtime, hook_calls) -> None:
    headers = {"Authorization": f"Bearer {token_for(CLERK)}"}
    assert api.get(PERSON, headers=headers).status_code == 200  # signs in: two events
    before = len(hook_calls())
    assert api.get(PERSON, headers=headers).status_code == 200
    assert audit_calls(hook_calls()[before:], runtime) == ["PutItem"]


def test_twenty_concurrent_writers_write_twenty_items_without_a_retry(runtime, hook_calls) -> None:
    """No shared head: concurrent writers never collide, so nothing is read and nothing is written twice."""
    def write(n: int) -> dict[str, Any]:
        return runtime.audit.append(AuditEvent(f"S{n}", "person.read", "success", target=f"P{n}"))

    with ThreadPoolExecutor(20) as pool:
        written = list(pool.map(write, range(20)))
    assert audit_calls(hook_calls(), runtime) == ["PutItem"] * 20
    assert len({w["event_id"] for w in written}) == 20
    assert sorted(e["staff_id"] for e in audit_events(runtime, "person.read")) == sorted(f"S{n}" for n in range(20))


@pytest.fixture
def audit_writes_fail(runtime):
    """The audit table refuses every write (throttled, or the role lost its permission)."""
    table = runtime.table_name("audit-log")
    client = runtime.clients.client("dynamodb")
    state = {"on": True}

    def refuse(params: dict[str, Any], **_: Any) -> None:
        if state["on"] and params.get("TableName") == table:
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                              "PutItem")

    client.meta.events.register("provide-client-params.dynamodb.PutItem", refuse)
    yield state
    client.meta.events.unregister("provide-client-params.dynamodb.PutItem", refuse)


def test_when_the_event_cannot_be_written_no_data_is_returned(api, token_for, audit_writes_fail) -> None:
    headers = {"Authorization": f"Bearer {token_for('S1002')}"}
    audit_writes_fail["on"] = False
    assert api.get(PERSON, headers=headers).status_code == 200
    audit_writes_fail["on"] = True
    r = api.get(PERSON, params={"purpose": "資格確認"}, headers=headers)
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "audit-unavailable"
    assert "熊本" not in r.text and "1948-05-10" not in r.text and "123456789018" not in r.text


def test_a_session_opens_only_after_its_sign_in_is_written(api, token_for, runtime, audit_writes_fail) -> None:
    headers = {"Authorization": f"Bearer {token_for(CLERK)}"}
    assert api.get("/auth/me", headers=headers).status_code == 503
    sessions = runtime.clients.client("dynamodb").scan(TableName=runtime.table_name("sessions"))["Items"]
    assert sessions == []  # no session without its sign-in event
    audit_writes_fail["on"] = False
    assert api.get("/auth/me", headers=headers).status_code == 200
    assert [e["staff_id"] for e in audit_events(runtime, "auth.sign-in")] == [CLERK]


def test_a_path_over_2_kb_never_breaks_the_write(api, token_for, runtime) -> None:
    """Issue 10: a 2 KB+ path made the `by-target` key too large and failed the sign-in's write. Paths over 512
    bytes are now refused before anything else (414, issue 18); one just under that is still cut to 256."""
    too_long = api.get("/intake/persons/" + "P" * 2100, headers={"Authorization": f"Bearer {token_for(CLERK)}"})
    assert too_long.status_code == 414
    path = "/intake/persons/" + "P" * 480  # 496 bytes: reaches sign-in and the route
    r = api.get(path, headers={"Authorization": f"Bearer {token_for(CLERK)}"})
    assert r.status_code in (404, 422)  # the route's answer, not a failed audit write
    sign_in = audit_events(runtime, "auth.sign-in")[-1]
    assert len(sign_in["target"]) == 256 and sign_in["target"].startswith("/intake/persons/PPP")
    refused = api.get(path, headers={"Authorization": "Bearer forged.token.value"})
    assert refused.status_code == 401
    assert len(audit_events(runtime, "auth.refused")[-1]["target"]) == 256


def test_the_twin_a_short_path_is_stored_as_it_came(api, token_for, runtime) -> None:
    api.get(PERSON, headers={"Authorization": f"Bearer {token_for(CLERK)}"})
    assert audit_events(runtime, "auth.sign-in")[-1]["target"] == PERSON
