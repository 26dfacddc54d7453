"""The chunk worker: what the SQS event source mapping invokes for a job's queue (design rule 8).

powertools' BatchProcessor runs each message and reports the failed ones (ReportBatchItemFailures), so one bad
chunk never makes SQS deliver its neighbours again. A failed chunk is retried a bounded number of times, each
after a backoff with full jitter (the message's visibility is set to the delay before the failure is reported);
on its last attempt the chunk is set aside in the dead-letter queue with the reason, and the job says so.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from shared.adapters.retry import backoff_delay
from shared.batch.lifecycle import ADVANCE, advance, get_job
from shared.batch.model import Chunk, Job, JobKind
from shared.observability import count, get_logger
from shared.runtime import Runtime, default_runtime
from shared.security.redaction import redact_my_numbers
from shared.storage import STORAGE

__all__ = ["RETRY_BASE_SECONDS", "RETRY_CAP_SECONDS", "chunk_worker", "describe"]

RETRY_BASE_SECONDS = 30.0
RETRY_CAP_SECONDS = 900.0
MAX_REASON = 500


def describe(error: BaseException) -> str:
    """A reason fit for the job's status and the dead-letter message: the error's kind and message, without
    any My Number, cut short."""
    return redact_my_numbers(f"{type(error).__name__}: {error}")[:MAX_REASON]


class ChunkNotOpen(RuntimeError):
    """A chunk arrived before its stage was opened; SQS delivers it again later."""


def _set_aside(rt: Runtime, kind: JobKind, job: Job, chunk: Chunk, reason: str) -> None:
    rt.queue(kind.queue).dead_letter({"job_id": job.job_id, "chunk": chunk.number, "kind": kind.name}, reason)
    if rt.jobs.set_aside_chunk(job.job_id, chunk.number, chunk.stage, reason, rt.clock()):
        count("BatchChunksDeadLettered")
        get_logger().error("chunk set aside in the dead-letter queue",
                           extra={"job_id": job.job_id, "chunk": chunk.number, "reason": reason})
    advance(rt, kind, job.job_id)


def run_chunk(rt: Runtime, kind: JobKind, record: SQSRecord, retry_base: float = RETRY_BASE_SECONDS) -> None:
    """One message: one chunk, run once more unless it is finished already."""
    body = json.loads(record.body)
    job_id, number = str(body["job_id"]), int(body["chunk"])
    if number == ADVANCE:
        advance(rt, kind, job_id)
        return
    job, item = get_job(rt, job_id), rt.jobs.chunk(job_id, number)
    if job is None or item is None:
        get_logger().warning("a chunk message for an unknown job or chunk", extra={"job_id": job_id, "chunk": number})
        return
    chunk = Chunk.from_item(item)
    if chunk.status in ("done", "dead"):  # a redelivery or a resume: make sure the job has moved on
        advance(rt, kind, job_id)
        return
    if job.stage < chunk.stage:
        raise ChunkNotOpen(f"chunk {number} belongs to stage {chunk.stage}; the job is at stage {job.stage}")
    attempt = int(record.attributes.approximate_receive_count)
    limit = STORAGE.queue(kind.queue).max_attempts
    if attempt > limit:
        _set_aside(rt, kind, job, chunk, f"no result after {limit} attempts: the worker stopped (time-out or crash)")
        return
    if not rt.jobs.start_chunk(job_id, number, attempt, rt.clock()):
        return
    started = time.perf_counter()
    try:
        counts = kind.apply(rt, job, chunk)
    except Exception as error:
        reason = describe(error)
        rt.jobs.note_failure(job_id, number, reason)
        get_logger().warning("chunk failed", extra={"job_id": job_id, "chunk": number, "attempt": attempt,
                                                    "reason": reason})
        if attempt >= limit:
            _set_aside(rt, kind, job, chunk, reason)
            return
        rt.queue(kind.queue).retry_after(record.receipt_handle,
                                         round(backoff_delay(attempt, retry_base, RETRY_CAP_SECONDS)))
        raise
    millis = round((time.perf_counter() - started) * 1000)
    if rt.jobs.complete_chunk(job_id, number, chunk.stage, counts, millis, rt.clock()):
        count("BatchChunksDone")
    advance(rt, kind, job_id)


def chunk_worker(kind: JobKind) -> Callable[..., dict[str, Any]]:
    """The Lambda handler of `kind`'s queue; local mode and tests call it with `runtime=` (and a retry base)."""

    def handler(event: dict[str, Any], context: Any, runtime: Runtime | None = None,
                retry_base: float = RETRY_BASE_SECONDS) -> dict[str, Any]:
        rt = runtime or default_runtime()

        def record_handler(record: SQSRecord) -> None:
            try:
                run_chunk(rt, kind, record, retry_base)
            except Exception:
                get_logger().exception("chunk message not processed", extra={"message_id": record.message_id})
                raise

        processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
        return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                        context=context)

    handler.__name__ = f"{kind.name.replace('-', '_')}_chunks"
    return handler
