"""The one batch mechanism (design rule 8): a job planned into chunks that each fit well inside Lambda's limits,
fanned out through an SQS queue, checkpointed per chunk, retried with backoff and jitter, set aside in the
dead-letter queue with its reason when it keeps failing, and safe to run again."""

from shared.batch.lifecycle import advance, chunks_of, get_job, refuse, resume, start
from shared.batch.model import FINAL_STATES, Chunk, Job, JobKind, JobState, Plan
from shared.batch.worker import chunk_worker

__all__ = ["FINAL_STATES", "Chunk", "Job", "JobKind", "JobState", "Plan", "advance", "chunk_worker", "chunks_of",
           "get_job", "refuse", "resume", "start"]
