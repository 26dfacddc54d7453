"""The collection ledger of one 期: what was levied (調定, from the assessment workflow's declared `instalments`
table) and what covered it — payments (収納), 充当, 不納欠損, or moving the 期 to 普通徴収 — with the 延滞金 paid
and remitted and the 督促 sent. Pure data and arithmetic; `matching.py` decides what a payment does to it.

Every yen of a 期 is accounted for: outstanding = 調定額 − Σ entries. A payment's money that the 期 cannot take
goes to an over-payment (過誤納) record, and the entry remembers how much and where, so a receipt is in exactly
one place (docs/collection.md, "Reconciliation").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import Any

from functions.collection.rules.late_fee import LateFee, Payment
from functions.collection.rules.late_fee import late_fee as compute_late_fee

__all__ = ["CANCELLED", "OPEN", "Entry", "EntryKind", "Instalment", "Ledger", "Method"]


class Method(str, Enum):
    """徴収方法 (法第107条)."""

    SPECIAL = "special"  # 特別徴収 (pension deduction)
    ORDINARY = "ordinary"  # 普通徴収 (納付書 or 口座振替)


OPEN, CANCELLED = "open", "cancelled"  # a 期's status in the `instalments` schedule (assessment's vocabulary)


@dataclass(frozen=True)
class Instalment:
    """One 期 as collection sees it: a period of an `instalments` schedule (assessment's item per person and 年度,
    schema in shared/storage.py and docs/collection.md "Tables") with the 納付番号 its payment slip gives it."""

    payment_number: str  # 納付番号: identifies the 期 (`payment-slips`)
    person_id: str
    fiscal_year: int  # 賦課年度
    period: int  # 期別 (0 for a 随時期)
    due_date: date  # 納期限 (for 特別徴収: the pension payment day)
    amount: int  # 期別保険料額, yen
    method: Method
    levy_year: int  # 調定年度
    status: str = OPEN  # CANCELLED: its 納付書 or deduction is void (更正, or 特別徴収 stopped)
    schedule_id: str = ""  # the `instalments` item, and the period's key and place in it
    period_key: str = ""
    period_index: int = 0
    schedule_version: int = 0  # the version the schedule was read at: `paid` is written back under it
    paid: int = 0  # `paid` as the schedule holds it

    @property
    def collectable(self) -> bool:
        return self.status == OPEN

    @classmethod
    def of_schedule(cls, payment_number: str, schedule: dict[str, Any], index: int) -> Instalment:
        period = schedule["periods"][index]
        return cls(payment_number, schedule["person_id"], int(schedule["fiscal_year"]), int(period["number"]),
                   date.fromisoformat(period["due_date"]), int(period["amount"]), Method(period["method"]),
                   int(period.get("levy_year") or schedule["fiscal_year"]), period.get("status", OPEN),
                   schedule["schedule_id"], period["key"], index, int(schedule.get("version", 0)),
                   int(period.get("paid", 0)))

    def slip(self) -> dict[str, Any]:
        """Its `payment-slips` record."""
        return {"payment_number": self.payment_number, "person_id": self.person_id, "fiscal_year": self.fiscal_year,
                "period": self.period, "due_date": self.due_date.isoformat(), "method": self.method.value,
                "status": self.status, "schedule_id": self.schedule_id, "period_key": self.period_key,
                "fiscal_year_period": f"{self.fiscal_year}#{self.period:02d}#{self.period_key}"}


class EntryKind(str, Enum):
    RECEIPT = "receipt"  # a payment (収納): bank, convenience store, 口座振替, 特別徴収, counter
    OFFSET = "offset"  # 充当 from an over-payment (法第110条 → 介護保険法第139条 pattern)
    WRITE_OFF = "write-off"  # 不納欠損 after 時効 (法第160条)


@dataclass(frozen=True)
class Entry:
    entry_id: str  # a receipt id, or the decision's id: posting it again finds it
    kind: EntryKind
    amount: int  # yen of this 期's principal it covers (0 when all its money went elsewhere)
    on: date  # 収納日 / 充当日 / decision day: what 延滞金 counts to
    posted_on: date  # 消込日
    excess: int = 0  # money of this receipt the 期 could not take
    overpayment_id: str | None = None  # where that money went
    channel: str | None = None  # 収納種別
    source: str | None = None  # file (hash prefix and record) or decision id: the audit trail of the posting
    funded_on: date | None = None  # 入金日

    def to_item(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v.value if isinstance(v, Enum) else v)
                for k, v in self.__dict__.items() if v is not None and k != "entry_id"}

    @classmethod
    def from_item(cls, entry_id: str, item: dict[str, Any]) -> Entry:
        def day(name: str) -> date | None:
            return date.fromisoformat(item[name]) if item.get(name) else None

        return cls(entry_id, EntryKind(item["kind"]), int(item["amount"]), day("on") or date.min,
                   day("posted_on") or date.min, int(item.get("excess", 0)), item.get("overpayment_id"),
                   item.get("channel"), item.get("source"), day("funded_on"))


@dataclass(frozen=True)
class Ledger:
    payment_number: str
    person_id: str
    entries: dict[str, Entry] = field(default_factory=dict)
    late_fee_paid: dict[str, int] = field(default_factory=dict)  # decision id → yen of 延滞金 paid by 充当
    late_fee_remitted: dict[str, int] = field(default_factory=dict)  # decision id → yen 減免
    provisional: dict[str, int] = field(default_factory=dict)  # コンビニ 速報 reference → yen (not posted)
    dunning: dict[str, str] | None = None  # notice_id, issued_on, deadline
    version: int = 0
    read_paid: int = field(default=0, compare=False)  # `paid` when read: what a write adds to the schedule's


    # --- figures ------------------------------------------------------------------------------------------
    @property
    def covered(self) -> int:
        return sum(e.amount for e in self.entries.values())

    @property
    def paid(self) -> int:
        """What money covered: receipts and 充当 (not 不納欠損). What it adds is added to the schedule's `paid`
        (`store.Unit`): a 更正 may have lowered that figure, its excess going to a 過誤納 (docs/assessment.md)."""
        return sum(e.amount for e in self.entries.values() if e.kind in (EntryKind.RECEIPT, EntryKind.OFFSET))

    def outstanding(self, instalment: Instalment) -> int:
        """調定額 − what covered it. Payments count as the schedule's `paid` (as read, plus what this ledger gained
        since): when a 更正 lowered the amount below what was paid, assessment lowered `paid` too and the excess
        became a 過誤納 record, so it no longer covers this 期 (docs/collection.md "Tables")."""
        paid = instalment.paid + self.paid - self.read_paid if instalment.schedule_id else self.paid
        return instalment.amount - paid - (self.covered - self.paid)

    def payments(self) -> list[Payment]:
        """What reduced the principal and when (receipts and 充当), for 延滞金."""
        return [Payment(e.on, e.amount) for e in sorted(self.entries.values(), key=lambda e: e.on)
                if e.kind in (EntryKind.RECEIPT, EntryKind.OFFSET) and e.amount > 0]

    def late_fee(self, instalment: Instalment, today: date) -> LateFee:
        """延滞金 of this 期 (`late_fee.py`): determined to the last payment day once the principal is paid,
        accrued to `today` while it is not; 減免 taken off. A 特別徴収 期 bears none (the pension insurer pays on
        the day), nor one moved to 普通徴収 (its new 期 do), nor one written off (the 延滞金 lapses with it)."""
        if (instalment.method is Method.SPECIAL or not instalment.collectable
                or any(e.kind is EntryKind.WRITE_OFF for e in self.entries.values())):
            return LateFee(0, (), Fraction(0))
        payments = self.payments()
        until = max(p.on for p in payments) if payments and self.outstanding(instalment) <= 0 else today
        until = max(until, instalment.due_date)
        return compute_late_fee(instalment.amount, instalment.due_date, until, [p for p in payments if p.on <= until],
                                remission=sum(self.late_fee_remitted.values()))

    def late_fee_due(self, instalment: Instalment, today: date) -> int:
        return max(self.late_fee(instalment, today).late_fee - sum(self.late_fee_paid.values()), 0)

    # --- changes (new values; the adapter writes them with the version condition) ----------------------------
    def with_entry(self, entry: Entry) -> Ledger:
        return replace(self, entries={**self.entries, entry.entry_id: entry})

    def to_item(self, instalment: Instalment | None = None) -> dict[str, Any]:
        item: dict[str, Any] = {
            "payment_number": self.payment_number, "person_id": self.person_id,
            "entries": {k: e.to_item() for k, e in self.entries.items()},
            "late_fee_paid": self.late_fee_paid, "late_fee_remitted": self.late_fee_remitted,
            "provisional": self.provisional, "dunning": self.dunning, "version": self.version + 1,
            "covered": self.covered}
        if instalment is not None:
            item.update(fiscal_year=instalment.fiscal_year, due_date=instalment.due_date.isoformat(),
                        outstanding=self.outstanding(instalment))
            if item["outstanding"] > 0 and instalment.method is Method.ORDINARY:
                item["unpaid_year"] = str(instalment.fiscal_year)  # sparse index of unpaid 期 (by-unpaid)
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any] | None, payment_number: str, person_id: str) -> Ledger:
        if item is None:
            return cls(payment_number, person_id)
        ledger = cls(item["payment_number"], item["person_id"],
                   {k: Entry.from_item(k, v) for k, v in (item.get("entries") or {}).items()},
                   dict(item.get("late_fee_paid") or {}), dict(item.get("late_fee_remitted") or {}),
                   dict(item.get("provisional") or {}), item.get("dunning"), int(item.get("version", 0)))
        return replace(ledger, read_paid=ledger.paid)
