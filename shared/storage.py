"""The storage declaration: every table, bucket, queue and key the system uses (design rule 1).

The Pulumi program, the local bootstrap and the tests all read this module; no physical name is written
anywhere else. Physical names are `<prefix>-<logical name>`, the prefix coming from the stack or from
`CHOJU_NAME_PREFIX`.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal, NamedTuple

KeyType = Literal["S", "N"]


class DataClass(str, Enum):
    """How sensitive the stored data is; becomes the `data-classification` tag."""

    SPECIFIC_PERSONAL = "specific-personal"  # 特定個人情報: holds My Numbers (encrypted)
    PERSONAL = "personal"  # 個人情報 without My Numbers
    STAFF = "staff"  # staff identities and sessions
    AUDIT = "audit"  # audit trail: append-only evidence
    OPERATIONAL = "operational"  # idempotency records, job state


class RetentionClass(NamedTuple):
    """How long data of one kind is kept, and why."""

    name: str
    days: int | None  # None: kept until the workflow that owns it erases it
    source: str


RETENTION_CLASSES: dict[str, RetentionClass] = {
    rc.name: rc
    for rc in (
        RetentionClass("session", 1, "sessions expire by TTL after idle log-off (PIA-III-3-e)"),
        RetentionClass(
            "idempotency", 1, "counter retries are answered from the first result for one day"
        ),
        RetentionClass(
            "audit",
            7 * 365,
            "access records kept 7 years (BLEA log-bucket default; 熊本市文書管理規程 period [U], configurable)",
        ),
        RetentionClass(
            "insurance-record",
            None,
            "kept while the 事務 needs it, then erased (番号法第20条); collection claims lapse after 2 years "
            "(高齢者の医療の確保に関する法律第160条) and other claims after 5 (地方自治法第236条)",
        ),
        RetentionClass("staff", None, "kept while the staff member is registered (PIA-III-3-c)"),
        RetentionClass("exchange", 30, "exchanged files expire after use (PIA-III-2-h)"),
        RetentionClass(
            "deletion-record",
            7 * 365,
            "what each deletion run erased, as hashed ids, kept with its 廃棄証明書 like the audit trail "
            "(PIA-III-7-e; 熊本市文書管理規程 period [U], configurable)",
        ),
        RetentionClass("batch-job", 90, "job status and chunk checkpoints (no personal data) kept for operators; "
                       "chunk messages expire after SQS's 14 days"),
    )
}

# How long erased data can still be restored from copies the system keeps (PIA-III-7-e, docs/deletion.md): every
# table has point-in-time recovery over this many days, and the daily AWS Backup recovery points (Tokyo and their
# Osaka copies) are deleted after this many days. The Pulumi program reads these; the 廃棄証明書 states the date.
PITR_RECOVERY_DAYS = 35
BACKUP_RETENTION_DAYS = 35


class Index(NamedTuple):
    name: str
    partition_key: tuple[str, KeyType]
    sort_key: tuple[str, KeyType] | None = None
    projection: Literal["ALL", "KEYS_ONLY"] = "ALL"  # KEYS_ONLY: an index that only finds items, read after


class TableSpec(NamedTuple):
    name: str
    purpose: str
    partition_key: tuple[str, KeyType]
    sort_key: tuple[str, KeyType] | None
    data_class: DataClass
    retention: str
    ttl_attribute: str | None = None
    indexes: tuple[Index, ...] = ()

    def physical_name(self, prefix: str) -> str:
        return f"{prefix}-{self.name}"

    def page_key(self, index: str | None = None) -> tuple[str, ...]:
        """The attributes of a query's LastEvaluatedKey on the table or one of its indexes (a page's cursor)."""
        keys = [self.partition_key, self.sort_key]
        if index is not None:
            found = next((i for i in self.indexes if i.name == index), None)
            if found is None:
                raise KeyError(f"table {self.name!r} has no index {index!r}")
            keys += [found.partition_key, found.sort_key]
        return tuple(dict.fromkeys(k[0] for k in keys if k))


class BucketSpec(NamedTuple):
    name: str
    purpose: str
    data_class: DataClass
    retention: str
    versioning: bool = True
    object_lock: bool = False
    replicate_to_secondary: bool = False
    receives_files: bool = False  # files from outside (counters, counterparties): scanned for malware (PIA-III-7-c)

    def physical_name(self, prefix: str) -> str:
        return f"{prefix}-{self.name}"

    def replica_name(self, prefix: str) -> str:
        """The Osaka replica (PIA-II-6-b); only for buckets that replicate."""
        assert self.replicate_to_secondary, f"bucket {self.name} has no replica"
        return f"{prefix}-{self.name}-osaka"


class QueueSpec(NamedTuple):
    """A fan-out queue of a chunked batch job, with its dead-letter queue (design rule 8).

    A chunk is attempted `max_attempts` times; the worker then sets it aside in the dead-letter queue with the
    reason. The queue's own redrive (one receive later) catches a worker that died without reporting."""

    name: str
    purpose: str
    data_class: DataClass
    retention: str
    visibility_timeout_seconds: int  # at least 6 x the worker's timeout (AWS guidance for event source mappings)
    max_attempts: int = 3

    def physical_name(self, prefix: str) -> str:
        return f"{prefix}-{self.name}"

    def dead_letter_name(self, prefix: str) -> str:
        return f"{prefix}-{self.name}-dlq"

    @property
    def redrive_receive_count(self) -> int:
        return self.max_attempts + 1


