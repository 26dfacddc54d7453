"""A job's life: planned, its chunks sent stage by stage, closed once (design rule 8).

Every step is a conditional write in the batch-jobs table, so it is safe for any number of workers to call
`advance` after their chunk: exactly one of them opens the next stage or closes the job.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from shared.batch.model import Chunk, Job, JobKind, JobState, Plan
from shared.observability import get_logger
from shared.runtime import Runtime

__all__ = ["ADVANCE", "advance", "chunks_of", "get_job", "refuse", "resume", "start"]

# A planner or a closing step that stopped this long ago (a Lambda killed at its time-out) may be taken over.
LEASE = timedelta(minutes=15)
ADVANCE = 0  # the chunk number of a message that only asks the worker to move the job on (`resume`)


def get_job(rt: Runtime, job_id: str) -> Job | None:
    item = rt.jobs.get(job_id)
    return Job.from_item(item) if item else None


def chunks_of(rt: Runtime, job_id: str) -> list[Chunk]:
    return sorted((Chunk.from_item(c) for c in rt.jobs.chunks(job_id)), key=lambda c: c.number)


def _message(job_id: str, number: int) -> dict[str, Any]:
    return {"job_id": job_id, "chunk": number}


def _claim(rt: Runtime, plan: Plan, chunks_total: int) -> bool:
    return rt.jobs.claim({
        "job_id": plan.job_id, "kind": plan.kind, "queue": plan.queue, "stages": len(plan.stages),
        "chunks_total": chunks_total, "chunks_done": 0, "chunks_dead": 0, "rows": plan.rows,
        "params": _dumps(plan.params), "started_at": rt.clock().isoformat(), "started_by": plan.started_by,
        **{f"n_{name}": int(value) for name, value in plan.counts.items()}}, rt.clock(), LEASE)


def _dumps(values: Mapping[str, Any]) -> str:
    return json.dumps(dict(values), ensure_ascii=False, sort_keys=True)


def start(rt: Runtime, kind: JobKind, plan: Plan) -> Job:
    """Create the job and send its first stage; a job that exists already is returned as it is (a re-run of
    the trigger never starts the same job twice)."""
    chunks = plan.chunk_items()
    if not _claim(rt, plan, len(chunks)):
        existing = get_job(rt, plan.job_id)
        assert existing is not None
        return existing
    rt.jobs.put_chunks(plan.job_id, chunks, rt.clock())
    first = [c["number"] for c in chunks if c["stage"] == 1]
    rt.jobs.open(plan.job_id, len(first))
    rt.queue(plan.queue).send([_message(plan.job_id, n) for n in first])
    get_logger().info("batch job started", extra={"job_id": plan.job_id, "chunks": len(chunks),
                                                  "stages": len(plan.stages), "rows": plan.rows})
    if not first:
        return advance(rt, kind, plan.job_id)
    job = get_job(rt, plan.job_id)
    assert job is not None
    return job


def refuse(rt: Runtime, plan: Plan, summary: Mapping[str, Any]) -> Job:
    """Record a job refused while planning (nothing is sent); an existing job is returned as it is."""
    if _claim(rt, plan, 0):
        rt.jobs.close_unplanned(plan.job_id, JobState.REFUSED.value, summary, rt.clock())
    job = get_job(rt, plan.job_id)
    assert job is not None
    return job


def advance(rt: Runtime, kind: JobKind, job_id: str) -> Job:
    """After a chunk finished: open the next stage, or close the job when its last stage is through.
    A stage with a chunk set aside ends the job as failed; later stages wait for a redrive (`resume`)."""
    job = get_job(rt, job_id)
    assert job is not None, job_id
    if job.state not in (JobState.RUNNING, JobState.FINISHING) or (
            job.state is JobState.RUNNING and job.stage_finished < job.stage_chunks):
        return job
    if job.state is JobState.RUNNING and not job.chunks_dead and job.stage < job.stages:
        following = [c.number for c in chunks_of(rt, job_id) if c.stage == job.stage + 1]
        if rt.jobs.advance_stage(job_id, job.stage, len(following)):
            rt.queue(job.queue).send([_message(job_id, n) for n in following])
            if not following:
                return advance(rt, kind, job_id)
        return get_job(rt, job_id) or job
    if rt.jobs.begin_finish(job_id, job.stage, rt.clock(), LEASE):
        closing = get_job(rt, job_id)
        assert closing is not None
        succeeded = closing.chunks_dead == 0
        summary = kind.finish(rt, closing, succeeded)
        state = JobState.SUCCEEDED if succeeded else JobState.FAILED
        rt.jobs.end_finish(job_id, state.value, summary, rt.clock())
        get_logger().info("batch job finished", extra={"job_id": job_id, "state": state.value,
                                                       "chunks_dead": closing.chunks_dead})
    return get_job(rt, job_id) or job


def resume(rt: Runtime, job_id: str) -> list[int]:
    """Send again every chunk of the job's current stage that is not done: those left pending or running by a
    worker that died, and those set aside in the dead-letter queue (they get a fresh set of attempts).
    When none is left, a message asks a worker to move the job on. Returns the chunk numbers sent."""
    job = get_job(rt, job_id)
    if job is None or job.state in (JobState.PLANNING, JobState.REFUSED, JobState.SUCCEEDED):
        return []
    current = [c for c in chunks_of(rt, job_id) if c.stage == job.stage]
    for chunk in current:
        if chunk.status == "dead":
            rt.jobs.redrive_chunk(job_id, chunk.number, chunk.stage)
    numbers = [c.number for c in current if c.status != "done"]
    rt.queue(job.queue).send([_message(job_id, n) for n in numbers or [ADVANCE]])
    return numbers
