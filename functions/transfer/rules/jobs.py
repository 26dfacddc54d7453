"""The transfer jobs of the seed's II-5 table, as data: recipient, what they carry, how often, in which layout.

The PIA (II-5 移転先1, 2) moves these to two recipients:
- 熊本県後期高齢者医療広域連合 over the 専用線 (PIA-II-5-a): 届出 as they occur and 住基/住登外 daily (資格管理),
  所得・課税情報 monthly, 期割/収納/滞納 daily (賦課・収納), 療養費関連情報 monthly (給付).
- 財政局 税務部 市民税課 through 庁内連携 (PIA-II-5-b): 給付 and 徴収 information (社会保険料控除), yearly.
Every job runs only under a データ使用承認 that names it and covers its fields (PIA-III-5-a, rules/approvals.py).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from shared.domain.counterparties import KOUIKI_RENGO

__all__ = ["JOBS", "KOUIKI_EVENT_CODES", "MY_NUMBER", "RECIPIENTS", "SHIMINZEI_KA", "Column", "Recipient", "Source",
           "TransferJob", "job"]

SHIMINZEI_KA = "shiminzei-ka"
MY_NUMBER = "my_number"  # the field name an approval must name for a file to carry the 個人番号

Frequency = Literal["daily", "monthly", "yearly"]


class Recipient(NamedTuple):
    code: str
    name: str
    channel: str  # how the file leaves: the dedicated line, or 庁内連携
    prefix: str  # the exchange bucket prefix the recipient's line picks files up from


RECIPIENTS: dict[str, Recipient] = {r.code: r for r in (
    Recipient(KOUIKI_RENGO, "熊本県後期高齢者医療広域連合", "専用線", f"outbound/{KOUIKI_RENGO}/"),
    Recipient(SHIMINZEI_KA, "財政局 税務部 市民税課", "庁内連携システム", f"outbound/{SHIMINZEI_KA}/"),
)}


class Column(NamedTuple):
    """One field of a file: its source field, its width in bytes (fixed layouts), and its type:
    N digits right-aligned zero-filled, C text left-aligned space-filled (as in docs/file-layouts.md). A column
    with `codes` (value → code pairs) writes the code of the value and refuses a value it has no code for."""

    field: str
    label: str
    width: int = 0
    kind: Literal["N", "C"] = "C"
    codes: tuple[tuple[str, str], ...] = ()


class Source(NamedTuple):
    """Where a job's rows come from; never another workflow's code (design: declared tables and queues only).

    - "queue": entries of the transfer-queue for the recipient, queued on the day, of the given kinds (prefixes);
      each row is the queued person's current record.
    - "extract": queue entries (kinds) that point to a JSON-lines extract another workflow left in the exchange
      bucket (`summary.key`); each line is a row, joined with the person's record. An extract belongs to the day
      it names (`entity_id` `extract:YYYYMMDD`, as collection queues it the morning after), not the day it was
      queued.
    - "table": a declared table read in parallel scan segments (the monthly bulk files).
    - "receipts-year": collection's daily 収納 extracts of the calendar year (`extracts/daily/YYYYMMDD/
      receipts.jsonl`, docs/collection.md), summed per person by the day received (社会保険料控除).
    """

    kind: Literal["queue", "extract", "table", "receipts-year"]
    kinds: tuple[str, ...] = ()
    table: str = ""


class TransferJob(NamedTuple):
    name: str
    recipient: str
    title: str  # the seed's name of the information
    frequency: Frequency
    source: Source
    columns: tuple[Column, ...]
    layout: Literal["fixed", "csv"]
    encoding: str  # explicit (design rule 9): cp932 for the 広域連合's and 庁内連携's interfaces
    # The law that requires this transfer even for a person whose use is suspended (PIA-IV-1/IV-2 利用停止:
    # 個人情報保護法第98条第1項 applies to use and provision the law does not require). None: omit them.
    required_by_law: str | None
    schedule: str  # EventBridge expression in UTC (workflow.py turns it into a rule)
    schedule_note: str

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns)

    @property
    def carries_my_number(self) -> bool:
        return MY_NUMBER in self.fields


def _c(field: str, label: str, width: int = 0, kind: Literal["N", "C"] = "C") -> Column:
    return Column(field, label, width, kind)


# 異動区分 of the kouiki-daily file: the transfer-queue kind of each entry → a short stable code (docs/transfer.md
# "Layouts"). A kind longer than the 24-byte column was cut before (eligibility-loss-withdrawn is 26 characters);
# codes never are, and a kind without a code refuses the file rather than sending something the 広域連合 cannot
# read. Codes are never reused for another meaning.
KOUIKI_EVENT_CODES: tuple[tuple[str, str], ...] = (
    ("eligibility-acquired", "ELIG-ACQUIRED"),  # 資格取得 (法第52条)
    ("eligibility-lost", "ELIG-LOST"),  # 資格喪失 (法第53条)
    ("eligibility-loss-withdrawn", "ELIG-LOSS-WITHDRAWN"),  # 転出取消/訂正: the loss sent before is withdrawn
    ("eligibility-prospect", "ELIG-PROSPECT"),  # someone about to reach 75 changed (seed II-5 ③)
    ("insured-person-changed", "PERSON-CHANGED"),  # an insured person's 住基 details changed
    ("insured-person-household", "PERSON-HOUSEHOLD"),  # a member of an insured person's household changed
    ("notification:acquisition", "NOTE-ACQUISITION"),  # 届出 (規則第10条, 第11条 ...), as confirmed
    ("notification:loss", "NOTE-LOSS"),
    ("notification:address-change", "NOTE-ADDRESS"),
    ("notification:name-change", "NOTE-NAME"),
    ("notification:mynumber-change", "NOTE-MYNUMBER"),
    ("notification:disability-application", "NOTE-DISAB-APPLY"),
    ("notification:disability-withdrawal", "NOTE-DISAB-WITHDRAW"),
    ("notification:disability-ended", "NOTE-DISAB-ENDED"),
    ("notification:certificate-reissue", "NOTE-CARD-REISSUE"),
    ("notification:special-address", "NOTE-SPECIAL-ADDR"),
    ("notification:special-address-ended", "NOTE-SPECIAL-ADDR-END"),
    ("correction:kouiki-daily", "CORRECTION"),  # a row the 広域連合 rejected, sent again (services/acks.py)
)

PERSON_COLUMNS = (
    Column("event", "異動区分", 24, "C", KOUIKI_EVENT_CODES), _c("event_date", "異動日", 8, "N"),
    _c("person_id", "宛名番号", 12),
    _c(MY_NUMBER, "個人番号", 12, "N"), _c("household_id", "世帯番号", 24), _c("name", "氏名", 60),
    _c("name_kana", "氏名カナ", 60), _c("birth_date", "生年月日", 8, "N"), _c("sex", "性別", 1, "N"),
    _c("postal_code", "郵便番号", 7, "N"), _c("address", "住所", 120), _c("resident_status", "住民区分", 12),
)

# Daily at 01:00 JST (16:00 UTC the day before): the day that just ended.
DAILY = "cron(0 16 * * ? *)"

JOBS: tuple[TransferJob, ...] = (
    TransferJob(
        "kouiki-daily", KOUIKI_RENGO, "住基情報・住登外登録情報・被保険者資格に関する届出", "daily",
        Source("queue", kinds=("eligibility-", "insured-person-", "notification:")), PERSON_COLUMNS, "fixed", "cp932",
        required_by_law="高齢者の医療の確保に関する法律第48条, 第54条第1項, 第10項 (資格管理は広域連合の事務)",
        schedule=DAILY, schedule_note="daily at 01:00 JST, for the day before"),
    TransferJob(
        "kouiki-collection-daily", KOUIKI_RENGO, "期割情報・収納情報・滞納者情報", "daily",
        Source("extract", kinds=("collection-receipts-daily", "collection-arrears-daily")),
        (_c("record", "情報区分", 12), _c("person_id", "宛名番号", 12), _c("payment_number", "納付番号", 20),
         _c("fiscal_year", "賦課年度", 4, "N"), _c("period", "期別", 2, "N"), _c("amount", "金額", 10, "N"),
         _c("outstanding", "未納額", 10, "N"), _c("due_date", "納期限", 8, "N"), _c("paid_on", "収納日", 8, "N")),
        "fixed", "cp932",
        required_by_law="高齢者の医療の確保に関する法律第48条, 第138条 (保険料の賦課は広域連合の事務)",
        schedule="cron(0 23 * * ? *)",
        schedule_note="daily at 08:00 JST, for the day before, after collection's extracts (07:00 JST)"),
    TransferJob(
        "kouiki-income-monthly", KOUIKI_RENGO, "所得・課税情報", "monthly",
        Source("table", table="income-records"),
        (_c("person_id", "宛名番号", 12), _c(MY_NUMBER, "個人番号", 12, "N"), _c("fiscal_year", "年度", 4, "N"),
         _c("resident_tax", "課税区分", 8), _c("taxable_base", "課税標準額", 12, "N"),
         _c("total_income", "合計所得金額", 12, "N")),
        "fixed", "cp932",
        required_by_law="高齢者の医療の確保に関する法律第138条 (資料の提供)",
        schedule="cron(0 17 1 * ? *)", schedule_note="monthly on the 2nd at 02:00 JST, for the month before"),
    TransferJob(
        "kouiki-ryoyohi-monthly", KOUIKI_RENGO, "療養費関連情報", "monthly",
        Source("queue", kinds=("ryoyohi-application",)),
        (_c("person_id", "宛名番号", 12), _c("name", "氏名", 60), _c("birth_date", "生年月日", 8, "N"),
         _c("event_date", "受付日", 8, "N")),
        "fixed", "cp932",
        required_by_law="高齢者の医療の確保に関する法律第77条 (療養費の支給は広域連合の事務)",
        schedule="cron(0 18 1 * ? *)", schedule_note="monthly on the 2nd at 03:00 JST, for the month before"),
    TransferJob(
        "shiminzei-annual", SHIMINZEI_KA, "給付・保険料の徴収に関する情報 (社会保険料控除)", "yearly",
        Source("receipts-year"),
        (_c("person_id", "宛名番号"), _c("name", "氏名"), _c("birth_date", "生年月日"), _c("address", "住所"),
         _c("year", "対象年"), _c("paid", "納付額")),
        "csv", "cp932",
        required_by_law=None,  # 熊本市個人番号の利用及び特定個人情報の提供に関する条例: allowed, not required
        schedule="cron(0 17 10 1 ? *)", schedule_note="yearly on 1/11 at 02:00 JST, for the calendar year before"),
)


def job(name: str) -> TransferJob | None:
    return next((j for j in JOBS if j.name == name), None)
