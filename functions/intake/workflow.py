"""The intake workflow, declared (data only): 届出, eligibility, 資格確認書, 療養費 (PIA-I-1-a, b, f).

What its function may touch, its batch jobs and their triggers, the records its change routes may change,
the route that takes scanned documents, and its operator commands.
"""

from __future__ import annotations

from typing import Any

from functions.intake.rules.ryoyohi import validate_application
from shared.api.uploads import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES
from shared.domain.person import InvalidChange
from shared.protection.entities import PERSON, EntityKind
from shared.workflow import (
    BatchJob,
    BucketEvent,
    Chunks,
    CliCommand,
    Needs,
    NoticeSource,
    Schedule,
    UploadRule,
    Workflow,
)

__all__ = ["CARD_RUN_NEEDS", "CERTIFICATE", "KOUIKI_RESULTS_NEEDS", "KOUIKI_RESULTS_WORKER_NEEDS", "NEEDS", "RYOYOHI",
           "WITHHELD_PREFIX", "WORKFLOW"]


def _certificate_check(values: dict[str, Any]) -> None:
    if values.get("reason") not in ("new", "renewal", "reissue", "change"):
        raise InvalidChange("a certificate's reason is new, renewal, reissue or change")


CERTIFICATE = EntityKind(name="certificate", table="certificates", validate=_certificate_check, id_prefix="QC")
RYOYOHI = EntityKind(name="ryoyohi", table="ryoyohi-applications", validate=validate_application, id_prefix="RY")

# The 広域連合's 被保険者情報 (services/kouiki_import.py) carries 被保険者番号, dates and 負担割合, never a My Number:
# its jobs read and write person fields, discrepancies and change 資格確認書 — no My Number key, no index secret.
KOUIKI_FILES = "exchange/inbound/kouiki-rengo/"
# The trigger lists the files, validates each against the persons on record and starts its job.
KOUIKI_RESULTS_NEEDS = Needs(tables_read=("persons",), tables_write=("batch-jobs", "inbound-files"),
                             buckets_read=(KOUIKI_FILES,), buckets_list=(KOUIKI_FILES,), keys=("data",),
                             sign_in=False)
# The worker applies a chunk: persons (with their pending counter changes), discrepancies, change cards; the last
# chunk records the file.
KOUIKI_RESULTS_WORKER_NEEDS = Needs(tables_read=("change-requests",),
                                    tables_write=("persons", "eligibility-discrepancies", "certificates", "batch-jobs",
                                                  "inbound-files"),
                                    buckets_read=(KOUIKI_FILES,), keys=("data",), sign_in=False)

NEEDS = Needs(
    tables_read=("audit-log",),  # a person's access history for disclosure requests (PIA-IV-1)
    tables_write=("persons", "subject-requests", "transfer-queue", "notifications", "certificates",
                  "ryoyohi-applications", "inbound-files", "idempotency", "batch-jobs", "eligibility-discrepancies"),
    buckets_read=("exchange/inbound/",),
    buckets_write=("documents/ryoyohi/", "documents/disclosures/", "documents/notices/certificate/",
                   "exchange/reports/"),
    keys=("data", "mynumber"),
    parameters=("mynumber-index-key",),
)
# The 資格確認書 runs (the yearly renewal and the daily reaching-75; trigger and worker alike) use persons, their
# events for the 広域連合, the cards, the job and the printed cards (with the renewal's report of persons withheld),
# and nothing else of intake's (their recorded calls: tests/infra/test_roles_cover_calls.py). They never encrypt,
# decrypt or index a My Number: the renewal scans with a projection that leaves the sealed number out, reaching-75
# rewrites whole records and carries the ciphertext along unread. So their roles have neither the My Number key
# nor the blind index's secret, and serve no signed-in request.
# The renewal's report of the persons it withheld, per job, in the exchange bucket (services/certificates.py).
WITHHELD_PREFIX = "reports/certificate-renewal/"
CARD_RUN_NEEDS = Needs(tables_write=("persons", "transfer-queue", "certificates", "batch-jobs"),
                       buckets_write=("documents/notices/certificate/", f"exchange/{WITHHELD_PREFIX}"),
                       keys=("data",), sign_in=False)

