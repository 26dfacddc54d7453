"""Batches at the seed's scale (`python -m bench batch-scale`): a 住基異動 import and the yearly renewal over
a synthetic population on the local stack (moto in server mode, reached over HTTP like `choju local`).

Each phase runs in a process of its own, as a Lambda worker would, so its peak RSS is its own; the chunks run
one after another in that process through the same worker handler the SQS event source mapping invokes.
Today's per-row paths (bench/legacy_paths.py) run in the same run on a smaller sample, on a stack of that
sample's size (moto copies every table a transaction touches, so running them against the full-size tables
would make them look slower than they are). Sizes: CHOJU_BENCH_PERSONS (default 300,000) and
CHOJU_BENCH_SAMPLE (default 2,000). Figures, machine and date go to .choju/bench/batch-scale.json.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")

PERSONS = int(os.environ.get("CHOJU_BENCH_PERSONS", "300000"))
SAMPLE = int(os.environ.get("CHOJU_BENCH_SAMPLE", "2000"))
# Chunk workers running at once, as the event source mapping runs up to `Chunks.concurrency` (5) in AWS; here at
# most one per core, since the local AWS needs a core of its own too.
WORKERS = int(os.environ.get("CHOJU_BENCH_WORKERS", str(min(2, os.cpu_count() or 1))))
TODAY = date(2027, 8, 1)  # the renewal's day; the population's ages and the file's dates are relative to it
REQUESTS_PER_ROW = 0.1
RSS_MB = 512
SPEEDUP = 10
OUTPUT = Path(".choju/bench/batch-scale.json")


# --- the local stack -----------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[tuple[str, int]]:
    """The local stack's AWS (moto in server mode, with local mode's speedups) in a process of its own; yields
    its endpoint and pid."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "shared.local.aws_server", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.kill()
        process.wait(timeout=30)


def _peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident set size (VmHWM) of a process; of this one when no pid is given."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _runtime(endpoint: str, state: str, prefix: str) -> Any:
    from shared.config import load_settings
    from shared.local.identity import LOCAL_AUDIENCE, LOCAL_ISSUER, ensure_keys
    from shared.runtime import Runtime

    ensure_keys(Path(state))
    return Runtime(load_settings({
        "CHOJU_MODE": "local", "CHOJU_ENDPOINT_URL": endpoint, "CHOJU_NAME_PREFIX": prefix,
        "CHOJU_JWKS": str(Path(state) / "jwks.json"), "CHOJU_TOKEN_ISSUER": LOCAL_ISSUER,
        "CHOJU_TOKEN_AUDIENCE": LOCAL_AUDIENCE}))


@contextmanager
def _measured(rt: Any, rows: int) -> Iterator[dict[str, Any]]:
    """Seconds, DynamoDB calls by operation and KMS calls of the block, per row too (the block may correct
    `rows` when it learns how many there were)."""
    from shared.adapters.kms_calls import counting_calls

    result: dict[str, Any] = {"rows": rows}
    with counting_calls(rt.clients, "dynamodb") as dynamodb, counting_calls(rt.clients, "kms") as kms:
        started = time.perf_counter()
        yield result
        seconds = time.perf_counter() - started
    for worker in result.pop("workers", []):  # the calls the block's worker processes made
        dynamodb.update(worker["dynamodb"])
        kms.update(worker["kms"])
    total, rows = sum(dynamodb.values()), result["rows"]
    result.update(seconds=round(seconds, 1), rows_per_s=round(rows / seconds, 1) if seconds else None,
                  dynamodb=dict(sorted(dynamodb.items())), dynamodb_requests=total,
                  dynamodb_per_row=round(total / max(rows, 1), 4),
                  dynamodb_per_row_by_operation={k: round(v / max(rows, 1), 4) for k, v in sorted(dynamodb.items())},
                  kms_calls=sum(kms.values()))


def _progress(label: str) -> Callable[[Any], None]:
    from shared.batch.progress import ProgressBar

    bar, shown = ProgressBar(sys.stderr), [0]

    def show(job: Any) -> None:
        # every tenth chunk: with several workers this one may see 19 then 21 done, so not `% 10 == 0`
        if job.chunks_done >= shown[0] + 10 or job.finished:
            shown[0] = job.chunks_done - job.chunks_done % 10
            bar(job)

    return show


def _worker(endpoint: str, state: str, prefix: str, kind_path: str, job_id: str, show: bool) -> dict[str, Any]:
    """One chunk worker (a process of its own, like one concurrent Lambda invocation): runs the job's chunks from
    its queue until the job is finished; returns the calls it made and its peak RSS."""
    from collections import Counter
    from importlib import import_module

    from shared.adapters.kms_calls import counting_calls
    from shared.batch.local import run_job_here

    module, _, name = kind_path.partition(":")
    rt, kind = _runtime(endpoint, state, prefix), getattr(import_module(module), name)
    with counting_calls(rt.clients, "dynamodb") as dynamodb, counting_calls(rt.clients, "kms") as kms:
        run_job_here(rt, kind, job_id, _progress(kind.name) if show else None)
    return {"dynamodb": dict(Counter(dynamodb)), "kms": dict(Counter(kms)), "peak_rss_mb": round(_peak_rss_mb(), 1)}


