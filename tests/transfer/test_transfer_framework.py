"""The transfer jobs on the batch framework (issue 15 item 6; design rule 8): each run is a batch job whose
periods are stages (parts, then the file), on the job's own queue; a worker killed mid-way and resumed gives the
byte-identical file of an uninterrupted run, sent once."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient

from functions.transfer.rules.jobs import job as job_named
from functions.transfer.rules.periods import period_of
from functions.transfer.services.runs import KINDS, plan_runs, queue_of
from shared.adapters.transfer_ledger import TransferLedger
from shared.batch import JobState, chunks_of, get_job, resume, start
from shared.batch.local import run_here, run_job_here
from shared.batch.worker import chunk_worker
from tests.audit_events import audit_events
from tests.transfer.helpers import HANAKO, TARO, approve, queue, run, stored

INCOME_FIELDS = ["person_id", "my_number", "fiscal_year", "resident_tax", "taxable_base", "total_income"]


class Killed(BaseException):
    """The worker's process dies (time-out, out of memory): nothing is reported, nothing checkpointed."""


def _income(runtime, people: int = 40) -> None:
    for n in range(people):
        pid = f"P{n + 1:010d}" if n < 2 else f"PX{n:09d}"  # two demo persons and people unknown to the registry
        runtime.records("income-records").put({
            "income_id": f"{pid}-2025", "person_id": pid, "fiscal_year": 2025, "undeclared": False,
            "resident_tax": "taxable", "total_income": 1000 * n, "taxable_base": 10 * n, "version": 1})


def _plan(runtime, name: str, days: list[date]):
    job = job_named(name)
    assert job is not None
    periods = [(p, p.key, None) for p in (period_of(d, job.frequency) for d in days)]
    plan, refused = plan_runs(runtime, job, periods, date(2026, 4, 1), "scheduler", "test")
    assert refused is None and plan is not None
    return job, plan


def test_the_monthly_income_file_is_eight_scan_chunks_then_the_file(api: TestClient, auth, runtime) -> None:
    _income(runtime)
    approve(api, auth, jobs=["kouiki-income-monthly"], legal_basis="高齢者の医療の確保に関する法律第138条",
            fields=INCOME_FIELDS, frequency="monthly")
    job, plan = _plan(runtime, "kouiki-income-monthly", [date(2026, 3, 15)])
    assert plan.queue == queue_of(job) == "kouiki-income-monthly-chunks"
    assert [len(stage) for stage in plan.stages] == [8, 1]  # eight scan segments, then the assembling chunk
    finished = run_job_here(runtime, KINDS[job.name], start(runtime, KINDS[job.name], plan).job_id)
    assert finished.state is JobState.SUCCEEDED and finished.counts["sent"] == 1
    assert finished.summary["runs"][0]["result"] == "sent" and finished.summary["runs"][0]["rows"] == 2
    assert finished.counts["missing"] == 38  # people the registry does not hold are not sent
    # No personal data in the job's records: the plan names periods and segments, the summary counts.
    assert all(set(c.spec) <= {"part", "segment", "segments", "run", "assemble"} for c in chunks_of(
        runtime, finished.job_id))


