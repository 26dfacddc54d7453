"""Retention rules as data: for each kind of record, what starts its period, how long it is kept, what is erased
when it ends, and the law that says so (番号法第20条; PIA-III-7-e). Pure: no AWS.

Periods the city has not confirmed are configuration: each such rule carries its default and the open question
beside it, and `CHOJU_RETENTION_YEARS` ("rule=years,rule=years") overrides the default for that rule only.

Periods are counted as the 民法 counts them: the day of the event is not counted (民法第140条, 初日不算入), and a
period of years ends on the day before the day that corresponds to its first day, or on the last day of the
month when there is no such day (民法第143条第2項). A record may go on the day after the period ends.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from shared.domain.errors import Invalid

__all__ = ["RETENTION_RULES", "Method", "RetentionRule", "Trigger", "configured_rules", "erasable_from",
           "period_end", "rule", "started_on"]

SETTING = "CHOJU_RETENTION_YEARS"


class Method(str, Enum):
    """What a run erases when a rule's period has ended."""

    MYNUMBER = "mynumber"  # its ciphertext and blind index everywhere; the rest stays (番号法第20条)
    RECORD = "record"  # the whole record (for a person: every record and object that refers to them)
    KEEP = "keep"  # never erased by a run, nor early (the audit trail)


class Trigger(str, Enum):
    """Where a rule's period starts."""

    PERSON_LOST = "person"  # the person's 資格喪失日 (former insured persons)
    RECORD_DATE = "record"  # a date field of the record itself
    OBJECT_WRITTEN = "object"  # when the object version was written
    EXPIRY = "expiry"  # the record's own expiry (epoch seconds), which TTL honours late or not at all


@dataclass(frozen=True)
class RetentionRule:
    name: str
    record_kind: str
    data_class: str
    stores: tuple[str, ...]  # declared tables ("table") or object prefixes ("bucket/prefix"); may name tables
    # that other issues declare later: a plan skips what the storage declaration does not hold yet
    trigger: Trigger
    trigger_field: str  # the field holding the start date ("" for object versions)
    years: int
    days: int
    method: Method
    source: str
    open_question: str | None = None  # set: the period is a default the city must confirm (configurable)
    # Per store, where its start date is when it is not `trigger_field` (see `started_on` for the forms).
    fields: tuple[tuple[str, str], ...] = ()
    only_if: str = ""  # set: the rule covers only records where this attribute is present and not empty

    @property
    def configurable(self) -> bool:
        return self.open_question is not None

    def field_for(self, store: str) -> str:
        return dict(self.fields).get(store, self.trigger_field)


def _dates(value: Any, path: list[str], fiscal_year: bool) -> list[date]:
    if not path:
        if fiscal_year and (isinstance(value, int | Decimal) or str(value).isdigit()):
            # a 年度's records are closed with its accounts: 出納閉鎖 on 5月31日 of the next year (地方自治法第235条の5)
            return [date(int(value) + 1, 5, 31)]
        try:
            return [date.fromisoformat(str(value)[:10])]
        except ValueError:
            return []
    head, rest = path[0], path[1:]
    if head.endswith("[]"):
        items = value.get(head[:-2]) if isinstance(value, dict) else None
        return [d for item in (items or []) for d in _dates(item, rest, fiscal_year)]
    if not isinstance(value, dict) or value.get(head) in (None, ""):
        return []
    return _dates(value[head], rest, fiscal_year)


def started_on(item: Mapping[str, Any], field: str) -> date | None:
    """The day a record's period starts: the latest date the field names. Forms: `due_date` (an ISO date or
    time), `dunning.deadline` (inside a map), `periods[].due_date` (every element of a list), `fiscal_year` (the
    年度's 出納閉鎖), and alternatives `a|b` (the latest of them: a 督促's deadline renews a 時効, 法第160条第2項)."""
    found = [d for alternative in field.split("|")
             for d in _dates(dict(item), alternative.split("."), alternative.endswith("fiscal_year"))]
    return max(found) if found else None