def _run_workers(endpoint: str, state: str, prefix: str, kind_path: str, job_id: str) -> list[dict[str, Any]]:
    """The job's chunks in WORKERS processes at once; the first draws the progress bar."""
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(_worker, endpoint, state, prefix, kind_path, job_id, n == 0) for n in range(WORKERS)]
        return [f.result() for f in futures]


def _chunk_figures(rt: Any, job_id: str) -> dict[str, Any]:
    from shared.batch import chunks_of, get_job

    job, chunks = get_job(rt, job_id), chunks_of(rt, job_id)
    millis = [c.millis for c in chunks if c.millis is not None]
    return {"job_id": job_id, "state": job.state.value if job else None, "chunks": len(chunks),
            "longest_chunk_s": round(max(millis) / 1000, 2) if millis else None,
            "median_chunk_s": round(sorted(millis)[len(millis) // 2] / 1000, 2) if millis else None,
            "chunk_seconds_total": round(sum(millis) / 1000, 1),  # worker time: rows / this is one worker's rate
            "counts": job.counts if job else {}}


# --- phases (each in a process of its own) ---------------------------------------------------------------------

def phase_load(endpoint: str, state: str, prefix: str, persons: int) -> dict[str, Any]:
    from functions.intake.demo import load_population, population
    from shared.local.bootstrap import bootstrap_storage

    rt = _runtime(endpoint, state, prefix)
    bootstrap_storage(rt)
    with _measured(rt, persons) as result:
        load_population(rt, population(persons, TODAY), lambda n: print(f"  loaded {n} persons", file=sys.stderr))
    return {**result, "peak_rss_mb": round(_peak_rss_mb(), 1)}


def _write_file(state: str, persons: int, rows: int) -> Path:
    from functions.intake.demo import change_rows, write_file

    path = Path(state) / f"jyuki-{rows}.csv"
    write_file(path, change_rows(persons, rows, TODAY), "cp932")
    return path


def phase_import(endpoint: str, state: str, prefix: str, persons: int) -> dict[str, Any]:
    from functions.intake.services.resident_import import import_resident_file

    rt = _runtime(endpoint, state, prefix)
    path = _write_file(state, persons, persons)
    key = f"inbound/jyuki-renkei/bench-{persons}.csv"
    with path.open("rb") as source:
        rt.objects("exchange").put_file(key, source, "text/csv")
    with _measured(rt, persons) as result:
        planned = time.perf_counter()
        report = import_resident_file(rt, "jyuki-renkei", key, "bench")
        result["planning_s"] = round(time.perf_counter() - planned, 1)
        result["workers"] = workers = _run_workers(endpoint, state, prefix,
                                                   "functions.intake.services.resident_import:IMPORT",
                                                   report.job_id or "")
    return {**result, **_chunk_figures(rt, report.job_id or ""), "worker_processes": len(workers),
            "file_mb": round(path.stat().st_size / 2**20, 1), **_peak_of(workers)}


def phase_renewal(endpoint: str, state: str, prefix: str, persons: int) -> dict[str, Any]:
    from functions.intake.services.certificates import RENEWAL, plan_renewal
    from shared.batch import get_job, start

    rt = _runtime(endpoint, state, prefix)
    with _measured(rt, 0) as result:
        job_id = start(rt, RENEWAL, plan_renewal(rt, TODAY)).job_id
        result["workers"] = workers = _run_workers(endpoint, state, prefix,
                                                   "functions.intake.services.certificates:RENEWAL", job_id)
        job = get_job(rt, job_id)
        summary = job.summary if job else {}
        result["rows"] = summary.get("insured", 0)  # every insured person is read and considered
    return {**result, **_chunk_figures(rt, job_id), "worker_processes": len(workers), "insured": summary.get("insured"),
            "issued": summary.get("issued"), **_peak_of(workers)}


def _peak_of(workers: list[dict[str, Any]]) -> dict[str, float]:
    """The largest peak RSS of the phase's processes: its own (planning) and each worker's."""
    return {"peak_rss_mb": max([round(_peak_rss_mb(), 1), *(w["peak_rss_mb"] for w in workers)])}


def phase_legacy_import(endpoint: str, state: str, prefix: str, persons: int) -> dict[str, Any]:
    from bench.legacy_paths import import_per_row

    rt = _runtime(endpoint, state, prefix)
    content = _write_file(state, persons, persons).read_bytes()
    with _measured(rt, persons) as result:
        result.update(import_per_row(rt, content, "cp932", "legacy0000000000"))
    return {**result, "peak_rss_mb": round(_peak_rss_mb(), 1)}


def phase_legacy_renewal(endpoint: str, state: str, prefix: str, persons: int) -> dict[str, Any]:
    from bench.legacy_paths import renew_per_person

    rt = _runtime(endpoint, state, prefix)
    with _measured(rt, 0) as result:
        result.update(renew_per_person(rt, TODAY))
        result["rows"] = result["insured"]
    return {**result, "peak_rss_mb": round(_peak_rss_mb(), 1)}


def _in_child(phase: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    print(f"  {phase.__name__}{args[2:]} …", file=sys.stderr, flush=True)
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(phase, *args).result()


def _machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    import moto

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": memory, "python": platform.python_version(),
            "os": platform.platform(), "moto": moto.__version__}


def run(persons: int = PERSONS, sample: int = SAMPLE) -> dict[str, Any]:
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as state, moto_server() as (endpoint, moto_pid):
        results: dict[str, Any] = {"date": started.date().isoformat(), "machine": _machine(), "persons": persons,
                                   "sample": sample, "workers": WORKERS}
        results["load"] = _in_child(phase_load, endpoint, state, "choju-bench", persons)
        results["import"] = _in_child(phase_import, endpoint, state, "choju-bench", persons)
        results["renewal"] = _in_child(phase_renewal, endpoint, state, "choju-bench", persons)
        for prefix in ("choju-legacy", "choju-sample"):
            _in_child(phase_load, endpoint, state, prefix, sample)
        results["legacy_import"] = _in_child(phase_legacy_import, endpoint, state, "choju-legacy", sample)
        results["legacy_renewal"] = _in_child(phase_legacy_renewal, endpoint, state, "choju-legacy", sample)
        results["sample_import"] = _in_child(phase_import, endpoint, state, "choju-sample", sample)
        results["sample_renewal"] = _in_child(phase_renewal, endpoint, state, "choju-sample", sample)
        results["moto_peak_rss_mb"] = round(_peak_rss_mb(moto_pid), 1)
    results["minutes"] = round((datetime.now(UTC) - started).total_seconds() / 60, 1)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return results


def _ratio(new: dict[str, Any], old: dict[str, Any]) -> float:
    return round(new["rows_per_s"] / old["rows_per_s"], 1) if old.get("rows_per_s") else 0.0


def report(result: dict[str, Any]) -> bool:
    machine = result["machine"]
    print(f"{result['persons']:,} persons, sample {result['sample']:,}; {result['date']}; {machine['cpu']}, "
          f"{machine['cores']} cores, {machine['memory_mb']:,} MB; moto {machine['moto']} server mode; "
          f"{result['minutes']} min in all; framework chunks in {result.get('workers', 1)} worker processes at once, "
          "the per-row paths in one")
    print(f"population loaded: {result['load']['rows']:,} persons in {result['load']['seconds']} s")
    ok = True
    header = (f"{'phase':<26}{'rows':>9}{'s':>8}{'rows/s':>9}{'DDB req/row':>12}{'KMS':>6}{'RSS MB':>8}"
              f"{'chunks':>7}{'longest s':>10}")
    print(header)
    for name, label in (("import", "import (framework)"), ("renewal", "renewal (framework)"),
                        ("sample_import", "import, sample"), ("sample_renewal", "renewal, sample"),
                        ("legacy_import", "import, per row (old)"), ("legacy_renewal", "renewal, per row (old)")):
        r = result[name]
        print(f"{label:<26}{r['rows']:>9,}{r['seconds']:>8}{r['rows_per_s'] or 0:>9}{r['dynamodb_per_row']:>12}"
              f"{r['kms_calls']:>6}{r['peak_rss_mb']:>8}{r.get('chunks', '-'):>7}{r.get('longest_chunk_s', '-'):>10}")
    for name in ("import", "renewal"):
        r, old, same = result[name], result[f"legacy_{name}"], result[f"sample_{name}"]
        by_op = ", ".join(f"{k} {v}" for k, v in r["dynamodb_per_row_by_operation"].items())
        print(f"{name}: DynamoDB requests per row by operation: {by_op}")
        speedup, same_size = _ratio(r, old), _ratio(same, old)
        one = round(r["rows"] / r["chunk_seconds_total"], 1) if r.get("chunk_seconds_total") else None
        print(f"{name}: {speedup}x the per-row path's rows/s ({same_size}x at the sample's size); state {r['state']}; "
              f"one worker's rate {one} rows/s of chunk time ({r['chunk_seconds_total']} s in {r['chunks']} chunks)")
        ok &= (r["dynamodb_per_row"] <= REQUESTS_PER_ROW and r["peak_rss_mb"] <= RSS_MB and speedup >= SPEEDUP
               and r["state"] == "succeeded")
    print(f"moto server peak RSS: {result['moto_peak_rss_mb']:,} MB (the local AWS, not a Lambda process)")
    print(f"targets: <= {REQUESTS_PER_ROW} DynamoDB requests per row, <= {RSS_MB} MB per process, >= {SPEEDUP}x: "
          f"{'met' if ok else 'NOT met'}")
    return ok
