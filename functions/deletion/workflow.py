"""The deletion workflow, declared (data only): retention rules, erasure everywhere the data lives, 廃棄証明書
(PIA-III-7-e; issue 16).

Its role reaches every table that holds a person's data (to find and erase it), every version in the declared
buckets and their Osaka replicas (`buckets_erase`: never Object Lock's bypass), and puts certificates under Object
Lock without any right to delete them. It appends to the audit log like every function and never erases from it.
"""

from __future__ import annotations

from typing import Any

from shared.domain.person import InvalidChange
from shared.protection.entities import EntityKind
from shared.workflow import BatchJob, Chunks, CliCommand, Needs, Schedule, Workflow

__all__ = ["DELETION_RUN", "ERASED_TABLES", "SWEEP_TRIGGER_NEEDS", "SWEEP_WORKER_NEEDS", "WORKFLOW"]

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
    needs=Needs(
        tables_read=("batch-jobs",),  # a run's sweep job: chunks done of total
        tables_write=(*ERASED_TABLES, "deletion-runs", "deletion-ledger"),
        buckets_erase=("documents/ryoyohi/", "documents/disclosures/", "exchange/"),
        buckets_append=("audit/certificates/",),
        keys=("data", "mynumber"),  # the keyed digest of erased ids (the certificate holds no id in the clear)
        parameters=("mynumber-index-key",),
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
