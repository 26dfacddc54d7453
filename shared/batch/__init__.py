"""The one batch mechanism (design rule 8): a job planned into chunks that each fit well inside Lambda's limits,
fanned out through an SQS queue, checkpointed per chunk, retried with backoff and jitter, set aside in the
dead-letter queue with its reason when it keeps failing, and safe to run again.

The SQS worker (`shared.batch.worker.chunk_worker`) is imported from its module by the batch entry points only:
it loads powertools' batch utilities (~60 ms), which the API functions that start or show jobs never need at
cold start.
"""

from shared.batch.lifecycle import advance, chunks_of, get_job, refuse, resume, start
from shared.batch.model import FINAL_STATES, Chunk, Job, JobKind, JobState, Plan

__all__ = ["FINAL_STATES", "Chunk", "Job", "JobKind", "JobState", "Plan", "advance", "chunks_of", "get_job", "refuse",
           "resume", "start"]
