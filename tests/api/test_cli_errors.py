"""Every `choju` command answers bad input with one line naming the problem and exit status 2, never a traceback
(issue 18 item 7). Each case runs the real command in a subprocess, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHOJU = [sys.executable, "-m", "shared.cli.main"]
OUTSIDE = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "AWS_ACCESS_KEY_ID": "",
           "AWS_SECRET_ACCESS_KEY": "", "HOME": "/nonexistent"}


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CHOJU, *args], cwd=cwd, env={**OUTSIDE, **env}, capture_output=True, text=True,
                          timeout=120)


CASES = {
    "unknown stack": (["controls", "--stack", "staging"], "no stack 'staging'"),
    "impossible date": (["reaching-75", "--from", "2026-13-01", "--to", "2026-12-31"], "--from"),
    "a word for a date": (["audit-log", "inspect", "--from", "yesterday", "--to", "2026-11-27"], "--from"),
    "reversed period": (["reaching-75", "--from", "2026-12-31", "--to", "2026-12-01"], "--to must follow --from"),
    "a directory for a file": (["import-resident-changes", ".", "--counterparty", "jyuki-renkei"], "directory"),
    "no such file": (["import-resident-changes", "missing.csv", "--counterparty", "jyuki-renkei"], "no such file"),
    "unknown command": (["deploy"], "invalid choice"),
    "a port that is a word": (["local", "--port", "eighty"], "not a port number"),
    "dev-token outside the repository": (["dev-token", "--role", "checker"], "none found in"),
    "verify outside the repository": (["audit-log", "verify"], "no running `choju local`"),
}


@pytest.mark.parametrize(("args", "says"), CASES.values(), ids=CASES)
def test_bad_input_is_one_line_and_exit_two(tmp_path: Path, args: list[str], says: str) -> None:
    done = run(args, tmp_path)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and says in lines[0], done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_region_outside_japan_is_refused_in_one_line(tmp_path: Path) -> None:
    done = run(["audit-log", "verify"], tmp_path, CHOJU_MODE="aws", CHOJU_REGION="us-east-1",
               CHOJU_JWKS="x", CHOJU_TOKEN_ISSUER="i", CHOJU_TOKEN_AUDIENCE="a")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "CHOJU_REGION" in done.stderr


def test_missing_aws_credentials_are_named(tmp_path: Path) -> None:
    done = run(["audit-log", "verify"], tmp_path, CHOJU_MODE="aws", CHOJU_JWKS="x", CHOJU_TOKEN_ISSUER="i",
               CHOJU_TOKEN_AUDIENCE="a", AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
               AWS_EC2_METADATA_DISABLED="true")
    assert done.returncode == 2, done.stderr
    assert "no AWS credentials" in done.stderr and "Traceback" not in done.stderr


def test_a_fault_is_one_line_unless_debugging(tmp_path: Path, monkeypatch, capsys) -> None:
    """The twin: an unexpected error is exit 1 in one line, and CHOJU_DEBUG=1 shows the traceback."""
    from shared.cli import main as cli

    def broken(args):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(cli.COMMANDS, "controls", broken)
    assert cli.main(["controls", "--stack", "dev"]) == 1
    assert capsys.readouterr().err.strip().endswith("rerun with CHOJU_DEBUG=1 for details")
    monkeypatch.setenv("CHOJU_DEBUG", "1")
    with pytest.raises(RuntimeError, match="disk on fire"):
        cli.main(["controls", "--stack", "dev"])
