"""The 本算定's print run of 決定通知書 through the batch framework (issue 19; design rules 8 and 11): one file per
chunk in the documents bucket, each holding exactly its chunk's people, read back; a run resumed after a crash
prints nothing twice; every print audited; no My Number on paper.

The city: 熊本 太郎, 熊本 花子, 天草 ミツ (demo persons with 被保険者番号) and four more insured people made for the
test (P0000000101–104), seven results of record of 令和7年度, 決定日 2025-07-01 = 令和7年7月1日. Chunks of 3
persons in 宛名番号 order: ceil(7 / 3) = 3 files — [P…01, P…02, P…05], [P…101, P…102, P…103], [P…104].
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from functions.assessment.services import decision_run
from functions.assessment.services.decision_run import DECISION_NOTICES, plan_decision_notices, run_decision_notices
from functions.assessment.services.results_import import import_results
from shared.batch import JobState, get_job, start
from shared.batch.local import run_job_here
from tests.assessment.files import result_record, results_file
from tests.audit_events import audit_events
from tests.notices.pdf import no_my_number, text, text_lines

YEAR, SIZE = 2025, 3
NAMES = {"P0000000001": "熊本 太郎", "P0000000002": "熊本 花子", "P0000000005": "天草 ミツ",
         "P0000000101": "試験 一子", "P0000000102": "試験 二郎", "P0000000103": "試験 三恵", "P0000000104": "試験 四朗"}
INSURED = {"P0000000001": "10000001", "P0000000002": "10000002", "P0000000005": "10000005",
           "P0000000101": "10000101", "P0000000102": "10000102", "P0000000103": "10000103", "P0000000104": "10000104"}
ORDER = sorted(NAMES)
CHUNKS = [ORDER[i:i + SIZE] for i in range(0, len(ORDER), SIZE)]
PREFIX = f"notices/premium-decision/honsantei-{YEAR}/"
VALID_MY_NUMBER = "123456789018"  # check digit 8 (tests/notices/test_renderer.py)


class Killed(BaseException):
    """The process died (a Lambda time-out): nothing below the worker catches it."""


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch) -> None:
    monkeypatch.setattr(decision_run, "PERSONS_PER_CHUNK", SIZE)


@pytest.fixture
def levied(runtime, clock):
    """Seven insured persons with a 令和7年度 result of record and its 期割."""
    clock.now = datetime(2025, 7, 10, 0, 0, tzinfo=UTC)
    persons = runtime.records("persons")
    template = persons.get("P0000000005")
    for person_id in ORDER:
        if persons.get(person_id) is None:
            persons.put({k: v for k, v in template.items() if not k.startswith("mynumber")} | {
                "person_id": person_id, "name": NAMES[person_id], "insured_number": INSURED[person_id],
                "household_id": f"H{person_id[1:]}"})
    rows = [result_record(n, person_id[1:], insured=INSURED[person_id], annual=58_600, equal=29_000, income=29_646,
                          reduction="2", base=270_000) for n, person_id in enumerate(ORDER, start=1)]
    report = import_results(runtime, "kouiki-rengo", results_file(YEAR, rows))
    assert report.applied == len(ORDER), report
    return runtime


def _files(rt) -> list[str]:
    return [o.key for o in rt.objects("documents").list(PREFIX)]


def _versions(rt, key: str) -> int:
    s3 = rt.clients.client("s3")
    answer = s3.list_object_versions(Bucket=rt.bucket_name("documents"), Prefix=key)
    return len([v for v in answer.get("Versions", []) if v["Key"] == key])


def _names_in(pdf: bytes) -> list[str]:
    """The addressee of each notice, in page order (each page starts its letter with '<name>　様')."""
    return [line.removesuffix("　様") for line in text_lines(pdf) if line.endswith("　様")]


def test_a_run_writes_one_file_per_chunk_each_with_exactly_its_people(levied) -> None:
    result = run_decision_notices(levied, YEAR)
    assert result["state"] == "succeeded"
    assert (result["persons"], result["printed"], result["skipped"]) == (7, 7, 0)
    files = _files(levied)
    assert len(files) == math.ceil(7 / SIZE) == 3 and result["files"] == files
    for key, people in zip(files, CHUNKS, strict=True):
        pdf = levied.objects("documents").get(key)
        assert _names_in(pdf) == [NAMES[p] for p in people], key  # exactly its chunk's, in 宛名番号 order
        printed = text(pdf)
        assert "令和7年7月1日" in printed and "58,600円" in printed and "見本" not in printed
        assert no_my_number(pdf)  # 太郎's and 花子's records hold My Numbers
    # the first file is [太郎, 花子, ミツ]: not 試験 一子, who opens the second (the check can tell files apart)
    assert "試験 一子" not in _names_in(levied.objects("documents").get(files[0]))
    assert files[0].endswith("/0001-0000.pdf") and files[2].endswith("/0003-0000.pdf")


def test_the_run_is_audited_once_per_file_and_once_as_a_job(levied) -> None:
    run_decision_notices(levied, YEAR)
    prints = [e for e in audit_events(levied, "notice.print-run") if e["target"] == f"honsantei-{YEAR}"]
    assert sorted(e["detail"]["notices"] for e in prints) == ["1", "3", "3"]  # 3 + 3 + 1 = 7
    assert {(e["staff_id"], e["purpose"], e["detail"]["kind"]) for e in prints} == {
        ("system", "保険料額決定通知書兼納入通知書の送付（本算定）", "premium-decision")}
    job = audit_events(levied, "batch.decision-notices")
    assert len(job) == 1 and job[0]["detail"]["printed"] == "7" and job[0]["detail"]["files"] == "3"


def test_running_a_finished_run_again_prints_nothing_twice(levied) -> None:
    first = run_decision_notices(levied, YEAR)
    events = len(audit_events(levied, "notice.print-run"))
    again = run_decision_notices(levied, YEAR)  # the same results: the same job, already finished
    assert again["job_id"] == first["job_id"] and again["files"] == first["files"]
    assert len(audit_events(levied, "notice.print-run")) == events
    assert all(_versions(levied, key) == 1 for key in first["files"])


def test_the_version_count_sees_a_second_print(levied) -> None:
    """Negative twin of the check above: a file written twice has two versions."""
    first = run_decision_notices(levied, YEAR)
    key = first["files"][0]
    levied.objects("documents").put(key, levied.objects("documents").get(key), "application/pdf")
    assert _versions(levied, key) == 2


@pytest.fixture
def die_on() -> Iterator[Any]:
    armed: list[tuple[Any, str]] = []

    def arm(rt, nth: int) -> None:
        """The process dies as it sends its `nth` S3 PutObject from now: a chunk's file not yet written."""
        client, seen = rt.clients.client("s3"), [0]

        def die(**_: Any) -> None:
            seen[0] += 1
            if seen[0] == nth:
                raise Killed(f"killed at PutObject #{nth}")

        client.meta.events.register("before-call.s3.PutObject", die, unique_id="kill-put")
        armed.append((client, "kill-put"))

    yield arm
    for client, unique_id in armed:
        client.meta.events.unregister("before-call.s3.PutObject", unique_id=unique_id)


