"""`choju local` as a newcomer runs it: a subprocess with moto and uvicorn, called over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e
CHOJU = [sys.executable, "-m", "shared.cli.main"]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("local-state")
    api_port, aws_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHOJU_") and not k.startswith("AWS_")}
    env["CHOJU_STATE_DIR"] = str(state_dir)
    process = subprocess.Popen([*CHOJU, "local", "--port", str(api_port), "--aws-port", str(aws_port)], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{api_port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"choju local exited early:\n{process.stdout.read()}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("choju local did not answer within 60 s")
    yield base, env
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("choju local did not stop on Ctrl-C")
    assert process.returncode == 0, output
    assert "choju local: stopped." in output
    assert not (state_dir / "state.json").exists()


def _token(env: dict[str, str], role: str) -> str:
    done = subprocess.run([*CHOJU, "dev-token", "--role", role], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def test_health_and_openapi(local_server) -> None:
    base, _ = local_server
    assert httpx.get(f"{base}/health").json()["status"] == "ok"
    paths = httpx.get(f"{base}/openapi.json").json()["paths"]
    assert {"/intake/health", "/deletion/health", "/auth/me"} <= set(paths)


def test_200_with_a_dev_token_401_without_403_with_the_wrong_role(local_server) -> None:
    base, env = local_server
    clerk = {"Authorization": f"Bearer {_token(env, 'counter-clerk')}"}
    me = httpx.get(f"{base}/auth/me", headers=clerk)
    assert me.status_code == 200 and me.json()["staff_id"] == "S1001"
    assert httpx.get(f"{base}/auth/me").status_code == 401
    assert httpx.get(f"{base}/audit/records", headers=clerk).status_code == 403
    auditor = {"Authorization": f"Bearer {_token(env, 'auditor')}"}
    records = httpx.get(f"{base}/audit/records", headers=auditor).json()["records"]
    assert any(r["action"] == "auth.sign-in" and r["staff_id"] == "S1001" for r in records)


def test_audit_log_verify_against_the_running_system(local_server) -> None:
    _, env = local_server
    done = subprocess.run([*CHOJU, "audit-log", "verify"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK: ")
