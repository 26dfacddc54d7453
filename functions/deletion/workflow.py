"""The deletion workflow, declared (data only): retention rules, erasure everywhere the data lives, 廃棄証明書
(PIA-III-7-e; issue 16).

Only the sweep's worker erases: it reaches every table that holds a person's data, every version in the declared
buckets and their Osaka replicas (`buckets_erase`: never Object Lock's bypass), and puts certificates under Object
Lock without any right to delete them. The API function plans (reads, lists versions), proposes and reports. Each
appends to the audit log like every function and never erases from it.
"""

from __future__ import annotations

from typing import Any

from shared.domain.person import InvalidChange
from shared.protection.entities import EntityKind
from shared.workflow import BatchJob, Chunks, CliCommand, Needs, Schedule, Workflow

__all__ = ["DELETION_RUN", "ERASED_TABLES", "PLANNED_OBJECTS", "PLANNED_REPLICA_OBJECTS", "PLANNED_TABLES",
           "SWEEP_TRIGGER_NEEDS", "SWEEP_WORKER_NEEDS", "WORKFLOW"]

RUN_FIELDS = frozenset({"as_of", "plan_digest", "targets", "counts", "proposed_by", "status"})


def _run_check(values: dict[str, Any]) -> None:
    if set(values) != RUN_FIELDS or values.get("status") != "approved":
        raise InvalidChange("a deletion run is proposed only from its plan (POST /deletion/runs)")


# A run is approved when a checker other than the data steward who proposed it confirms it (design rule 6).
DELETION_RUN = EntityKind(name="deletion-run", table="deletion-runs", validate=_run_check, id_prefix="DR",
                          given_id=True)

# Tables the run finds and erases a person's data in (functions/deletion/rules/locators.py, the declared ones).
ERASED_TABLES = ("persons", "change-requests", "notifications", "certificates", "ryoyohi-applications",
                 "subject-requests", "transfer-queue", "eligibility-discrepancies", "idempotency", "legal-holds",
                 "sessions",
                 # assessment (issue 13) and collection (issue 14)
                 "income-records", "levies", "instalments", "overpayments", "pension-deductions",
                 "collection-elections", "payment-slips", "collection-ledger", "suspense-receipts", "bank-accounts",
                 "debit-registrations", "collection-decisions", "pension-notices")

# What a plan reads (functions/deletion/services/plan.py): the tables the retention rules name, and the versions of
# the objects they erase by age, in the bucket and in its Osaka replica (each copy is erased on its own).
PLANNED_TABLES = ("persons", "levies", "instalments", "payment-slips", "collection-ledger", "overpayments",
                  "collection-decisions", "suspense-receipts", "ryoyohi-applications", "idempotency", "sessions",
                  "legal-holds")
PLANNED_OBJECTS = ("exchange/", "documents/notices/")
PLANNED_REPLICA_OBJECTS = ("documents/notices/",)  # the exchange bucket has no replica

# The worker of the sweep (a chunk of an approved run's targets): erase them in every table, every version in Tokyo
# and Osaka, write the ledger, and on the last chunk store the certificate. It serves no request (no sign-in).
SWEEP_WORKER_NEEDS = Needs(
    tables_write=(*ERASED_TABLES, "deletion-runs", "deletion-ledger", "batch-jobs"),
    buckets_erase=("documents/ryoyohi/", "documents/disclosures/", "documents/notices/", "exchange/"),
    buckets_append=("audit/certificates/",),
    keys=("data", "mynumber"),  # the keyed digest of erased ids unwraps the index secret (never decrypts a number)
    parameters=("mynumber-index-key",),
    sign_in=False,
)
# Its trigger only plans: it reads the approved runs and their chunk numbers and starts a job; it erases nothing.
SWEEP_TRIGGER_NEEDS = Needs(tables_read=("deletion-runs", "deletion-ledger"), tables_write=("batch-jobs",),
                            keys=("data",), sign_in=False)

WORKFLOW = Workflow(
    name="deletion",
    summary="retention rules, erasure everywhere the data lives, 廃棄証明書 (PIA-III-7-e)",
    # The API plans, proposes and reports; it erases nothing (the sweep worker does): it reads the stores the
    # retention rules plan from, lists the versions of the objects they erase (keys and dates, both copies), writes
    # the run's ledger chunks and legal holds (runs and change requests come from its change routes), and reads
    # the certificates back. No My Number key: no route decrypts a number or takes a keyed digest.
    needs=Needs(
        tables_read=(*PLANNED_TABLES, "batch-jobs"),  # batch-jobs: a run's sweep job, chunks done of total
        tables_write=("deletion-ledger", "legal-holds"),
        buckets_read=("audit/certificates/",),
        buckets_versions=(*PLANNED_OBJECTS, "audit/certificates/"),
        replicas_versions=PLANNED_REPLICA_OBJECTS,
        keys=("data",),
    ),
    api_prefixes=("deletion",),
    batches=(
        # 03:00 JST daily: start the sweep job of every approved run not completed yet (or send again the chunks of
        # one that failed); the worker erases chunk by chunk, and the last chunk stores the certificate.
        BatchJob("deletion-sweep", "functions.deletion.batch:start_approved_runs",
                 Schedule("cron(0 18 * * ? *)", "daily at 03:00 JST"), "carry approved deletion runs on",
                 needs=SWEEP_TRIGGER_NEEDS, concurrency=1,
                 chunks=Chunks("deletion-sweep-chunks", "functions.deletion.batch:deletion_sweep_chunks",
                               concurrency=2, timeout_seconds=900, needs=SWEEP_WORKER_NEEDS)),
    ),
    entity_kinds=(DELETION_RUN,),
    cli=(CliCommand("deletion", "deletion plan --as-of DATE | run RUN_ID | certificates [--print RUN_ID --output F]",
                    "functions.deletion.cli:DELETION"),),
)
