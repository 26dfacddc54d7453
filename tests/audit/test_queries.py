"""Inspection and search read a time window through the table's keys, or a person's history through an index;
nothing scans the log from its first record (issue 10; PIA-III-2-c, III-8)."""

from __future__ import annotations

from datetime import timedelta

from shared.adapters.audit_log import AuditEvent
from shared.cli.main import main

AUDITOR = "S1007"


def test_inspection_search_and_latest_query_keys_and_never_scan(api, auth, runtime, hook_calls, clock) -> None:
    window = {"from": (clock() - timedelta(days=1)).isoformat(), "to": (clock() + timedelta(days=1)).isoformat()}
    assert api.get("/audit/inspection", params=window, headers=auth(AUDITOR)).status_code == 200
    assert api.post("/audit/search", json={"action": "auth.sign-in"}, headers=auth(AUDITOR)).status_code == 200
    assert api.post("/audit/search", json={"target": "P0000000001"}, headers=auth(AUDITOR)).status_code == 200
    assert api.get("/audit/records", headers=auth(AUDITOR)).status_code == 200
    audit = [c for c in hook_calls() if c[1] == runtime.table_name("audit-log")]
    assert {operation for operation, _, _ in audit} == {"PutItem", "Query"}
    assert {index for operation, _, index in audit if operation == "Query"} == {"", "by-target"}


def test_the_cli_inspection_queries_keys_too(operator_env, runtime, tmp_path, monkeypatch) -> None:
    """`choju audit-log inspect` builds its own runtime and clients: watch every client's calls instead."""
    import botocore.client

    seen: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def spy(self, operation, params):  # type: ignore[no-untyped-def]
        if params.get("TableName") == runtime.table_name("audit-log"):
            seen.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", spy)
    day = runtime.clock().date()
    assert main(["audit-log", "inspect", "--from", day.isoformat(), "--to", (day + timedelta(days=1)).isoformat(),
                 "--output", str(tmp_path / "r.md")]) == 0
    assert seen and set(seen) == {"Query"}


def test_a_window_holds_its_events_and_only_those(api, auth, runtime, clock) -> None:
    clock.advance(days=-3)
    runtime.audit.append(AuditEvent("S1002", "person.mynumber-read", "success", target="P0000000002",
                                    purpose="三日前"))
    clock.advance(days=3)
    runtime.audit.append(AuditEvent("S1002", "person.mynumber-read", "success", target="P0000000002",
                                    purpose="今日"))
    today = {"from": (clock() - timedelta(hours=1)).isoformat(), "to": (clock() + timedelta(hours=1)).isoformat()}
    report = api.get("/audit/inspection", params=today, headers=auth(AUDITOR)).json()
    assert [e["purpose"] for e in report["my_number_access"]] == ["今日"]
    earlier = {"since": (clock() - timedelta(days=4)).isoformat(), "until": (clock() - timedelta(days=2)).isoformat(),
               "action": "person.mynumber-read"}
    found = api.post("/audit/search", json=earlier, headers=auth(AUDITOR)).json()
    assert [r["purpose"] for r in found["records"]] == ["三日前"]


def test_a_persons_history_comes_from_the_target_index(api, auth, runtime) -> None:
    for person in ("P0000000001", "P0000000002", "P0000000001"):
        runtime.audit.append(AuditEvent("S1001", "person.read", "success", target=person))
    found = api.post("/audit/search", json={"target": "P0000000001"}, headers=auth(AUDITOR)).json()
    assert [r["target"] for r in found["records"]] == ["P0000000001", "P0000000001"]


def test_the_latest_records_are_newest_first_sealed_or_not(api, auth, runtime) -> None:
    for n in range(3):
        runtime.audit.append(AuditEvent(f"S{n}", "test.event", "success"))
    records = api.get("/audit/records", params={"limit": 3}, headers=auth(AUDITOR)).json()["records"]
    # the auditor's own sign-in is the newest; then the three events, newest first
    assert [r["staff_id"] for r in records] == [AUDITOR, "S2", "S1"]
    assert all(r["seq"] is None for r in records)


def test_one_record_by_seq_or_by_event_id(api, auth, runtime) -> None:
    from functions.platform.services.audit_chain import seal

    written = runtime.audit.append(AuditEvent("S1", "test.event", "success"))
    by_id = api.get(f"/audit/records/{written['event_id']}", headers=auth(AUDITOR))
    assert by_id.status_code == 200 and by_id.json()["seq"] is None
    seal(runtime, timedelta(0))
    by_seq = api.get("/audit/records/2", headers=auth(AUDITOR)).json()
    assert (by_seq["event_id"], by_seq["seq"]) == (written["event_id"], 2)
    assert api.get("/audit/records/not-an-id", headers=auth(AUDITOR)).status_code == 404


def test_reading_a_window_reads_none_of_the_history_before_it(api, auth, runtime, clock) -> None:
    """The negative twin of a log read from its first record: thirty events of three days ago are never read
    when an auditor inspects today, or searches it."""
    clock.advance(days=-3)
    for n in range(30):
        runtime.audit.append(AuditEvent(f"OLD{n}", "person.read", "success", target="P0000000001"))
    clock.advance(days=3)
    scanned: list[int] = []

    def count(parsed, model, **_):  # type: ignore[no-untyped-def]
        if model.name == "Query":
            scanned.append(int(parsed.get("ScannedCount", 0)))

    client = runtime.clients.client("dynamodb")
    client.meta.events.register("after-call.dynamodb.Query", count)
    try:
        today = {"from": (clock() - timedelta(hours=1)).isoformat(), "to": (clock() + timedelta(hours=1)).isoformat()}
        report = api.get("/audit/inspection", params=today, headers=auth(AUDITOR)).json()
        api.post("/audit/search", json={"staff_id": "OLD1", "since": today["from"], "until": today["to"]},
                 headers=auth(AUDITOR))
    finally:
        client.meta.events.unregister("after-call.dynamodb.Query", count)
    assert report["by_action"].get("person.read") is None
    # today holds the seed's event and the auditor's sign-in and reads: a handful, not thirty more
    assert sum(scanned) < 10