def _resumed_run_is_complete(rt, job_id: str) -> None:
    result = run_decision_notices(rt, YEAR)  # the operator runs it again: the same job, resumed
    assert (result["job_id"], result["state"], result["printed"]) == (job_id, "succeeded", 7)
    files = _files(rt)
    assert len(files) == 3
    everyone = [name for key in files for name in _names_in(rt.objects("documents").get(key))]
    assert sorted(everyone) == sorted(NAMES.values())  # each person's notice once, in one file only
    for key, people in zip(files, CHUNKS, strict=True):
        assert _names_in(rt.objects("documents").get(key)) == [NAMES[p] for p in people]
    assert len(audit_events(rt, "batch.decision-notices")) == 1


def test_a_run_killed_before_a_chunk_wrote_its_file_resumes_without_printing_twice(levied, die_on) -> None:
    job = start(levied, DECISION_NOTICES, plan_decision_notices(levied, YEAR))
    assert job.chunks_total == 3
    die_on(levied, 2)  # the first chunk's file is written, the second chunk dies before writing its own
    with pytest.raises(Killed):
        run_job_here(levied, DECISION_NOTICES, job.job_id)
    levied.clients.client("s3").meta.events.unregister("before-call.s3.PutObject", unique_id="kill-put")
    stopped = get_job(levied, job.job_id)
    assert stopped is not None and stopped.state is JobState.RUNNING and stopped.chunks_done == 1
    assert len(_files(levied)) == 1
    _resumed_run_is_complete(levied, job.job_id)
    assert all(_versions(levied, key) == 1 for key in _files(levied))  # no file drawn twice
    prints = [e for e in audit_events(levied, "notice.print-run") if e["target"] == f"honsantei-{YEAR}"]
    assert len(prints) == 3


