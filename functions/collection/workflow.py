"""The collection workflow, declared (data only): 特別徴収, 口座振替, 収納 and 消込, 督促, 延滞金, 充当・還付, 時効
(issue 14; PIA-I-1-d, I-1-e).

What its function may touch, the kinds of decision its maker-checker routes take, its batch jobs and their
triggers, and its operator commands. It reads the 期 that the assessment workflow writes to the declared
`instalments` table and the 更正 decreases it writes to `overpayments`; it never imports that workflow.
"""

from __future__ import annotations

from functions.collection.rules.decisions import (
    validate_debit_registration,
    validate_refund_decision,
    validate_remission,
    validate_suspense_resolution,
    validate_write_off,
)
from shared.protection.entities import EntityKind
from shared.workflow import BatchJob, CliCommand, Needs, NoticeSource, Schedule, Workflow

__all__ = ["DEBIT_REGISTRATION", "LATE_FEE_REMISSION", "REFUND_DECISION", "SUSPENSE_RESOLUTION", "WORKFLOW",
           "WRITE_OFF"]

SUSPENSE_RESOLUTION = EntityKind("suspense-resolution", "suspense-receipts", validate_suspense_resolution, "RC")
DEBIT_REGISTRATION = EntityKind("debit-registration", "debit-registrations", validate_debit_registration, "DR")
REFUND_DECISION = EntityKind("refund-decision", "overpayments", validate_refund_decision, "OP")
WRITE_OFF = EntityKind("write-off", "collection-decisions", validate_write_off, "WO")
LATE_FEE_REMISSION = EntityKind("late-fee-remission", "collection-decisions", validate_remission, "LR")

WORKFLOW = Workflow(
    name="collection",
    summary="特別徴収, 口座振替, 収納 and 消込, 督促, 延滞金, 充当・還付, 時効 (issue 14)",
    needs=Needs(
        tables_read=("persons",),
        tables_write=("instalments", "overpayments", "payment-slips", "collection-ledger", "suspense-receipts",
                      "bank-accounts", "debit-registrations", "collection-decisions", "pension-notices",
                      "inbound-files", "transfer-queue"),
        buckets_read=("exchange/inbound/",),
        buckets_write=("exchange/outbound/", "exchange/reports/", "exchange/notices/", "exchange/extracts/",
                       "documents/notices/dunning/"),
    ),
    api_prefixes=("collection",),
    entity_kinds=(SUSPENSE_RESOLUTION, DEBIT_REGISTRATION, REFUND_DECISION, WRITE_OFF, LATE_FEE_REMISSION),
    batches=(
        # Files from the 指定金融機関, the convenience-store agent and the 国保連, every 15 minutes: the exchange
        # bucket's single S3 notification already serves intake's inbound/ prefix.
        BatchJob("collection-inbound", "functions.collection.batch:inbound_files",
                 Schedule("rate(15 minutes)", "every 15 minutes"), "収納, 口座振替 and 特別徴収 files as they arrive"),
        BatchJob("collection-settle", "functions.collection.batch:settle",
                 Schedule("rate(5 minutes)", "every 5 minutes"),
                 "post confirmed decisions (suspense, 充当, 欠損, 減免)"),
        # 05:30 JST daily: payment slips (納付番号) for the 期 assessment made or re-made, before the runs that
        # read 期 by 納期限.
        BatchJob("collection-schedules", "functions.collection.batch:daily_schedules",
                 Schedule("cron(30 20 * * ? *)", "daily at 05:30 JST"), "payment slips of new and changed 期割"),
        # 06:00 JST daily (21:00 UTC the day before): unpaid 期 become arrears, 督促 within 20 days.
        BatchJob("collection-dunning", "functions.collection.batch:daily_dunning",
                 Schedule("cron(0 21 * * ? *)", "daily at 06:00 JST"), "arrears and 督促状"),
        # 07:00 JST daily: 収納 and 滞納 extracts for the transfer workflow (PIA-II-5-a: daily to the 広域連合).
        BatchJob("collection-extracts", "functions.collection.batch:daily_extracts",
                 Schedule("cron(0 22 * * ? *)", "daily at 07:00 JST"), "収納 and 滞納 daily extracts"),
    ),
    cli=(
        CliCommand("late-fee", "延滞金 of one 期: --principal YEN --due DATE --paid DATE [--payment DATE:AMOUNT …]",
                   "functions.collection.cli:LATE_FEE"),
        CliCommand("collection-import", "validate and apply a 収納, 口座振替 result or 特別徴収 file",
                   "functions.collection.cli:IMPORT"),
        CliCommand("collection-run", "run a collection job: settle, dunning, debit-request, refund-file, "
                   "write-off-candidates, extracts, pension-request", "functions.collection.cli:RUN"),
    ),
    notices=(NoticeSource("payment-slip", "functions.collection.services.notices:slips_preview"),
             NoticeSource("dunning", "functions.collection.services.notices:dunning_preview"),
             NoticeSource("refund", "functions.collection.services.refund_notices:refund_preview")),
)