class KeySpec(NamedTuple):
    name: str
    purpose: str

    def alias(self, prefix: str) -> str:
        return f"alias/{prefix}-{self.name}"


class ParameterSpec(NamedTuple):
    """An SSM parameter: a KMS ciphertext (never a plaintext secret), or — with `encrypted_with` None — public
    data such as the identity provider's public keys."""

    name: str
    purpose: str
    encrypted_with: str | None  # a KeySpec name

    def physical_name(self, prefix: str) -> str:
        return f"/{prefix}/{self.name}"


class StorageDeclaration(NamedTuple):
    tables: tuple[TableSpec, ...]
    buckets: tuple[BucketSpec, ...]
    keys: tuple[KeySpec, ...] = ()
    parameters: tuple[ParameterSpec, ...] = ()
    queues: tuple[QueueSpec, ...] = ()

    def table(self, name: str) -> TableSpec:
        return _find(self.tables, name, "table")

    def bucket(self, name: str) -> BucketSpec:
        return _find(self.buckets, name, "bucket")

    def key(self, name: str) -> KeySpec:
        return _find(self.keys, name, "key")

    def parameter(self, name: str) -> ParameterSpec:
        return _find(self.parameters, name, "parameter")

    def queue(self, name: str) -> QueueSpec:
        return _find(self.queues, name, "queue")


def _find(items: tuple, name: str, kind: str):  # type: ignore[no-untyped-def]
    for item in items:
        if item.name == name:
            return item
    raise KeyError(f"no {kind} named {name!r} in the storage declaration")


