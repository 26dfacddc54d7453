"""Authenticated person views under load (`python -m bench audit-load`): audit writes per request, and throughput
at 20 concurrent clients against 1 client, measured in the same run against the same `choju local` (issue 10).

`choju local` runs as a subprocess on free ports, as a newcomer would start it, with moto's request recorder on,
so every call the API makes to the embedded DynamoDB is counted exactly: audit writes (PutItem, UpdateItem,
BatchWriteItem, transactions that touch the audit table) and audit reads, per request. Each client has its own
token, so each signs in once (one extra event) and then views persons. Afterwards `choju audit-log verify` seals
what the load wrote and checks the chain. Targets: at most 1.05 audit writes per request, no failed request,
and 20 clients at least as fast in total as 1 (concurrency must not make it slower).
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
CHOJU = [sys.executable, "-m", "shared.cli.main"]
CLIENTS = 20
VIEWS_PER_CLIENT = 50
SINGLE_VIEWS = 200
PERSONS = [f"P000000000{n}" for n in range(1, 6)]
MAX_WRITES_PER_REQUEST = 1.05
MIN_SPEEDUP = 1.0
AUDIT_TABLE = "choju-local-audit-log"
AUDIT_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalStack:
    """`choju local` in a subprocess, with moto's recorder writing to a file of our own."""

    def __init__(self, work: Path) -> None:
        self.state = work / "state"
        self.state.mkdir()
        self.recording = work / "moto-recording.jsonl"
        self.api_port, self.aws_port = _free_port(), _free_port()
        self.base = f"http://127.0.0.1:{self.api_port}"
        self.aws = f"http://127.0.0.1:{self.aws_port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("CHOJU_", "AWS_", "MOTO_"))}
        self.env.update({"CHOJU_STATE_DIR": str(self.state), "MOTO_RECORDER_FILEPATH": str(self.recording)})
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([*CHOJU, "local", "--port", str(self.api_port), "--aws-port",
                                         str(self.aws_port)], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("choju local exited early")
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("choju local did not answer within 90 s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def token(self) -> str:
        from shared.local.identity import mint_token

        return mint_token(self.state, "S1001")  # a counter clerk: person:read

    def record(self, on: bool) -> None:
        httpx.post(f"{self.aws}/moto-api/recorder/{'start' if on else 'stop'}-recording", timeout=10)

    def reset_recording(self) -> None:
        httpx.post(f"{self.aws}/moto-api/recorder/reset-recording", timeout=10)

    def audit_calls(self) -> dict[str, int]:
        """Calls that named the audit table since the last reset, by operation."""
        counts: dict[str, int] = {}
        text = self.recording.read_text() if self.recording.exists() else ""
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                counts["unreadable"] = counts.get("unreadable", 0) + 1
                continue
            target = str(entry.get("headers", {}).get("X-Amz-Target", ""))
            if not target.startswith("DynamoDB_"):
                continue
            body = entry.get("body") or ""
            if entry.get("body_encoded"):
                body = base64.b64decode(body).decode("utf-8", "replace")
            if AUDIT_TABLE in body:
                operation = target.split(".", 1)[1]
                counts[operation] = counts.get(operation, 0) + 1
        return counts


def _views(base: str, token: str, count: int, latencies: list[float], failures: list[int], offset: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        for n in range(count):
            started = time.perf_counter()
            response = client.get(f"/intake/persons/{PERSONS[(offset + n) % len(PERSONS)]}")
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                failures.append(response.status_code)


def _phase(stack: LocalStack, clients: int, views: int) -> dict[str, Any]:
    tokens = [stack.token() for _ in range(clients)]
    latencies: list[float] = []
    failures: list[int] = []
    stack.reset_recording()
    stack.record(True)
    threads = [threading.Thread(target=_views, args=(stack.base, token, views, latencies, failures, n))
               for n, token in enumerate(tokens)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stack.record(False)
    calls = stack.audit_calls()
    requests = clients * views
    writes = sum(n for op, n in calls.items() if op in AUDIT_WRITES)
    reads = sum(n for op, n in calls.items() if op not in AUDIT_WRITES)
    ordered = sorted(latencies)
    return {"clients": clients, "requests": requests, "seconds": elapsed, "per_second": requests / elapsed,
            "failures": len(failures), "audit_writes": writes, "audit_reads": reads, "calls": calls,
            "writes_per_request": writes / requests, "p50": statistics.median(ordered),
            "p95": ordered[int(0.95 * (len(ordered) - 1))]}


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="choju-bench-audit-") as work:
        stack = LocalStack(Path(work))
        stack.start()
        try:
            _views(stack.base, stack.token(), 20, [], [], 0)  # warm the server up (imports, first connections)
            single = _phase(stack, 1, SINGLE_VIEWS)
            many = _phase(stack, CLIENTS, VIEWS_PER_CLIENT)
            verify = subprocess.run([*CHOJU, "audit-log", "verify"], cwd=ROOT, env=stack.env, capture_output=True,
                                    text=True, timeout=600)
        finally:
            stack.stop()
    return {"single": single, "many": many, "speedup": many["per_second"] / single["per_second"],
            "verify_status": verify.returncode, "verify": (verify.stdout.strip().splitlines() or [""])[0]}


def report(result: dict[str, Any]) -> bool:
    single, many = result["single"], result["many"]
    print("Authenticated person views against `choju local` (uvicorn + moto server, one process), one token per "
          "client; audit calls counted by moto's recorder.")
    print(f"{'clients':>8}{'requests':>10}{'views/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'failed':>8}"
          f"{'audit writes/req':>18}{'audit reads/req':>17}")
    for phase in (single, many):
        print(f"{phase['clients']:>8}{phase['requests']:>10}{phase['per_second']:>9.1f}{phase['p50'] * 1000:>8.0f}"
              f"{phase['p95'] * 1000:>8.0f}{phase['failures']:>8}{phase['writes_per_request']:>18.3f}"
              f"{phase['audit_reads'] / phase['requests']:>17.3f}")
    print(f"audit calls, {many['clients']} clients: {json.dumps(many['calls'], sort_keys=True)}")
    print(f"throughput {many['clients']} clients / 1 client: {result['speedup']:.2f} (target >= {MIN_SPEEDUP:.2f})")
    print(f"after the load, `choju audit-log verify`: {result['verify']}")
    checks = {
        f"audit writes per request <= {MAX_WRITES_PER_REQUEST}": all(
            p["writes_per_request"] <= MAX_WRITES_PER_REQUEST for p in (single, many)),
        "no audit reads on the request path": single["audit_reads"] == many["audit_reads"] == 0,
        "no failed request": single["failures"] == many["failures"] == 0,
        f"{many['clients']} clients at least as fast as 1": result["speedup"] >= MIN_SPEEDUP,
        "the chain verifies after the load": result["verify_status"] == 0,
    }
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'MISS'} {name}")
    return all(checks.values())
