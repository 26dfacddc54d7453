"""The assessment workflow, declared (data only): 所得 intake, 賦課 results, premium 試算, 期割 and 更正 (issue 13).

What its function may touch: it reads the resident register (persons) and the 特徴年金情報 (pension-deductions,
written from the 年金保険者's notices), and writes its own tables; the instalments and overpayments it writes
are what the collection workflow reads (docs/assessment.md, "Contract with collection").
"""

from __future__ import annotations

from functions.assessment.rules.elections import validate_election
from shared.protection.entities import EntityKind
from shared.workflow import BatchJob, Chunks, CliCommand, Needs, NoticeSource, Schedule, UploadRule, Workflow

__all__ = ["ELECTION", "FILE_TYPES", "MAX_FILE_BYTES", "WORKFLOW"]

# The daily and monthly files arrive as the body of an operator's request: fixed-length text, 5 MiB at most
# (about 43,000 records; the yearly 本算定 file goes through the batch run instead).
FILE_TYPES = ("text/plain", "application/octet-stream")
MAX_FILE_BYTES = 5 * 1024 * 1024

ELECTION = EntityKind(name="collection-election", table="collection-elections", validate=validate_election,
                      id_prefix="CE")

WORKFLOW = Workflow(
    name="assessment",
    summary="所得 intake, 賦課 results of record, premium 試算, 期割 and 更正",
    needs=Needs(
        tables_read=("persons", "pension-deductions"),
        tables_write=("income-records", "levies", "instalments", "overpayments", "inbound-files", "batch-jobs"),
        buckets_read=("exchange/inbound/",),
        buckets_write=("exchange/reports/", "documents/notices/premium-decision/"),
    ),
    api_prefixes=("assessment",),
    entity_kinds=(ELECTION,),
    batches=(
        # 7/15 05:00 JST (7/14 20:00 UTC): the 本算定's 決定通知書兼納入通知書, after the results of record of early
        # July and before 第1期's 納期限 at the end of July; `choju decision-notices` runs it on demand.
        BatchJob("decision-notices", "functions.assessment.batch:yearly_decision_notices",
                 Schedule("cron(0 20 14 7 ? *)", "every 7/15 at 05:00 JST"),
                 "the 本算定's 決定通知書 into the documents bucket, one file per chunk",
                 # reserved 5 each: the trigger runs once a year, the worker never more than its 5 at once
                 concurrency=5,
                 chunks=Chunks("decision-notice-chunks", "functions.assessment.batch:decision_notice_chunks",
                               concurrency=5)),
    ),
    uploads=(UploadRule(r"/assessment/imports/(income|results)", FILE_TYPES, MAX_FILE_BYTES),),
    cli=(
        CliCommand("premium", "試算: each insured member's premium for a household file (JSON)",
                   "functions.assessment.cli:PREMIUM"),
        CliCommand("import-income", "validate and apply a 所得・課税情報 file from the 市民税課",
                   "functions.assessment.cli:IMPORT_INCOME"),
        CliCommand("import-assessments", "validate and apply a 保険料情報 file (賦課 results) from the 広域連合",
                   "functions.assessment.cli:IMPORT_ASSESSMENTS"),
        CliCommand("instalments", "a person's 期割 for a 年度 (JSON)", "functions.assessment.cli:INSTALMENTS"),
        CliCommand("decision-notices", "print every 決定通知書 of a 年度's 本算定 (the batch run, here)",
                   "functions.assessment.cli:DECISION_NOTICES"),
    ),
    notices=(NoticeSource("premium-decision", "functions.assessment.services.notices:preview"),),
)