def test_a_run_killed_after_a_file_but_before_its_checkpoint_rewrites_the_same_bytes(levied, monkeypatch) -> None:
    real, calls, written = decision_run.print_run, [0], {}

    def print_then_die(*args: Any, **kwargs: Any) -> list[str]:
        keys = real(*args, **kwargs)
        calls[0] += 1
        if calls[0] == 2:
            written.update({k: levied.objects("documents").get(k) for k in keys})
            raise Killed("killed after the file, before the checkpoint")
        return keys

    job = start(levied, DECISION_NOTICES, plan_decision_notices(levied, YEAR))
    monkeypatch.setattr(decision_run, "print_run", print_then_die)
    with pytest.raises(Killed):
        run_job_here(levied, DECISION_NOTICES, job.job_id)
    monkeypatch.setattr(decision_run, "print_run", real)
    _resumed_run_is_complete(levied, job.job_id)
    (key, before), = written.items()
    assert levied.objects("documents").get(key) == before  # the chunk run again drew the very same file
    assert _versions(levied, key) == 2 and all(_versions(levied, k) == 1 for k in _files(levied) if k != key)


def test_a_my_number_in_a_persons_record_stops_that_chunk_not_the_others(levied) -> None:
    persons = levied.records("persons")
    person = persons.get("P0000000102")
    persons.put({**person, "address": f"熊本市中央区 {VALID_MY_NUMBER}"})
    result = run_decision_notices(levied, YEAR)
    assert result["state"] == "failed"  # the second chunk was set aside, with its reason
    files = _files(levied)
    assert [k.rsplit("/", 1)[1] for k in files] == ["0001-0000.pdf", "0003-0000.pdf"]
    assert all(VALID_MY_NUMBER not in text(levied.objects("documents").get(k)) for k in files)
    job = get_job(levied, result["job_id"])
    assert job is not None and VALID_MY_NUMBER not in (job.reason or "")
    persons.put({**person, "address": "熊本市中央区 123456789010"})  # twin: a wrong check digit is no number
    assert run_decision_notices(levied, YEAR)["state"] == "failed"  # the failed job stays failed …
    from shared.batch import resume

    resume(levied, result["job_id"])  # … until the operator resumes it after the fix
    finished = run_job_here(levied, DECISION_NOTICES, result["job_id"])
    assert finished.state is JobState.SUCCEEDED and len(_files(levied)) == 3


def test_the_command_runs_the_job_and_lists_its_files(levied, state_dir, monkeypatch, capsys) -> None:
    from shared.cli.main import main
    from tests.conftest import env_for

    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    assert main(["decision-notices", "--fiscal-year", str(YEAR)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("7 notices for 7 persons, 0 without 期割")
    assert out.count("printed: s3://") == 3 and f"{PREFIX}0002-0000.pdf" in out
    assert main(["decision-notices", "--fiscal-year", "1999"]) == 2  # twin: not a 賦課年度, nothing run
    assert "1999 is not a 賦課年度" in capsys.readouterr().err
