"""`choju audit-log verify` and `choju dev-token`, run as an operator would (in-process, against moto)."""

from __future__ import annotations

import json

import pytest

from shared.adapters.dynamo import to_item
from shared.cli.main import main
from shared.local.state import write_state
from tests.conftest import env_for


@pytest.fixture
def operator_env(runtime, state_dir, monkeypatch):
    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    return runtime


def test_verify_seals_checks_and_stores_a_locked_digest(operator_env, capsys) -> None:
    """PIA-III-8: `verify --seal` links the written events (here the demo seed's one), finds the chain intact and
    anchors its head under COMPLIANCE Object Lock."""
    assert main(["audit-log", "verify", "--seal"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 1 records")
    s3 = operator_env.clients.client("s3")
    bucket = operator_env.bucket_name("audit")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="digests/")["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("digests/000000000001-")
    assert s3.head_object(Bucket=bucket, Key=keys[0])["ObjectLockMode"] == "COMPLIANCE"


def test_verify_exits_non_zero_and_names_the_broken_record(operator_env, capsys) -> None:
    assert main(["audit-log", "seal"]) == 0
    record = next(operator_env.audit.chain())
    operator_env.clients.client("dynamodb").update_item(
        TableName=operator_env.table_name("audit-log"),
        Key=to_item({"day_shard": record["day_shard"], "event_id": record["event_id"]}),
        UpdateExpression="SET staff_id = :x", ExpressionAttributeValues=to_item({":x": "intruder"}))
    assert main(["audit-log", "verify"]) == 1
    out = capsys.readouterr().out
    assert "BROKEN" in out and "[edited] record 1 " in out


def test_verify_with_a_region_outside_japan_stops_with_a_clear_message(operator_env, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CHOJU_REGION", "us-east-1")
    assert main(["audit-log", "verify"]) == 2
    assert "CHOJU_REGION" in capsys.readouterr().err


def test_dev_token_refuses_outside_local_mode(state_dir, monkeypatch, capsys) -> None:
    monkeypatch.delenv("CHOJU_MODE", raising=False)
    assert main(["--state-dir", str(state_dir), "dev-token", "--role", "checker"]) == 2  # not running
    write_state(state_dir, {}, "http://127.0.0.1:1")
    monkeypatch.setenv("CHOJU_MODE", "aws")
    assert main(["--state-dir", str(state_dir), "dev-token", "--role", "checker"]) == 2
    assert "local mode" in capsys.readouterr().err


def test_dev_token_prints_a_token_for_the_role(state_dir, monkeypatch, capsys) -> None:
    import jwt

    monkeypatch.delenv("CHOJU_MODE", raising=False)
    write_state(state_dir, {}, "http://127.0.0.1:1")
    assert main(["--state-dir", str(state_dir), "dev-token", "--role", "auditor"]) == 0
    token = capsys.readouterr().out.strip()
    assert jwt.decode(token, options={"verify_signature": False})["sub"] == "S1007"
    assert main(["--state-dir", str(state_dir), "dev-token", "--role", "root"]) == 2


def test_the_self_inspection_lists_my_number_access_with_purposes(operator_env, api, auth, tmp_path) -> None:
    """PIA-III-2-c, PIA-III-8: the periodic inspection shows who read which My Number and why, and refusals."""
    from datetime import timedelta

    api.get("/intake/persons/P0000000001", params={"purpose": "資格確認"}, headers=auth("S1002"))
    api.get("/audit/records", headers=auth("S1001"))  # refused: a clerk may not read the audit log
    day = operator_env.clock().date()
    out = tmp_path / "inspection.json"
    assert main(["audit-log", "inspect", "--from", (day - timedelta(days=1)).isoformat(),
                 "--to", (day + timedelta(days=2)).isoformat(), "--format", "json", "--output", str(out)]) == 0
    report = json.loads(out.read_text())
    reads = [e for e in report["my_number_access"] if e["action"] == "person.mynumber-read"]
    assert [(e["staff_id"], e["target"], e["purpose"]) for e in reads] == [("S1002", "P0000000001", "資格確認")]
    assert report["refusals_by_staff"] == {"S1001": 1}
    assert report["my_number_access_without_purpose"] == []


def test_the_inspection_route_is_for_auditors(api, auth, clock) -> None:
    """PIA-III-8: the same report over the API, for the auditor role only."""
    from datetime import timedelta

    period = {"from": (clock() - timedelta(days=1)).isoformat(), "to": (clock() + timedelta(days=1)).isoformat()}
    assert api.get("/audit/inspection", params=period, headers=auth("S1001")).status_code == 403
    r = api.get("/audit/inspection", params=period, headers=auth("S1007"))
    assert r.status_code == 200 and r.json()["records"] > 0
    bad = api.get("/audit/inspection", params={"from": period["to"], "to": period["from"]}, headers=auth("S1007"))
    assert bad.status_code == 422 and bad.json()["code"] == "invalid-period"


def test_an_inspection_period_is_bounded_so_the_log_is_never_read_from_its_start(api, auth) -> None:
    """Issue 10: a period reads a key range per day; one of eighty years is refused, not scanned."""
    r = api.get("/audit/inspection", params={"from": "2020-01-01T00:00+09:00", "to": "2100-01-01T00:00+09:00"},
                headers=auth("S1007"))
    assert r.status_code == 422 and r.json()["code"] == "period-too-long"
