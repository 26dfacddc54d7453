"""Crash tests of the batch framework (issue 11, design rule 8): a job killed mid-chunk and resumed ends with
exactly the records of an uninterrupted run, wherever the process died — before a chunk's first write, between
its writes, after its writes but before its checkpoint, between two chunks.

Each run has a stack of its own in one moto account; the uninterrupted run is the reference."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from functions.intake.services import certificates, resident_import
from functions.intake.services.certificates import RENEWAL, plan_renewal, run_annual_renewal
from functions.intake.services.resident_import import import_resident_changes, import_resident_file, run_import_here
from shared.batch import JobState, chunks_of, get_job, resume, start
from shared.batch.local import run_job_here
from shared.domain.counterparties import registered
from shared.runtime import Runtime
from tests.batch.city import TODAY, Killed, disarm, resident_file, table_contents

COUNTERPARTY = "jyuki-renkei-utf8"


@pytest.fixture(scope="module", autouse=True)
def small_chunks() -> Iterator[None]:
    """Chunks of 40 rows and 60 persons, so that a small city makes many chunks and two stages."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resident_import, "ROWS_PER_CHUNK", 40)
        patch.setattr(certificates, "PERSONS_PER_CHUNK", 60)
        yield


@pytest.fixture(scope="module")
def reference(city: Callable[[str], Runtime]) -> dict[str, Any]:
    """The uninterrupted import and renewal: what every crashed run must end with."""
    rt = city("reference")
    report = import_resident_changes(rt, COUNTERPARTY, resident_file())
    assert report.status == "applied" and report.events > 0
    job = get_job(rt, report.job_id or "")
    assert job is not None and job.stages == 2 and job.chunks_total > 6  # the crash lands inside a real job
    return {"report": report, "persons": table_contents(rt, "persons", "person_id"),
            "queue": table_contents(rt, "transfer-queue", "queue_id")}


def _start_import(rt: Runtime) -> Any:
    content = resident_file()
    key = f"{registered(COUNTERPARTY, 'resident-changes').inbound_prefix}{hashlib.sha256(content).hexdigest()[:16]}.csv"
    rt.objects("exchange").put(key, content, "text/csv")
    report = import_resident_file(rt, COUNTERPARTY, key)
    assert report.status == "running"
    return report


# Where the process dies: the first BatchGetItem of a chunk (nothing written), the sixth BatchWriteItem (persons
# of one chunk written, not all), the first TransactWriteItems (a chunk's rows all written, its checkpoint not)
# and the fourth (between chunks, in the second stage's run-up).
KILLS = [("BatchGetItem", 1), ("BatchWriteItem", 6), ("TransactWriteItems", 1), ("TransactWriteItems", 4)]


@pytest.mark.parametrize(("operation", "nth"), KILLS, ids=[f"{o}-{n}" for o, n in KILLS])
def test_an_import_killed_mid_chunk_and_resumed_ends_as_an_uninterrupted_one(
        city, kill_at, reference: dict[str, Any], operation: str, nth: int) -> None:
    rt = city(f"import-{operation.lower()}-{nth}")
    started = _start_import(rt)
    kill_at(rt, operation, nth)
    with pytest.raises(Killed):
        run_import_here(rt, started)
    disarm(rt, operation)
    stopped = get_job(rt, started.job_id)
    assert stopped is not None and stopped.state is JobState.RUNNING and stopped.chunks_done < stopped.chunks_total
    # The operator runs the import again: the same file is the same job, resumed where it stopped.
    resumed = import_resident_changes(rt, COUNTERPARTY, resident_file())
    expected = reference["report"]
    assert (resumed.status, resumed.job_id, resumed.rows, resumed.applied, resumed.events) == \
        (expected.status, expected.job_id, expected.rows, expected.applied, expected.events)
    assert table_contents(rt, "persons", "person_id") == reference["persons"]
    assert table_contents(rt, "transfer-queue", "queue_id") == reference["queue"]


def test_the_comparison_sees_a_lost_record(city, reference: dict[str, Any]) -> None:
    """Negative twin: a run that lost one event for the 広域連合 does not compare equal."""
    rt = city("import-lossy")
    import_resident_changes(rt, COUNTERPARTY, resident_file())
    queue = table_contents(rt, "transfer-queue", "queue_id")
    lost = sorted(queue)[len(queue) // 2]
    rt.clients.client("dynamodb").delete_item(TableName=rt.table_name("transfer-queue"),
                                              Key={"queue_id": {"S": lost}})
    assert table_contents(rt, "transfer-queue", "queue_id") != reference["queue"]
    assert table_contents(rt, "persons", "person_id") == reference["persons"]


def test_a_renewal_killed_mid_chunk_and_resumed_issues_each_certificate_once(city, kill_at) -> None:
    uninterrupted = city("renewal-reference")
    summary = run_annual_renewal(uninterrupted, TODAY)
    assert summary["state"] == "succeeded" and summary["issued"] > 0
    rt = city("renewal-killed")
    job = start(rt, RENEWAL, plan_renewal(rt, TODAY))
    assert job.chunks_total > 2
    kill_at(rt, "BatchWriteItem", 3)
    with pytest.raises(Killed):
        run_job_here(rt, RENEWAL, job.job_id)
    disarm(rt, "BatchWriteItem")
    assert any(c.status == "running" for c in chunks_of(rt, job.job_id))
    sent = resume(rt, job.job_id)  # `choju jobs resume JOB`
    stopped = get_job(rt, job.job_id)
    assert sent and stopped is not None and stopped.chunks_done < stopped.chunks_total
    finished = run_job_here(rt, RENEWAL, job.job_id)
    assert finished.state is JobState.SUCCEEDED and finished.counts["insured"] == summary["insured"]
    assert table_contents(rt, "certificates", "certificate_id") == \
        table_contents(uninterrupted, "certificates", "certificate_id")
