"""Batch entry points of the deletion workflow (job, trigger and queue declared in functions/deletion/workflow.py).

The daily trigger starts the sweep job of every approved run not completed yet (a job that failed has its
unfinished chunks sent again); `deletion_sweep_chunks` is the queue's worker: it erases one chunk of a run's
targets, and the one that finishes the last chunk stores the run's 廃棄証明書. Given a runtime (local mode, tests),
the trigger also runs the chunks in this process, through the same worker, as the SQS event source mapping would.
"""

from __future__ import annotations

from typing import Any

from functions.deletion.services.runs import SWEEP, continue_run, start_sweep
from shared.batch.worker import chunk_worker
from shared.observability import get_logger, instrumented
from shared.runtime import Runtime, default_runtime

__all__ = ["deletion_sweep_chunks", "start_approved_runs"]

deletion_sweep_chunks = instrumented(chunk_worker(SWEEP))


@instrumented
def start_approved_runs(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    rt = runtime or default_runtime()
    runs = sorted(r["run_id"] for r in rt.table_eraser("deletion-runs").scan() if r.get("status") != "completed")
    results = []
    for run_id in runs:
        if runtime is not None:
            status = continue_run(rt, run_id)
            results.append({"run_id": run_id, "status": status["status"], **status.get("job", {})})
            continue
        job = start_sweep(rt, run_id)
        results.append({"run_id": run_id, **({"job_id": job.job_id, "state": job.state.value,
                                              "chunks": job.chunks_total} if job else {"status": "completed"})})
    get_logger().info("deletion sweep", extra={"runs": results})
    return {"runs": results}
