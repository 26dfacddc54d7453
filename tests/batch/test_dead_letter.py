"""A chunk that keeps failing is set aside in the dead-letter queue with its reason after a bounded number of
attempts, the job says so (`GET /jobs/{id}`, `choju jobs show`), and a resume after the fix completes it
(design rule 8). Its twin: a chunk that fails fewer times than allowed is retried and the job succeeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from functions.intake.services import resident_import
from functions.intake.services.resident_import import IMPORT, import_resident_changes
from shared.batch import JobState, chunks_of, get_job, resume
from shared.batch.local import run_job_here
from shared.runtime import Runtime
from shared.storage import STORAGE
from tests.resident_files import csv_bytes, row

OPERATOR = "S1008"
ATTEMPTS = STORAGE.queue("resident-import-chunks").max_attempts
MY_NUMBER = "123456789018"  # well-formed: the reason must not carry it


@pytest.fixture
def failing_chunk(monkeypatch: pytest.MonkeyPatch) -> Callable[[int, int], list[int]]:
    """failing_chunk(2, n): chunk 2 of every import fails its first n attempts; returns the attempts seen."""
    monkeypatch.setattr(resident_import, "ROWS_PER_CHUNK", 2)
    apply, attempts = IMPORT.apply, []

    def arm(number: int, failures: int) -> list[int]:
        def flaky(rt: Runtime, job: Any, chunk: Any) -> dict[str, int]:
            if chunk.number == number:
                attempts.append(chunk.number)
                if len(attempts) <= failures:
                    raise OSError(f"the file server went away while reading for {MY_NUMBER}")
            return apply(rt, job, chunk)

        monkeypatch.setattr(IMPORT, "apply", flaky)
        return attempts

    return arm


def _file() -> bytes:
    return csv_bytes([row(n, "03", f"000000000{n}", address=f"熊本市中央区水前寺{n}-1") for n in range(1, 7)])


def test_a_chunk_that_keeps_failing_is_dead_lettered_and_the_job_reports_it(runtime, api, auth,
                                                                            failing_chunk) -> None:
    attempts = failing_chunk(2, failures=99)
    report = import_resident_changes(runtime, "jyuki-renkei-utf8", _file())
    assert report.status == "failed" and len(attempts) == ATTEMPTS
    job = get_job(runtime, report.job_id or "")
    assert job is not None and job.state is JobState.FAILED and job.chunks_dead == 1
    assert job.counts["applied"] == 4  # the other chunks were applied; the dead one is waiting for a fix
    dead = [c for c in chunks_of(runtime, job.job_id) if c.status == "dead"]
    assert [(c.number, c.attempts) for c in dead] == [(2, ATTEMPTS)]
    assert "OSError: the file server went away" in (dead[0].reason or "") and MY_NUMBER not in (dead[0].reason or "")
    letters = runtime.queue("resident-import-chunks").dead_letters()
    assert [json.loads(m["Body"])["chunk"] for m in letters] == [2]
    assert "OSError" in letters[0]["MessageAttributes"]["reason"]["StringValue"]

    shown = api.get(f"/jobs/{job.job_id}", headers=auth(OPERATOR)).json()
    assert shown["state"] == "failed" and shown["chunks"] == {"total": 3, "done": 2, "dead_lettered": 1}
    assert shown["rows"]["applied"] == 4 and shown["reason"].startswith("chunk 2: OSError")
    assert [(c["number"], c["status"]) for c in shown["dead_lettered"]] == [(2, "dead")]
    assert MY_NUMBER not in json.dumps(shown)
    listed = api.get("/jobs", headers=auth(OPERATOR)).json()["jobs"]
    assert [j["job_id"] for j in listed] == [job.job_id]
    assert api.get(f"/jobs/{job.job_id}", headers=auth("S1001")).status_code == 403  # clerks do not run batches

    # After the fix, `choju jobs resume` gives the chunk a fresh set of attempts and the job completes.
    failing_chunk(2, failures=0)
    attempts.clear()
    assert resume(runtime, job.job_id) == [2]
    finished = run_job_here(runtime, IMPORT, job.job_id)
    assert finished.state is JobState.SUCCEEDED and finished.counts["applied"] == 6 and finished.chunks_dead == 0


def test_a_chunk_that_fails_fewer_times_than_allowed_is_retried_and_the_job_succeeds(runtime, failing_chunk) -> None:
    attempts = failing_chunk(2, failures=ATTEMPTS - 1)
    report = import_resident_changes(runtime, "jyuki-renkei-utf8", _file())
    assert report.status == "applied" and report.applied == 6 and len(attempts) == ATTEMPTS
    chunk = next(c for c in chunks_of(runtime, report.job_id or "") if c.number == 2)
    assert (chunk.status, chunk.attempts) == ("done", ATTEMPTS) and "OSError" in (chunk.last_error or "")
    assert runtime.queue("resident-import-chunks").dead_letters() == []


def test_an_unknown_job_is_a_problem_not_an_echo(api, auth) -> None:
    r = api.get("/jobs/resident-import-nosuchjob", headers=auth(OPERATOR))
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert "nosuchjob" not in r.text