STORAGE = StorageDeclaration(
    tables=(
        TableSpec(
            "staff",
            "staff registry: one identity per person, roles (PIA-III-3-c)",
            ("staff_id", "S"),
            None,
            DataClass.STAFF,
            "staff",
        ),
        TableSpec(
            "sessions",
            "server-side sessions with idle log-off (PIA-III-3-e)",
            ("session_id", "S"),
            None,
            DataClass.STAFF,
            "session",
            ttl_attribute="expires_at",
        ),
        TableSpec(
            "audit-log",
            "append-only audit trail: one item per event, sealed into a hash chain (PIA-III-2-c, III-3-f, III-8)",
            ("day_shard", "S"),  # "<UTC day>#<shard>": a day's writes spread over shards, a window is a key range
            ("event_id", "S"),  # time-ordered and unique (shared/domain/audit_events.py)
            DataClass.AUDIT,
            "audit",
            indexes=(
                Index("by-target", ("target", "S"), ("event_id", "S")),  # a person's access history
                Index("by-seq", ("chain", "S"), ("seq", "N")),  # the sealed chain, in order (sparse)
                Index("unsealed", ("pending", "S"), ("event_id", "S"), "KEYS_ONLY"),  # what is still to seal (sparse)
            ),
        ),
        TableSpec(
            "persons",
            "persons and households: insured, household members, former insured (PIA-II-2-a)",
            ("person_id", "S"),
            None,
            DataClass.SPECIFIC_PERSONAL,
            "insurance-record",
            indexes=(
                Index("by-mynumber-index", ("mynumber_index", "S")),
                Index("by-kana-birth", ("kana_key", "S"), ("birth_date", "S")),
                Index("by-household", ("household_id", "S")),
                Index("by-birth-month", ("birth_month", "S"), ("birth_date", "S")),
                # former insured persons only (sparse: an insured person has no 資格喪失日): the deletion plan
                Index("by-eligibility", ("eligibility_status", "S"), ("eligibility_lost_on", "S")),
            ),
        ),
        TableSpec(
            "change-requests",
            "pending maker-checker changes to specific personal information (PIA-III-2-l)",
            ("request_id", "S"),
            None,
            DataClass.SPECIFIC_PERSONAL,
            "insurance-record",
            ttl_attribute="expires_at",
            indexes=(
                Index("by-status", ("status", "S"), ("created_at", "S")),
                Index("by-entity", ("entity_id", "S"), ("created_at", "S")),
            ),
        ),
        TableSpec(
            "transfer-queue",
            "records ready for the 広域連合 and other counterparties, with their time (PIA-II-5-a)",
            ("queue_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-counterparty-status", ("counterparty_status", "S"), ("queued_at", "S")),
                     Index("by-entity", ("entity_id", "S"), ("queued_at", "S"))),  # a person's entries, to erase
        ),
        TableSpec(
            "transfer-approvals",
            "データ使用承認: recipient, legal basis, purpose, conditions, period, fields, jobs; through maker-checker "
            "(PIA-III-5-a)",
            ("approval_id", "S"),
            None,
            DataClass.OPERATIONAL,
            "insurance-record",
        ),
        TableSpec(
            "transfer-ledger",
            "every transfer, refusal and omission: job, period, fields, recipient, approval, rows, checksum, who, "
            "result (PIA-III-5-a, III-2-h, IV-1)",
            ("entry_id", "S"),
            None,
            # Personal (it names omitted persons), kept like the audit trail; it is not the hash-chained audit log,
            # whose append-only control (policies/audit_log_rules.py) judges every audit-class table.
            DataClass.PERSONAL,
            "audit",
            indexes=(Index("by-job", ("job", "S"), ("period_sort", "S")),
                     Index("by-month", ("month", "S"), ("recorded_at", "S"))),
        ),
        TableSpec(
            "notifications",
            "counter notifications (届出) with identity checks and proxies (PIA-I-1-a, III-2-j, III-2-k)",
            ("notification_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("received_at", "S")),),
        ),
        TableSpec(
            "certificates",
            "資格確認書 issuance records (PIA-I-1-a)",
            ("certificate_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("issued_on", "S")),),
        ),
        TableSpec(
            "ryoyohi-applications",
            "療養費支給申請 (PIA-I-1-f); My Number sealed when given",
            ("application_id", "S"),
            None,
            DataClass.SPECIFIC_PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("received_on", "S")),),
        ),
        TableSpec(
            "inbound-files",
            "every inbound file by content hash: status, counts, progress (design rule 8, 9)",
            ("file_hash", "S"),
            None,
            DataClass.OPERATIONAL,
            "exchange",
        ),
        TableSpec(
            "eligibility-discrepancies",
            "突合: where the 広域連合's 被保険者情報 and the city's own 資格 (住基, 住登外, 届書) disagree, "
            "for a clerk to work through (PIA-II-3-b)",
            ("discrepancy_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-status", ("status", "S"), ("created_at", "S")),
                     Index("by-person", ("person_id", "S"), ("created_at", "S"))),  # a person's entries, to erase
        ),
        TableSpec(
            "subject-requests",
            "disclosure requests and inquiries with receipts and responses (PIA-IV-1, IV-2)",
            ("request_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S")),),  # a person's requests, to erase (PIA-III-7-e)
        ),
        # --- collection (issue 14)
        TableSpec(
            "payment-slips",
            "納付番号 of each 期 of an `instalments` schedule (schedule_id, period_key), with its person, 年度, 期別, "
            "納期限 and 徴収方法 for the 督促 and 口座振替 runs and the counter (PIA-I-1-d)",
            ("payment_number", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("fiscal_year_period", "S")),
                     Index("by-due-date", ("due_date", "S"), ("payment_number", "S"))),
        ),
        TableSpec(
            "collection-ledger",
            "what covered each 期: payments (収納), 充当, 不納欠損, 延滞金 paid and remitted, 督促; unpaid 期 in a "
            "sparse index (PIA-I-1-d)",
            ("payment_number", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-unpaid", ("unpaid_year", "S"), ("due_date", "S")),),
        ),
        TableSpec(
            "suspense-receipts",
            "未確認入金: payments no 期 could take, until a collection officer's resolution is confirmed",
            ("receipt_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-status", ("status", "S"), ("received_on", "S")),),
        ),
        TableSpec(
            "bank-accounts",
            "bank accounts for 口座振替 and refunds, written once and referred to by account_ref; never listed",
            ("account_ref", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("created_at", "S")),),
        ),
        TableSpec(
            "debit-registrations",
            "口座振替 registrations (maker-checker): person, account_ref, from which 期, status",
            ("registration_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("starts_on", "S")),
                     Index("by-status", ("status", "S"), ("starts_on", "S"))),
        ),
        TableSpec(
            "collection-decisions",
            "decisions confirmed through maker-checker and then posted: 不納欠損 (write-offs), 延滞金 減免",
            ("decision_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-status", ("status", "S"), ("payment_number", "S")),),
        ),
        TableSpec(
            "pension-notices",
            "特別徴収対象者 notices of the pension insurers, matched to persons, with the 特徴 判定",
            ("notice_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("fiscal_year", "S")),
                     Index("by-year", ("fiscal_year", "S"), ("notice_id", "S"))),
        ),
        TableSpec(
            "batch-jobs",
            "batch jobs and their chunks: state, checkpoints, counts, dead-letter reasons (design rule 8)",
            ("job_id", "S"),
            ("part", "S"),
            DataClass.OPERATIONAL,
            "batch-job",
            ttl_attribute="expires_at",
            indexes=(Index("by-listing", ("listing", "S"), ("started_at", "S")),),
        ),
        TableSpec(
            "income-records",
            "所得・課税情報 and 住民税情報 per person and 年度 from the 市民税課 (PIA-I-1-c, II-3-a)",
            ("income_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("fiscal_year", "N")),),
        ),
        TableSpec(
            "levies",
            "賦課 results of record from the 広域連合, every 更正 kept, with their 突合 (PIA-I-1-c, II-3-b)",
            ("person_id", "S"),
            ("levy_key", "S"),
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-open-check", ("open_check", "S"), ("person_id", "S")),),
        ),
        # --- the 期割 hand-over (issues 13 and 14): `instalments` and `overpayments` are declared by assessment, which
        # writes the 期割 and 更正 decreases; collection posts each 期's `paid` and settles the 過誤納
        # (docs/assessment.md "Contract with collection", docs/collection.md "Tables").
        TableSpec(
            "instalments",
            "期割 (調定) per person and 年度: amounts set by assessment, payments posted by collection (PIA-I-1-d)",
            ("schedule_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("fiscal_year", "N")),),
        ),
        TableSpec(
            "overpayments",
            "過誤納 left by a 更正, for collection to offset or refund (PIA-I-1-e)",
            ("overpayment_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(
                Index("by-person", ("person_id", "S"), ("created_at", "S")),
                Index("by-status", ("status", "S"), ("created_at", "S")),
            ),
        ),
        TableSpec(
            "pension-deductions",
            "特徴年金情報 (年金額, 介護保険料) per person and 年度 from the 年金保険者's notices (PIA-II-3-b)",
            ("deduction_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
        ),
        TableSpec(
            "collection-elections",
            "徴収方法の申出: 口座振替 instead of 特別徴収, through maker-checker (PIA-I-1-d, III-2-l)",
            ("election_id", "S"),
            None,
            DataClass.PERSONAL,
            "insurance-record",
            indexes=(Index("by-person", ("person_id", "S"), ("effective_from", "S")),),
        ),
        TableSpec(
            "idempotency",
            "first results of retried counter submissions",
            ("id", "S"),
            None,
            DataClass.OPERATIONAL,
            "idempotency",
            ttl_attribute="expiration",
        ),
        TableSpec(
            "deletion-runs",
            "deletion runs: the plan a data steward proposed, its approval by a checker, progress (PIA-III-7-e)",
            ("run_id", "S"),
            None,
            DataClass.OPERATIONAL,
            "deletion-record",
        ),
        TableSpec(
            "deletion-ledger",
            "per run: the chunks of targets still to erase, then one entry per erased record by hashed id "
            "(PIA-III-7-e)",
            ("run_id", "S"),
            ("entry", "S"),
            DataClass.OPERATIONAL,
            "deletion-record",
        ),
        TableSpec(
            "legal-holds",
            "legal holds (open appeal, 滞納処分 …) that keep a person's records out of every deletion plan",
            ("person_id", "S"),
            ("hold_id", "S"),
            DataClass.PERSONAL,
            "insurance-record",
        ),
    ),
    buckets=(
        BucketSpec(
            "audit",
            "audit-log digests under Object Lock (PIA-III-8)",
            DataClass.AUDIT,
            "audit",
            object_lock=True,
            replicate_to_secondary=True,
        ),
        BucketSpec(
            "documents",
            "scanned application documents (PIA-I-1-f) and printed notices (design rule 11)",
            DataClass.SPECIFIC_PERSONAL,
            "insurance-record",
            replicate_to_secondary=True,
            receives_files=True,
        ),
        BucketSpec(
            "exchange",
            "files exchanged with registered counterparties (PIA-III-2-d, III-2-i)",
            DataClass.SPECIFIC_PERSONAL,
            "exchange",
            receives_files=True,
        ),
    ),
    keys=(
        KeySpec("data", "general data key: tables, buckets, queues, function environments"),
        KeySpec("mynumber", "My Number field encryption only; narrow key policy (design rule 5)"),
        KeySpec("logs", "CloudWatch Logs, CloudTrail, flow logs"),
    ),
    parameters=(
        ParameterSpec(
            "mynumber-index-key",
            "HMAC secret of the My Number blind index, as a KMS ciphertext (design rule 5)",
            "mynumber",
        ),
        ParameterSpec(
            "idp-jwks",
            "the identity provider's public signing keys (JWKS), written by `choju jwks sync`, read by every API "
            "function through the SSM endpoint (PIA-III-3-c)",
            None,
        ),
    ),
    # Messages name a job and a chunk number only; what a chunk covers is in the batch-jobs table.
    queues=(
        QueueSpec("resident-import-chunks", "chunks of 住基異動 file imports", DataClass.OPERATIONAL, "batch-job",
                  visibility_timeout_seconds=1800),
        QueueSpec("kouiki-results-chunks", "chunks of 広域連合 被保険者情報 imports", DataClass.OPERATIONAL,
                  "batch-job", visibility_timeout_seconds=1800),
        QueueSpec("certificate-renewal-chunks", "chunks of the yearly 資格確認書 renewal", DataClass.OPERATIONAL,
                  "batch-job", visibility_timeout_seconds=1800),
        QueueSpec("reaching-75-chunks", "chunks of the daily reaching-75 run", DataClass.OPERATIONAL, "batch-job",
                  visibility_timeout_seconds=1800),
        # The transfer jobs (functions/transfer/rules/jobs.py): one queue each, so a job's worker reaches only its
        # own chunks; a chunk runs up to 15 minutes (a scan segment of the monthly 所得 file), so 6 × 900 s.
        *(QueueSpec(f"{job}-chunks", f"chunks of the {job} transfer", DataClass.OPERATIONAL, "batch-job",
                    visibility_timeout_seconds=5400)
          for job in ("kouiki-daily", "kouiki-collection-daily", "kouiki-income-monthly", "kouiki-ryoyohi-monthly",
                      "shiminzei-annual")),
        QueueSpec("decision-notice-chunks", "chunks of the 本算定's print run of 決定通知書", DataClass.OPERATIONAL,
                  "batch-job", visibility_timeout_seconds=1800),
        QueueSpec("deletion-sweep-chunks", "chunks of approved deletion runs (issue 16)", DataClass.OPERATIONAL,
                  "batch-job", visibility_timeout_seconds=5400),
    ),
)
