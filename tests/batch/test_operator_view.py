"""What an operator sees of a job from the terminal: `choju jobs list|show|resume` and the progress bar of long
runs (docs/batch.md)."""

from __future__ import annotations

import argparse
import io
import json

from functions.intake.services.resident_import import import_resident_changes
from functions.jobs.cli import JOBS
from shared.batch import get_job
from shared.batch.progress import ProgressBar
from tests.resident_files import csv_bytes, row


def _jobs(runtime, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    JOBS.configure(parser)
    return JOBS.run(parser.parse_args(argv), lambda: runtime)


def test_choju_jobs_lists_and_shows_a_job(runtime, capsys) -> None:
    report = import_resident_changes(runtime, "jyuki-renkei-utf8",
                                     csv_bytes([row(1, "03", "0000000002", address="熊本市中央区水前寺1-1")]))
    assert _jobs(runtime, "list") == 0
    listed = capsys.readouterr().out
    assert report.job_id in listed and "succeeded" in listed and "chunks 1/1" in listed
    assert _jobs(runtime, "show", report.job_id or "", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["state"] == "succeeded" and shown["rows"]["applied"] == 1 and shown["dead_lettered"] == []
    assert _jobs(runtime, "resume", report.job_id or "") == 0  # a finished job: nothing to send
    assert "sent 0 chunks" in capsys.readouterr().out


def test_choju_jobs_says_when_there_is_no_such_job(runtime, capsys) -> None:
    assert _jobs(runtime, "show", "resident-import-nosuchjob") == 1
    assert "there is no job" in capsys.readouterr().err


def test_the_progress_bar_writes_a_line_per_tenth_off_a_terminal(runtime) -> None:
    report = import_resident_changes(runtime, "jyuki-renkei-utf8",
                                     csv_bytes([row(1, "03", "0000000002", address="熊本市中央区水前寺1-1")]))
    job = get_job(runtime, report.job_id or "")
    assert job is not None
    out = io.StringIO()
    bar = ProgressBar(out, width=10)
    bar(job)
    bar(job)  # the same tenth again: no new line
    bar.close()
    assert out.getvalue() == "[##########] 1/1 chunks  1 rows applied  (succeeded)\n"
