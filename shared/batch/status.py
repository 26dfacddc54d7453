"""A job as operators see it (`choju jobs`, `GET /jobs/{id}`): state, chunks done of total, rows applied and
rejected, start and end, and why it failed. Job items hold no personal data, so neither does this."""

from __future__ import annotations

from typing import Any

from shared.batch.model import Chunk, Job

__all__ = ["chunk_view", "job_view"]


def job_view(job: Job) -> dict[str, Any]:
    counts = dict(job.counts)
    return {
        "job_id": job.job_id, "kind": job.kind, "state": job.state.value,
        "stage": job.stage, "stages": job.stages,
        "chunks": {"total": job.chunks_total, "done": job.chunks_done, "dead_lettered": job.chunks_dead},
        "rows": {"planned": job.rows, "applied": counts.pop("applied", 0), "rejected": counts.pop("rejected", 0)},
        "counts": counts, "started_at": job.started_at, "finished_at": job.finished_at,
        "started_by": job.started_by, "reason": job.reason, "summary": job.summary,
    }


def chunk_view(chunk: Chunk) -> dict[str, Any]:
    return {"number": chunk.number, "stage": chunk.stage, "status": chunk.status, "attempts": chunk.attempts,
            "millis": chunk.millis, "counts": chunk.counts, "started_at": chunk.started_at,
            "finished_at": chunk.finished_at, "reason": chunk.reason, "last_error": chunk.last_error}
