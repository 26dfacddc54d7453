"""Batch entry point of the deletion workflow (declared in functions/deletion/workflow.py): every approved run
is carried on from where it stopped, a bounded number of chunks per invocation, until its certificate is stored."""

from __future__ import annotations

from typing import Any

from functions.deletion.services.runs import continue_run
from shared.observability import get_logger, instrumented
from shared.runtime import Runtime, default_runtime

__all__ = ["continue_approved_runs"]

CHUNKS_PER_INVOCATION = 50  # about 5,000 targets: well inside the 15-minute limit; the next day carries on


@instrumented
def continue_approved_runs(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    rt = runtime or default_runtime()
    runs = [r for r in rt.table_eraser("deletion-runs").scan() if r.get("status") != "completed"]
    results = [continue_run(rt, r["run_id"], max_chunks=int(event.get("max_chunks", CHUNKS_PER_INVOCATION)))
               for r in runs]
    get_logger().info("deletion sweep", extra={"runs": [(r["run_id"], r["status"]) for r in results]})
    return {"runs": [{"run_id": r["run_id"], "status": r["status"]} for r in results]}
