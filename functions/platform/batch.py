"""Batch entry point of the platform: the audit sealer (declared in functions/platform/workflow.py).

EventBridge starts it every minute with reserved concurrency 1. It makes `passes` passes `interval` seconds
apart (4 × 15 s: an event waits about 15–20 s), stopping early when the invocation's time runs short, and
anchors one digest at the end if anything was sealed (PIA-III-2-c, III-8).
"""

from __future__ import annotations

import time
from typing import Any

from functions.platform.services.audit_chain import anchor, seal
from shared.observability import count, get_logger, instrumented
from shared.runtime import Runtime, default_runtime

__all__ = ["seal_audit_log"]

PASSES = 4
INTERVAL_SECONDS = 15.0
RESERVE_MS = 20_000  # leave this much of the invocation for the last pass and the digest


@instrumented
def seal_audit_log(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    rt = runtime or default_runtime()
    passes = int(event.get("passes", PASSES))
    interval = float(event.get("interval", INTERVAL_SECONDS))
    sealed, head = 0, rt.audit_sealer.head()
    for n in range(passes):
        if n:
            time.sleep(interval)
        run = seal(rt, anchor_digest=False)
        sealed, head = sealed + run.sealed, run.head
        remaining = context.get_remaining_time_in_millis() if context is not None else None
        if remaining is not None and remaining < RESERVE_MS + interval * 1000:
            break
    digest = anchor(rt, head, "sealer") if sealed else None
    count("AuditEventsSealed", sealed)
    get_logger().info("audit log sealed", extra={"sealed": sealed, "head_seq": head.seq, "digest": digest})
    return {"sealed": sealed, "head_seq": head.seq, "head_hash": head.hash, "digest": digest}
