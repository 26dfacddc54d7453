"""療養費支給申請 (PIA-I-1-f): what an application holds, its time limit, and who may claim.

- The 熊本県広域連合 lists 療養費支給申請書 among the forms that carry the 個人番号 for 移送費 only; for other
  療養費 the number is optional (domain-rules §4, kumamoto-kouikirengo.jp/public).
- 時効 (法第160条; domain-rules §6): the right to a 給付 lapses 2 years after it can be exercised, for 療養費
  from the day after the 支払日 (綾町; 三郷市; 新宿区 「装具は支払日翌日」). The period is counted by 民法第140条
  (the first day, the 支払日, is not counted) and 第143条 (it ends on the day before the 起算日's 応当日 two years
  on; when that month has no such day, on its last day). Paid 2024-04-10: 起算日 2024-04-11, the last day
  2026-04-10. Paid 2024-02-28: 起算日 2024-02-29, no 2026-02-29, so the last day is 2026-02-28.
  民法第142条 (a last day on a holiday) is not applied: whether the city treats it so is [U].
- 療養費 is a 給付 to the insured (法第77条): the person must have been insured on every day of the treatment
  period (資格取得日 ≤ the first day, and the 資格喪失日, the first day not insured, after the last day).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shared.domain.person import InvalidChange

__all__ = ["FIELDS", "MY_NUMBER_REQUIRED", "TYPES", "insured_throughout", "limitation_ends", "my_number_required",
           "validate_application"]

TYPES = {
    "orthosis": "治療用装具",
    "judo-therapy": "柔道整復",
    "massage": "あんま・マッサージ",
    "acupuncture": "はり・きゅう",
    "transport": "移送費",
    "overseas": "海外療養費",
    "other": "その他 (やむを得ない自費診療など)",
}
MY_NUMBER_REQUIRED = frozenset({"transport"})
LIMITATION_YEARS = 2  # 法第160条第1項
FIELDS = ("person_id", "type", "period_from", "period_to", "amount_claimed", "bank", "received_on", "status",
          "paid_on", "limitation_ends", "applicant", "identity_documents")


def limitation_ends(paid_on: date) -> date:
    """The last day a claim for a payment made on `paid_on` may be received (法第160条; 民法第140条, 第143条)."""
    first = paid_on + timedelta(days=1)  # 起算日: the day after payment
    try:
        return first.replace(year=first.year + LIMITATION_YEARS) - timedelta(days=1)
    except ValueError:  # 起算日 2/29 with no 2/29 two years on: the month's last day
        return date(first.year + LIMITATION_YEARS, 2, 28)


def insured_throughout(person: dict[str, Any], first: date, last: date) -> bool:
    """Whether the person was insured on every day from `first` to `last` (the current 資格 period)."""
    acquired, lost = person.get("eligibility_acquired_on"), person.get("eligibility_lost_on")
    if not acquired or date.fromisoformat(acquired) > first:
        return False
    return not lost or last < date.fromisoformat(lost)


def _day(values: dict[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(values[name])
    except (KeyError, TypeError, ValueError):
        raise InvalidChange(f"{name} is a date (YYYY-MM-DD)") from None


def validate_application(values: dict[str, Any]) -> None:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidChange(f"unknown fields: {', '.join(sorted(unknown))}")
    if values.get("type") not in TYPES:
        raise InvalidChange(f"type is one of {', '.join(TYPES)}")
    amount = values.get("amount_claimed")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidChange("amount_claimed is a positive whole number of yen")
    if _day(values, "period_from") > _day(values, "period_to"):
        raise InvalidChange("period_from is after period_to")
    if "paid_on" in values and "received_on" in values and _day(values, "paid_on") > _day(values, "received_on"):
        raise InvalidChange("paid_on is after the day the application is received")


def my_number_required(application_type: str) -> bool:
    return application_type in MY_NUMBER_REQUIRED
