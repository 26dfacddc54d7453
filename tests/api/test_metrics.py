"""Business counts a reviewer would chart, as CloudWatch embedded metrics written when a Lambda handler returns:
notifications taken, changes confirmed, resident-register rows imported (issue 9)."""

from __future__ import annotations

import importlib
import json

from shared.batch.local import run_here
from tests.api.test_intake_api import ADDRESS
from tests.api.test_lambda_handlers import CONTEXT, handler_env, rest_event  # noqa: F401 - handler_env is a fixture
from tests.resident_files import csv_bytes, row

CLERK, CHECKER = "S1001", "S1003"


def emitted(output: str) -> dict[str, int]:
    """Metric name -> value of every EMF document the handler printed (one JSON object per line)."""
    found: dict[str, int] = {}
    for line in output.splitlines():
        if '"_aws"' not in line:
            continue
        document = json.loads(line)
        assert document["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "choju"
        for metric in document["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            value = document[metric["Name"]]
            found[metric["Name"]] = found.get(metric["Name"], 0) + (sum(value) if isinstance(value, list) else value)
    return found


def _call(handler, method: str, path: str, token: str, body: dict | None = None, **headers: str) -> dict:
    event = rest_event(method, path, {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                      **headers}, json.dumps(body) if body is not None else None)
    return handler(event, CONTEXT)


def test_a_notification_and_its_confirmation_are_counted(handler_env, token_for, capsys) -> None:  # noqa: F811
    intake = importlib.import_module("functions.intake.handler").handler
    capsys.readouterr()
    taken = _call(intake, "POST", "/intake/notifications", token_for(CLERK), ADDRESS, **{"Idempotency-Key": "m-1"})
    assert taken["statusCode"] == 201, taken["body"]
    assert emitted(capsys.readouterr().out) == {"NotificationsTaken": 1}
    change = json.loads(taken["body"])["change_request_id"]
    confirmed = _call(intake, "POST", f"/intake/changes/{change}/confirm", token_for(CHECKER))
    assert confirmed["statusCode"] == 200, confirmed["body"]
    assert emitted(capsys.readouterr().out) == {"ChangesConfirmed": 1}


def test_a_refused_request_counts_nothing(handler_env, token_for, capsys) -> None:  # noqa: F811
    intake = importlib.import_module("functions.intake.handler").handler
    capsys.readouterr()
    refused = _call(intake, "POST", "/intake/notifications", token_for(CLERK), {**ADDRESS, "person_id": "P9999999999"},
                    **{"Idempotency-Key": "m-2"})
    assert refused["statusCode"] == 404
    assert emitted(capsys.readouterr().out) == {}


def test_imported_rows_are_counted(handler_env, capsys) -> None:  # noqa: F811
    from shared.runtime import default_runtime

    batch = importlib.import_module("functions.intake.batch")
    runtime = default_runtime()
    content = csv_bytes([row(1, "03", "0000000002", address="熊本市中央区水前寺1-1"),
                         row(2, "03", "0000000004", address="熊本市東区健軍5-5-5")], "cp932")
    runtime.objects("exchange").put("inbound/jyuki-renkei/changes-1.csv", content, "text/csv")
    capsys.readouterr()
    event = {"Records": [{"s3": {"object": {"key": "inbound/jyuki-renkei/changes-1.csv"}}}]}
    started = batch.on_inbound_file(event, CONTEXT)["files"][0]
    assert started["status"] == "running" and started["applied"] == 0  # the trigger plans; workers apply
    assert emitted(capsys.readouterr().out) == {}
    job = run_here(runtime, batch.resident_import_chunks, "resident-import-chunks", started["job_id"])
    assert job is not None and job.counts["applied"] == 2
    assert emitted(capsys.readouterr().out) == {"ResidentRowsImported": 2, "BatchChunksDone": 1}
