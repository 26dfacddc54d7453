"""期割: the annual premium of record split into 期, and re-split after a 更正 (PIA-I-1-d).

特別徴収 (pension deduction; 法第107条, 法第110条 → 介護保険法第134条〜; domain-rules.md §3.2):
- only for someone whose 介護保険料 is deducted from a pension of at least 18万円 a year and whose 介護 + 後期
  premiums are at most half of it (equal counts);
- 仮徴収 in April, June, August: the previous February's deduction each time, or, when the deduction starts
  in April, the previous year's premium ÷ 6 (rounded down to 100円); without either there is no 仮徴収, and
  such a person is collected by 普通徴収 this year (特徴 then starts with next year's 仮徴収);
- 本徴収 in October, December, February: (年額 − 仮徴収) ÷ 3 in 100円 units, the remainder in October.
Otherwise 普通徴収 in 熊本市's 期 July–March, 年額 ÷ 期数 in 100円 units, the remainder in the first 期
(domain-rules-2.md §1). New entrants (資格取得 in the 年度) start on 普通徴収; the first 期 is the later of
July and the month after joining (熊本市 FAQ 4283); an elected 口座振替 stops 特別徴収 from its date.

更正 (a new result of record mid-year): 期 already due keep their amounts, and so do the 特別徴収 deductions
before the 更正 and the next one (the 停止 cannot reach it); the rest of the year is 普通徴収 from the month
after the 更正 (能美市 「一時的に普通徴収」), a 随時期 when no month is left. When the new amount is below
what the kept 期 hold, they are lowered, unpaid amounts first and the latest 期 first. Whatever was paid above
the new amount is the 過誤納 the collection workflow refunds or offsets.

Always: the amounts of the 期 that are not cancelled add up to the annual premium, and every 納期限 is a
business day (特別徴収: the pension payment day, the 15th or the weekday before).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from functions.assessment.rules.business_days import next_business_day, previous_business_day
from functions.assessment.rules.dates import fiscal_year_of, fiscal_year_start, month_index
from functions.assessment.rules.parameters import Provenance, collection_plan

__all__ = ["ORDINARY", "SPECIAL", "Pension", "Period", "Schedule", "corrected_schedule", "initial_schedule",
           "special_collection_allowed"]

SPECIAL, ORDINARY = "special", "ordinary"  # 特別徴収, 普通徴収
OPEN, CANCELLED = "open", "cancelled"


@dataclass(frozen=True)
class Period:
    """One 期: what is due, when, how it is collected, and what the collection workflow has posted to it."""

    key: str  # "T04" 特徴 April, "N07" 普徴 July, "Z202605" 随時期 due May 2026
    method: str  # SPECIAL or ORDINARY
    stage: str  # "provisional" (仮徴収), "main" (本徴収), "ordinary", "extra" (随時期)
    number: int  # 期別: 特徴 1–6 from April, 普徴 1–9 from July, 0 for a 随時期
    due_date: date
    amount: int
    paid: int = 0  # posted by the collection workflow (消込); never set here
    status: str = OPEN
    levy_year: int = 0  # 調定年度: the 年度 in which this amount was set (a 過年度 更正 sets it in a later one)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "method": self.method, "stage": self.stage, "number": self.number,
                "due_date": self.due_date.isoformat(), "amount": self.amount, "paid": self.paid,
                "status": self.status, "levy_year": self.levy_year}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Period:
        return cls(raw["key"], raw["method"], raw["stage"], int(raw["number"]), date.fromisoformat(raw["due_date"]),
                   int(raw["amount"]), int(raw.get("paid", 0)), raw.get("status", OPEN), int(raw.get("levy_year", 0)))


@dataclass(frozen=True)
class Schedule:
    fiscal_year: int
    annual: int
    periods: list[Period]
    method: str  # how the rest of the year is collected: SPECIAL or ORDINARY
    overpayment: int = 0  # paid above the annual premium (過誤納)
    provisional_figures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        total = sum(p.amount for p in self.periods if p.status != CANCELLED)
        if total != self.annual:
            raise AssertionError(f"the 期 add up to {total}, not the annual {self.annual}")

    def as_dict(self) -> dict[str, Any]:
        return {"fiscal_year": self.fiscal_year, "annual_premium": self.annual, "collection_method": self.method,
                "periods": [p.as_dict() for p in self.periods], "overpayment": self.overpayment,
                "provisional_figures": self.provisional_figures}


@dataclass(frozen=True)
class Pension:
    """特徴年金情報 from the 年金保険者 (via the collection workflow): what the 特別徴収 test needs."""

    annual: int  # 年金額 (年額)
    kaigo_deducted: bool  # 介護保険料 is deducted from this pension
    kaigo_annual: int = 0  # 介護保険料 (年額), part of the 1/2 test
    previous_february: int | None = None  # last year's February 後期 deduction
    april_start: bool = False  # the 年金保険者 starts the deduction in April (no February amount)


# --- slots and their due dates ------------------------------------------------------------------------------
def _year_of(fiscal_year: int, month: int) -> int:
    return fiscal_year + (month < 4)


def _special(fiscal_year: int, month: int, stage: str, amount: int, provenance: Provenance) -> Period:
    plan = collection_plan()
    payday = provenance.use("special_payday", plan["special_payday"])
    months = plan["special_months"]["provisional"] + plan["special_months"]["main"]
    due = previous_business_day(date(_year_of(fiscal_year, month), month, int(payday["day"])), provenance)
    return Period(f"T{month:02d}", SPECIAL, stage, months.index(month) + 1, due, amount)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _ordinary(fiscal_year: int, month: int, amount: int, provenance: Provenance) -> Period:
    plan = collection_plan()
    rule = provenance.use("ordinary_due_day", plan["ordinary_due_day"])
    year = _year_of(fiscal_year, month)
    due = date(year, 12, int(rule["december_day"])) if month == 12 else _month_end(year, month)
    number = plan["ordinary"]["months"].index(month) + 1
    return Period(f"N{month:02d}", ORDINARY, "ordinary", number, next_business_day(due, provenance), amount)


def _extra(after: date, amount: int, provenance: Provenance) -> Period:
    """A 随時期 due at the end of the month after `after` (no 普通徴収 month of the 年度 is left)."""
    rule = provenance.use("extra_period", collection_plan()["extra_period"])
    index = month_index(after) + int(rule["months_after_determination"])
    due = next_business_day(_month_end(index // 12, index % 12 + 1), provenance)
    return Period(f"Z{due.year}{due.month:02d}", ORDINARY, "extra", 0, due, amount)


def _ordinary_months(fiscal_year: int, from_index: int) -> list[int]:
    months = collection_plan()["ordinary"]["months"]
    return [m for m in months if month_index(date(_year_of(fiscal_year, m), m, 1)) >= from_index]


# --- splitting ----------------------------------------------------------------------------------------------
def _split(total: int, slots: int, rule: dict[str, Any]) -> list[int]:
    """`total` over `slots` 期: each in `unit`s, the remainder in the first (the only rule the data allows)."""
    if rule["remainder_to"] != "first":
        raise ValueError(f"unknown remainder rule {rule['remainder_to']!r}")
    unit = int(rule["unit"])
    each = total // slots // unit * unit
    return [total - each * (slots - 1)] + [each] * (slots - 1)


def _lower(kept: list[Period], excess: int) -> list[Period]:
    """Take `excess` off the kept 期: unpaid amounts first, then paid ones; the latest 期 first each time. A 期
    left with nothing due and nothing paid is cancelled."""
    amounts = {p.key: p.amount for p in kept}
    latest_first = sorted(kept, key=lambda p: p.due_date, reverse=True)
    for unpaid_only in (True, False):
        for p in latest_first:
            floor = min(p.paid, amounts[p.key]) if unpaid_only else 0
            cut = min(excess, amounts[p.key] - floor)
            amounts[p.key] -= cut
            excess -= cut
    assert excess == 0
    return [replace(p, amount=amounts[p.key], status=CANCELLED if amounts[p.key] == 0 == p.paid else p.status)
            for p in kept]


def _finish(fiscal_year: int, annual: int, kept: list[Period], slots: list[Period], rounding: dict[str, Any],
            after: date, method: str, provenance: Provenance, replaced: list[Period] | None = None) -> Schedule:
    """Spread what the kept 期 leave over the slots (a 随時期 if there is none), or lower the kept 期. A
    `replaced` 期 that gets no new amount stays in the schedule as cancelled, so its 納付書 is known void."""
    kept_before = list(kept)
    rest = annual - sum(p.amount for p in kept if p.status != CANCELLED)
    active = [p for p in kept if p.status != CANCELLED]
    if rest < 0:
        lowered = {p.key: p for p in _lower(active, -rest)}
        kept, fresh = [lowered.get(p.key, p) for p in kept], []
    elif rest == 0:
        fresh = []
    elif not slots:
        fresh = [_extra(after, rest, provenance)]
    else:
        fresh = [replace(s, amount=a) for s, a in zip(slots, _split(rest, len(slots), rounding), strict=True)]
    fresh = [p for p in fresh if p.amount]
    void = [replace(p, amount=0, status=CANCELLED) for p in replaced or () if p.key not in {f.key for f in fresh}]
    unchanged = {(p.key, p.amount, p.status) for p in kept_before if p.levy_year}
    levy_year = fiscal_year_of(after)  # 調定年度 of every amount set now
    periods = sorted((p if (p.key, p.amount, p.status) in unchanged else replace(p, levy_year=levy_year)
                      for p in [*kept, *fresh, *void]), key=lambda p: (p.due_date, p.key))
    paid = sum(p.paid for p in periods)
    return Schedule(fiscal_year, annual, periods, method, max(0, paid - annual), sorted(provenance.provisional))


# --- the two entry points ---------------------------------------------------------------------------------------
def special_collection_allowed(annual: int, pension: Pension | None, provenance: Provenance) -> bool:
    """年金 ≥ 18万/年, 介護 deducted from it, and 介護 + 後期 ≤ ½ of it (domain-rules.md §3.2)."""
    if pension is None:
        return False
    rule = provenance.use("special_eligibility", collection_plan()["special_eligibility"])
    half = Decimal(pension.annual) * Decimal(rule["max_share"])
    return pension.annual >= int(rule["minimum_pension"]) and pension.kaigo_deducted and \
        pension.kaigo_annual + annual <= half


def _provisional_each(pension: Pension | None, previous_year_premium: int | None, provenance: Provenance) -> int:
    """The 仮徴収 amount: last February's deduction, or last year's premium ÷ 6 when the deduction starts in
    April; 0 when neither is known (no 仮徴収)."""
    if pension is None:
        return 0
    if pension.previous_february:
        return pension.previous_february
    if pension.april_start and previous_year_premium:
        rule = provenance.use("special_provisional", collection_plan()["special_provisional"])
        unit = int(rule["unit"])
        return previous_year_premium // int(rule["previous_year_divisor"]) // unit * unit
    return 0


def initial_schedule(fiscal_year: int, annual: int, *, as_of: date, acquired_on: date | None = None,
                     pension: Pension | None = None, previous_year_premium: int | None = None,
                     ordinary_from: date | None = None) -> Schedule:
    """The year's 期 from its first result of record (本算定, or a new entrant's 賦課), determined on `as_of`.

    `ordinary_from`: the day an elected 口座振替 (普通徴収) takes effect; 特別徴収 deductions due before it stay."""
    provenance = Provenance()
    plan = collection_plan()
    new_entrant = acquired_on is not None and acquired_on >= fiscal_year_start(fiscal_year)
    each = 0 if new_entrant else _provisional_each(pension, previous_year_premium, provenance)
    provisional = [_special(fiscal_year, m, "provisional", each, provenance)
                   for m in plan["special_months"]["provisional"]] if each else []
    provisional = [p for p in provisional if ordinary_from is None or p.due_date < ordinary_from]
    main_allowed = bool(provisional) and len(provisional) == len(plan["special_months"]["provisional"]) and \
        special_collection_allowed(annual, pension, provenance)
    if main_allowed:
        slots = [_special(fiscal_year, m, "main", 0, provenance) for m in plan["special_months"]["main"]]
        rounding = provenance.use("special_main_rounding", plan["special_main_rounding"])
        return _finish(fiscal_year, annual, provisional, slots, rounding, as_of, SPECIAL, provenance)
    first = fiscal_year_start(fiscal_year).replace(month=int(plan["ordinary"]["first_month"]))
    joined_next = month_index(acquired_on) + 1 if new_entrant and acquired_on else 0
    slots = [s for s in (_ordinary(fiscal_year, m, 0, provenance)
                         for m in _ordinary_months(fiscal_year, max(month_index(first), joined_next)))
             if s.due_date >= as_of]
    rounding = provenance.use("ordinary_rounding", plan["ordinary_rounding"])
    return _finish(fiscal_year, annual, provisional, slots, rounding, as_of, ORDINARY, provenance)


def corrected_schedule(previous: Schedule, annual: int, *, corrected_on: date) -> Schedule:
    """The year's 期 after a 更正 on `corrected_on`: kept 期 stay, the rest of the year is 普通徴収."""
    provenance = Provenance(set(previous.provisional_figures))
    plan = collection_plan()
    stop = provenance.use("special_stop", plan["special_stop"])
    reach = int(stop["deductions_after_notice"])
    kept: list[Period] = []
    replaced: list[Period] = []
    for period in previous.periods:
        if period.method == SPECIAL and period.status != CANCELLED:
            if period.due_date < corrected_on or reach > 0:
                reach -= 1 if period.due_date >= corrected_on else 0
                kept.append(period)
            else:
                kept.append(replace(period, amount=0, status=CANCELLED))
        elif period.method == SPECIAL or month_index(period.due_date) <= month_index(corrected_on):
            kept.append(period)  # cancelled deductions, and 期 due up to the month of the 更正
        elif period.paid:
            kept.append(period)  # money already posted stays on its 期
        elif period.status != CANCELLED:
            replaced.append(period)
    months = _ordinary_months(previous.fiscal_year, month_index(corrected_on) + 1)
    taken = {p.key for p in kept}
    slots = [s for s in (_ordinary(previous.fiscal_year, m, 0, provenance) for m in months) if s.key not in taken]
    rounding = provenance.use("ordinary_rounding", plan["ordinary_rounding"])
    return _finish(previous.fiscal_year, annual, kept, slots, rounding, corrected_on, ORDINARY, provenance,
                   replaced)