def period_end(start: date, years: int) -> date:
    """The last day of a period of `years` whose first day is `start` (民法第143条第2項)."""
    year = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)  # no corresponding day: the period ends on the month's last day
    return date(year, start.month, start.day) - timedelta(days=1)


def erasable_from(event: date, rule: RetentionRule) -> date:
    """The first day a record whose period starts with `event` may be erased under `rule`."""
    first_day = event + timedelta(days=1)  # 民法第140条: the day of the event is not counted
    return period_end(first_day, rule.years) + timedelta(days=1 + rule.days)


def _r(name: str, kind: str, data_class: str, stores: tuple[str, ...], trigger: Trigger, field: str, years: int,
       method: Method, source: str, open_question: str | None = None, days: int = 0,
       fields: tuple[tuple[str, str], ...] = (), only_if: str = "") -> RetentionRule:
    return RetentionRule(name, kind, data_class, stores, trigger, field, years, days, method, source, open_question,
                         fields, only_if)


# The 賦課・調定・収納 records of issues 13 and 14 (docs/assessment.md "Contract with collection", docs/collection.md
# "Tables") and where each one's period starts: the latest 納期限 it concerns, or a 督促's 指定期限 after it.
LEVY_FIELDS: tuple[tuple[str, str], ...] = (
    ("levies", "fiscal_year"),  # a 賦課 result of record: its 年度 (every 期 of it is due by the 出納閉鎖)
    ("instalments", "periods[].due_date"),  # the 期割: its last 期's 納期限
    ("payment-slips", "due_date"),
    ("collection-ledger", "due_date|dunning.deadline"),
    ("overpayments", "due_date|paid_on|arose_on|created_at"),  # the 還付 claim lapses in 2 years too (法160)
    ("collection-decisions", "lapsed_on|created_at"),
    ("suspense-receipts", "received_on"),
)
LEVY_TABLES = tuple(table for table, _ in LEVY_FIELDS)