@pytest.mark.parametrize("kill_at", ["part", "file"])
def test_killed_mid_way_and_resumed_the_file_is_identical_and_sent_once(api: TestClient, auth, runtime, monkeypatch,
                                                                       kill_at: str) -> None:
    for day in (29, 30):
        queue(runtime, TARO, "eligibility-acquired", datetime(2026, 3, day, 1), f"Q-{day}-1",
              change_date=f"2026-03-{day:02d}")
        queue(runtime, HANAKO, "insured-person-changed", datetime(2026, 3, day, 2), f"Q-{day}-2")
    approve(api, auth)
    job, plan = _plan(runtime, "kouiki-daily", [date(2026, 3, 29), date(2026, 3, 30)])
    assert [len(stage) for stage in plan.stages] == [1, 1, 1, 1]  # a catch-up: 29th's part, file; 30th's …
    kind = KINDS[job.name]
    started = start(runtime, kind, plan)

    # Kill the worker in the 30th's part, or after the 30th's file and audit event but before its ledger entry.
    from functions.transfer.services import runs

    calls = {"n": 0}
    if kill_at == "part":
        original_part = runs.apply_chunk

        def dying_part(rt, j, period, spec, work):
            if period.first == date(2026, 3, 30):
                original_part(rt, j, period, spec, work)
                raise Killed
            return original_part(rt, j, period, spec, work)
        monkeypatch.setattr(runs, "apply_chunk", dying_part)
    else:
        original_record = TransferLedger.record

        def dying_record(self, entry):
            if entry["entry_id"] == "SENT#kouiki-daily#2026-03-30":
                calls["n"] += 1
                raise Killed
            return original_record(self, entry)
        monkeypatch.setattr(TransferLedger, "record", dying_record)
    with pytest.raises(Killed):
        run_here(runtime, chunk_worker(kind), kind.queue, started.job_id, patience_seconds=5)
    monkeypatch.undo()
    stopped = get_job(runtime, started.job_id)
    assert stopped is not None and stopped.state is JobState.RUNNING
    assert runtime.repository(TransferLedger).get("SENT#kouiki-daily#2026-03-29") is not None  # done before

    assert resume(runtime, started.job_id)  # `choju jobs resume JOB`: the chunk left running is sent again
    resumed = run_job_here(runtime, kind, started.job_id)
    assert resumed.state is JobState.SUCCEEDED
    assert [r["result"] for r in resumed.summary["runs"]] == ["sent", "sent"]
    key = resumed.summary["runs"][1]["key"]
    body = stored(runtime, key)["Body"].read()

    # An uninterrupted run of the same day rebuilds the byte-identical file, and it is not sent again.
    again = run(api, auth, "kouiki-daily", "2026-03-30").json()
    assert again["result"] == "not-resent" and again["checksum"] == hashlib.sha256(body).hexdigest()
    versions = runtime.clients.client("s3").list_object_versions(Bucket=runtime.bucket_name("exchange"), Prefix=key)
    assert len([v for v in versions.get("Versions", []) if v["Key"] == key]) == 1  # written once, crash or not
    sent = [e for e in runtime.repository(TransferLedger).of_job("kouiki-daily") if e["result"] == "sent"]
    assert sorted(e["period"] for e in sent) == ["2026-03-29", "2026-03-30"]
    # A kill between the audit event and the ledger entry repeats the event (never loses it).
    events = [e for e in audit_events(runtime, "transfer.sent") if e["detail"]["period"] == "2026-03-30"]
    assert len(events) == (2 if kill_at == "file" else 1)


def test_a_file_another_run_wrote_with_other_content_is_refused_and_left_as_it_was(api: TestClient, auth,
                                                                                  runtime) -> None:
    """Two runs of one period overlap: the other wrote its file and has not yet recorded it in the ledger. This run
    builds other bytes (the queue changed meanwhile): it is refused and the file the recipient may already have
    picked up is not replaced. Twin: the same bytes there (this run's own, before a crash) go on to be sent."""
    from functions.transfer.services.runs import file_key

    queue(runtime, TARO, "eligibility-acquired", datetime(2026, 3, 30, 1), "Q-30-1", change_date="2026-03-30")
    approve(api, auth)
    job = job_named("kouiki-daily")
    assert job is not None
    key = file_key(job, "2026-03-30")
    store = runtime.objects("exchange")
    assert store.put_new(key, b"the other run's file", "application/octet-stream", {"sha256": "0" * 64})
    assert not store.put_new(key, b"a second writer", "application/octet-stream")  # the condition holds
    refused = run(api, auth, "kouiki-daily", "2026-03-30")
    assert refused.status_code == 409 and refused.json()["code"] == "transfer-already-sent-differs", refused.json()
    assert "other content" in refused.json()["detail"]
    assert store.get(key) == b"the other run's file"
    assert runtime.repository(TransferLedger).get("SENT#kouiki-daily#2026-03-30") is None


def test_twin_the_same_bytes_already_there_are_sent(api: TestClient, auth, runtime) -> None:
    queue(runtime, TARO, "eligibility-acquired", datetime(2026, 3, 30, 1), "Q-30-1", change_date="2026-03-30")
    approve(api, auth)
    first = run(api, auth, "kouiki-daily", "2026-03-30").json()
    assert first["result"] == "sent"
    body = stored(runtime, first["key"])["Body"].read()
    # As if the run had crashed after its file: the ledger entry gone, the file still there.
    ledger = runtime.clients.client("dynamodb")
    ledger.delete_item(TableName=runtime.table_name("transfer-ledger"),
                       Key={"entry_id": {"S": "SENT#kouiki-daily#2026-03-30"}})
    again = run(api, auth, "kouiki-daily", "2026-03-30").json()
    assert again["result"] == "sent" and again["checksum"] == hashlib.sha256(body).hexdigest()
