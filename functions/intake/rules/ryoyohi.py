"""療養費支給申請 (PIA-I-1-f): what an application holds and when the My Number is required.

The 熊本県広域連合 lists 療養費支給申請書 among the forms that carry the 個人番号 for 移送費 only; for other
療養費 the number is optional (domain-rules §4, kumamoto-kouikirengo.jp/public).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.domain.person import InvalidChange

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
FIELDS = ("person_id", "type", "period_from", "period_to", "amount_claimed", "bank", "received_on", "status")


def validate_application(values: dict[str, Any]) -> None:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidChange(f"unknown fields: {', '.join(sorted(unknown))}")
    if values.get("type") not in TYPES:
        raise InvalidChange(f"type is one of {', '.join(TYPES)}")
    amount = values.get("amount_claimed")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidChange("amount_claimed is a positive whole number of yen")
    if date.fromisoformat(values["period_from"]) > date.fromisoformat(values["period_to"]):
        raise InvalidChange("period_from is after period_to")


def my_number_required(application_type: str) -> bool:
    return application_type in MY_NUMBER_REQUIRED