RETENTION_RULES: tuple[RetentionRule, ...] = (
    _r("former-insured-mynumber", "former insured person: My Number", "specific-personal", ("persons",),
       Trigger.PERSON_LOST, "eligibility_lost_on", 2, Method.MYNUMBER,
       "番号法第20条 (kept only while the 事務 needs it); the last claims of the insured period (保険料の還付, 給付) "
       "lapse 2 years after they can be exercised (高齢者の医療の確保に関する法律第160条第1項)",
       "Does 熊本市 need the number longer, e.g. for 還付加算金 (5 years, 地方自治法第236条)? Default 2 years."),
    _r("former-insured-record", "former insured person: every record and document", "specific-personal",
       ("persons",), Trigger.PERSON_LOST, "eligibility_lost_on", 5, Method.RECORD,
       "地方自治法第236条第1項 (the city's other 金銭債権 lapse in 5 years); 熊本市公文書管理条例 (保存年限)",
       "熊本市's 保存年限 for 後期高齢者医療 files is not known [U]; default 5 years after 資格喪失."),
    _r("levy-records", "賦課・調定・収納 records (issues 13, 14)", "personal", LEVY_TABLES, Trigger.RECORD_DATE,
       "due_date", 2, Method.RECORD,
       "高齢者の医療の確保に関する法律第160条第1項: the right to collect 保険料 lapses 2 years after the day after "
       "the 納期限; a 督促 renews it (第2項), so a ledger's period starts at its 督促's 指定期限 when there is one",
       "Is a record kept beyond 時効 (e.g. 5 years as a 会計 document, 地方自治法第236条)? Default 2 years.",
       fields=LEVY_FIELDS),
    _r("arrears-charges", "延滞金 records (issue 14): ledgers with 延滞金 paid or remitted", "personal",
       ("collection-ledger",), Trigger.RECORD_DATE, "due_date|dunning.deadline", 5, Method.RECORD,
       "延滞金 rests on 条例 (地方自治法第231条の3第2項), so its claim lapses in 5 years (地方自治法第236条第1項); "
       "a ledger both rules cover goes when the later one ends",
       "2 years (法160, secondary sources) or 5 years (自治法236): ask 熊本市. Default 5 years.",
       only_if="late_fee_paid"),
    _r("ryoyohi", "療養費支給申請 and its scanned documents", "specific-personal",
       ("ryoyohi-applications", "documents/ryoyohi/"), Trigger.RECORD_DATE, "received_on", 5, Method.RECORD,
       "the 療養費 claim lapses 2 years after the day after 療養 (法第160条第1項); the payment record is a 会計 "
       "document (地方自治法第236条: 5 years)",
       "熊本市's 保存年限 for 療養費 files [U]; default 5 years after receipt."),
    _r("exchange-files", "files exchanged with counterparties", "specific-personal", ("exchange/",),
       Trigger.OBJECT_WRITTEN, "", 0, Method.RECORD, "exchanged files expire after use (PIA-III-2-h): 30 days",
       days=30),
    # Batch-printed notices hold many persons a file (a 資格確認書 or 督促状 run: 500 a PDF), so no person's share
    # can be erased from one. They are print spool, not the record: what was issued to whom is in the records
    # (certificates, collection-ledger …), which keep their own periods and print any notice again through the
    # one renderer (design rule 11). A file is kept while printing, mailing and returned mail (返戻) need it, then
    # erased whole (every version, Tokyo and Osaka): long before any person in it reaches an erasure of theirs.
    _r("print-runs", "batch-printed notice files (資格確認書, 督促状 … runs under documents/notices/)", "personal",
       ("documents/notices/",), Trigger.OBJECT_WRITTEN, "", 0, Method.RECORD,
       "個人情報の保護に関する法律第61条第2項 (行政機関等, 地方公共団体の機関を含む: no personal information is held "
       "beyond what its purpose needs): a print file's purpose ends once the notices are printed, mailed and "
       "returned mail is handled, 90 days; the record of what was issued is kept by its own rule",
       days=90),
    _r("idempotency", "first results of retried counter submissions", "operational", ("idempotency",),
       Trigger.EXPIRY, "expiration", 0, Method.RECORD,
       "a retry is answered for one day; DynamoDB TTL deletes expired items only eventually, so a run erases them"),
    _r("sessions", "staff sessions", "staff", ("sessions",), Trigger.EXPIRY, "expires_at", 0, Method.RECORD,
       "sessions end at idle log-off (PIA-III-3-e); TTL deletes them only eventually, so a run erases them"),
    _r("audit", "audit trail and its digests", "audit", ("audit-log", "audit/"), Trigger.RECORD_DATE, "at", 7,
       Method.KEEP, "access records are kept 7 years and never erased early (PIA-III-2-c, III-8; Object Lock)",
       "熊本市文書管理規程's period for access records [U]; default 7 years."),
)


def rule(name: str, rules: tuple[RetentionRule, ...] = RETENTION_RULES) -> RetentionRule:
    for candidate in rules:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no retention rule {name!r}")


def configured_rules(environ: Mapping[str, str]) -> tuple[RetentionRule, ...]:
    """The rules with the city's confirmed periods from `CHOJU_RETENTION_YEARS`; a bad value names the setting."""
    raw = environ.get(SETTING, "").strip()
    if not raw:
        return RETENTION_RULES
    years: dict[str, int] = {}
    for entry in raw.split(","):
        name, _, value = entry.strip().partition("=")
        configurable = {r.name for r in RETENTION_RULES if r.configurable}
        if name not in configurable:
            raise Invalid(f"{SETTING}: {name!r} is not a configurable rule; configurable: "
                          f"{', '.join(sorted(configurable))}", code="invalid-retention-setting")
        if not value.isdigit() or not 1 <= int(value) <= 30:
            raise Invalid(f"{SETTING}: {name} takes whole years from 1 to 30", code="invalid-retention-setting")
        years[name] = int(value)
    return tuple(replace(r, years=years[r.name]) if r.name in years else r for r in RETENTION_RULES)
