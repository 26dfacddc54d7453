"""The transfer workflow, declared (data only): データ使用承認 (maker-checker), the scheduled transfers to the
広域連合 and 市民税課 (PIA-II-5-a, II-5-b) and the transfer ledger (PIA-III-5-a, III-2-h).

One batch function per job, each on its EventBridge schedule (rules/jobs.py gives the expression), and one chunk
worker per job fed by the job's own queue (shared/storage.py); the Pulumi program makes the rules, queues'
event source mappings and roles from these declarations. The trigger runs alone (reserved concurrency 1); a
job's periods still go in order because each is a stage of its batch job.
"""

from __future__ import annotations

from functions.transfer.rules.approvals import validate_approval
from functions.transfer.rules.jobs import JOBS
from shared.protection.entities import EntityKind
from shared.workflow import BatchJob, Chunks, CliCommand, Needs, Schedule, Workflow

__all__ = ["APPROVAL", "WORKFLOW"]

APPROVAL = EntityKind(name="data-use-approval", table="transfer-approvals", validate=validate_approval,
                      id_prefix="DUA", id_length=12)

WORKFLOW = Workflow(
    name="transfer",
    summary="データ使用承認, scheduled transfers to the 広域連合 and 市民税課, the transfer ledger",
    needs=Needs(
        tables_read=("persons", "transfer-approvals", "income-records"),
        # The ledger is append-only: this workflow's roles may only put new entries (infra/workloads.py).
        tables_write=("transfer-queue", "batch-jobs"), tables_append=("transfer-ledger",),
        buckets_read=("exchange/extracts/", "exchange/work/transfer/", "exchange/inbound/"),
        buckets_write=("exchange/outbound/", "exchange/work/transfer/"),
        keys=("data", "mynumber"), parameters=("mynumber-index-key",),
        # POST /transfer/runs starts a job by hand (send only; the job's worker does the rest).
        queues_send=tuple(f"{job.name}-chunks" for job in JOBS)),
    api_prefixes=("transfer",),
    batches=tuple(
        BatchJob(job.name, f"functions.transfer.batch:{job.name.replace('-', '_')}",
                 Schedule(job.schedule, job.schedule_note), f"{job.title} → {job.recipient}", concurrency=1,
                 # A chunk: one scan segment of the monthly 所得 file (300,000 people: about 37,500 rows).
                 chunks=Chunks(f"{job.name}-chunks", f"functions.transfer.batch:{job.name.replace('-', '_')}_chunks",
                               concurrency=2, timeout_seconds=900))
        for job in JOBS),
    entity_kinds=(APPROVAL,),
    cli=(CliCommand("transfer", "transfer jobs: run, list, ledger, import-ack",
                    "functions.transfer.cli:TRANSFER"),),
)
