"""徴収方法の申出: a person elects 口座振替 (普通徴収) instead of 特別徴収 (玉名市, 倉敷市; domain-rules.md §3.2).

The election is a record changed only through maker-checker (PIA-III-2-l); it takes effect for the 期割 made
from its `effective_from` on (deductions due before it stay). Withdrawing it is an update to `withdrawn`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from shared.domain.ids import PERSON_ID_PATTERN
from shared.domain.person import InvalidChange

__all__ = ["FIELDS", "METHODS", "STATUSES", "validate_election"]

METHODS = ("account-transfer",)
STATUSES = ("in-force", "withdrawn")
FIELDS = ("person_id", "method", "effective_from", "received_on", "status")


def validate_election(values: dict[str, Any]) -> None:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidChange(f"unknown fields: {', '.join(sorted(unknown))}")
    if "person_id" in values and not re.fullmatch(PERSON_ID_PATTERN, str(values["person_id"])):
        raise InvalidChange("person_id is a 宛名番号")
    if "method" in values and values["method"] not in METHODS:
        raise InvalidChange(f"method is one of {', '.join(METHODS)}")
    if "status" in values and values["status"] not in STATUSES:
        raise InvalidChange(f"status is one of {', '.join(STATUSES)}")
    for name in ("effective_from", "received_on"):
        if name in values:
            try:
                date.fromisoformat(values[name])
            except (TypeError, ValueError):
                raise InvalidChange(f"{name} is a date (YYYY-MM-DD)") from None
