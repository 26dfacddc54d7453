"""What the SQS event source mapping does in AWS, done in this process: local mode, the CLI and the tests.

Messages are received from the job's real (moto) queue and handed to the same worker handler Lambda runs, in the
event shape Lambda gives it; the messages the handler does not report as failed are deleted, the others come
back after their backoff. Nothing here is deployed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from shared.batch.lifecycle import get_job
from shared.batch.model import Job, JobKind
from shared.runtime import Runtime

__all__ = ["lambda_records", "run_here", "run_job_here"]

Handler = Callable[..., dict[str, Any]]


def lambda_records(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """ReceiveMessage results as the `Records` of a Lambda SQS event."""
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}), "messageAttributes": m.get("MessageAttributes", {}),
        "md5OfBody": m.get("MD5OfBody", ""), "eventSource": "aws:sqs", "eventSourceARN": queue_arn,
        "awsRegion": region} for m in messages]}


def run_here(rt: Runtime, handler: Handler, queue: str, job_id: str, *, batch_size: int = 1,
             retry_base: float = 0.0, patience_seconds: float = 60.0,
             progress: Callable[[Job], None] | None = None) -> Job | None:
    """Run the chunks waiting in `queue` until job `job_id` is finished; returns the job as it then stands.

    Stops early (returning the unfinished job) when no message has arrived for `patience_seconds`: a chunk
    held by a worker that died stays invisible until its visibility timeout, and `choju jobs resume` sends it
    again sooner."""
    chunks = rt.queue(queue)
    arn, waited_since = chunks.arn(), time.monotonic()
    limit = max(1, min(batch_size, 10))
    while True:
        job = get_job(rt, job_id)
        if job is None or job.finished:
            return job
        messages = chunks.receive(limit, wait_seconds=1)
        if not messages:
            if time.monotonic() - waited_since > patience_seconds:
                return job
            continue
        waited_since = time.monotonic()
        response = handler(lambda_records(messages, arn, rt.settings.region), None, runtime=rt,
                           retry_base=retry_base)
        failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
        for message in messages:
            if message["MessageId"] not in failed:
                chunks.delete(message["ReceiptHandle"])
        if progress is not None:
            current = get_job(rt, job_id)
            if current is not None:
                progress(current)



def run_job_here(rt: Runtime, kind: JobKind, job_id: str, progress: Callable[[Job], None] | None = None) -> Job:
    """Run a started job of `kind` in this process through the same worker handler Lambda runs."""
    from shared.batch.worker import chunk_worker

    job = run_here(rt, chunk_worker(kind), kind.queue, job_id, progress=progress)
    assert job is not None, job_id
    return job
