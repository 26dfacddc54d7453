"""`choju deletion run RUN`, `choju deletion certificates` and `choju deletion certificates --print RUN` as an
operator runs them (in-process, against the local AWS; issue 16, PIA-III-7-e)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.cli.main import main
from shared.runtime import Runtime
from tests.api.test_deletion import HANAKO, NUMBER_ONLY, STEWARD, WHOLE, plant, propose_and_approve
from tests.audit_events import audit_events
from tests.conftest import env_for
from tests.notices.pdf import no_my_number, text


@pytest.fixture
def operator_env(runtime: Runtime, state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    return runtime


@pytest.fixture
def finished_run(operator_env: Runtime, api: TestClient, auth: Callable[[str], dict[str, str]],
                 capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    plant(operator_env)
    proposed = propose_and_approve(api, auth)
    assert main(["deletion", "run", proposed["run_id"]]) == 0
    assert '"status": "completed"' in capsys.readouterr().out
    return proposed


def test_certificates_lists_and_prints_a_runs_certificate(
        operator_env: Runtime, finished_run: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = finished_run["run_id"]
    assert main(["deletion", "certificates"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1 and listed[0].startswith(run_id) and "sha256" in listed[0]
    output = tmp_path / "certificate.pdf"
    assert main(["deletion", "certificates", "--print", run_id, "--output", str(output),
                 "--purpose", "監査への提出"]) == 0
    assert capsys.readouterr().out.strip() == f"{output} ({output.stat().st_size} bytes)"
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF")
    words = text(pdf)
    assert "廃棄証明書" in words and run_id in words and STEWARD in words and "NIST SP 800-88" in words
    assert no_my_number(pdf) and not any(n in words for n in (*HANAKO, WHOLE, NUMBER_ONLY))
    event = audit_events(operator_env, "notice.print")[-1]
    assert (event["staff_id"], event["target"], event["purpose"]) == ("operator-cli", run_id, "監査への提出")


def test_printing_defaults_to_the_run_id_as_file_name(
        operator_env: Runtime, finished_run: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["deletion", "certificates", "--print", finished_run["run_id"]]) == 0
    assert (tmp_path / f"{finished_run['run_id']}.pdf").read_bytes().startswith(b"%PDF")


def test_printing_a_run_without_a_certificate_is_refused_and_writes_nothing(
        operator_env: Runtime, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Negative twin: no certificate stored for the run (unknown or not finished): exit 2, a clear line, no file."""
    output = tmp_path / "none.pdf"
    assert main(["deletion", "certificates", "--print", "DR0000000000000000", "--output", str(output)]) == 2
    assert "has no certificate yet" in capsys.readouterr().err
    assert not output.exists()
    assert not audit_events(operator_env, "notice.print")