WORKFLOW = Workflow(
    name="intake",
    summary="届出, eligibility, 資格確認書 and 療養費 at the counter; 住基異動 imports",
    needs=NEEDS,
    api_prefixes=("intake",),
    batches=(
        BatchJob("resident-changes-inbound", "functions.intake.batch:on_inbound_file",
                 BucketEvent("exchange", "inbound/"), "住基異動 files as they arrive",
                 chunks=Chunks("resident-import-chunks", "functions.intake.batch:resident_import_chunks",
                               concurrency=10)),
        # 被保険者情報 from the 広域連合, every 15 minutes (the exchange bucket's one S3 notification serves the job
        # above; its handler leaves these files to this one): validated whole, applied in chunks.
        BatchJob("kouiki-results-inbound", "functions.intake.batch:kouiki_results_files",
                 Schedule("rate(15 minutes)", "every 15 minutes"), "広域連合 被保険者情報 files as they arrive",
                 needs=KOUIKI_RESULTS_NEEDS,
                 concurrency=2,  # a daily file of a few thousand records: two chunks at a time at most
                 chunks=Chunks("kouiki-results-chunks", "functions.intake.batch:kouiki_results_chunks",
                               concurrency=2, needs=KOUIKI_RESULTS_WORKER_NEEDS)),
        # 05:00 JST daily: people reaching 75 next month (資格確認書 mailed the month before) and their events.
        BatchJob("reaching-75-daily", "functions.intake.batch:daily_reaching_75",
                 Schedule("cron(0 20 * * ? *)", "daily at 05:00 JST"), "people reaching 75 next month",
                 needs=CARD_RUN_NEEDS,
                 chunks=Chunks("reaching-75-chunks", "functions.intake.batch:reaching_75_chunks", concurrency=2)),
        # 7/10 05:00 JST (7/9 20:00 UTC): the 資格確認書 of the coming 8/1, mailed in July to arrive before it.
        BatchJob("certificate-renewal", "functions.intake.batch:annual_certificate_renewal",
                 Schedule("cron(0 20 9 7 ? *)", "every 7/10 at 05:00 JST"), "the yearly 資格確認書 renewal",
                 needs=CARD_RUN_NEEDS,
                 chunks=Chunks("certificate-renewal-chunks", "functions.intake.batch:certificate_renewal_chunks",
                               concurrency=10)),
    ),
    entity_kinds=(PERSON, CERTIFICATE, RYOYOHI),
    uploads=(UploadRule(r"/intake/ryoyohi/[^/]+/documents", DOCUMENT_TYPES, MAX_DOCUMENT_BYTES),),
    cli=(
        CliCommand("import-resident-changes", "validate and apply a 住基異動 file from a registered counterparty",
                   "functions.intake.cli:IMPORT_RESIDENT_CHANGES"),
        CliCommand("import-kouiki-results", "validate and apply a 広域連合 被保険者情報 file (fixed layout)",
                   "functions.intake.cli:IMPORT_KOUIKI_RESULTS"),
        CliCommand("import-public-assistance", "validate and apply a 生活保護 異動 file of the 保護課 (fixed layout)",
                   "functions.intake.cli:IMPORT_PUBLIC_ASSISTANCE"),
        CliCommand("kouiki-discrepancies", "the open 突合 discrepancies between the 広域連合 and the city",
                   "functions.intake.cli:KOUIKI_DISCREPANCIES"),
        CliCommand("reaching-75", "people reaching 75 in a period; --apply queues events",
                   "functions.intake.cli:REACHING_75"),
        CliCommand("demo-data", "local mode: a synthetic city of N insured persons and a 住基異動 file for them",
                   "functions.intake.cli:DEMO_DATA"),
    ),
    notices=(NoticeSource("certificate", "functions.intake.services.certificate_preview:preview"),),
)
