"""資格確認書 issuance records and what a counter terminal prints."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.domain.certificates import Reason, valid_until
from shared.domain.ids import new_id

INSURER = "熊本県後期高齢者医療広域連合"


def certificate_values(person: dict[str, Any], reason: Reason, issued_on: date) -> dict[str, Any]:
    """An issuance record: reason, validity and the print data (no My Number: the card does not carry it)."""
    until = valid_until(issued_on)
    return {
        "person_id": person["person_id"], "reason": reason, "issued_on": issued_on.isoformat(),
        "valid_from": issued_on.isoformat(), "valid_until": until.isoformat(),
        "print": {"insurer": INSURER, "insured_number": person.get("insured_number"), "name": person.get("name"),
                  "name_kana": person.get("name_kana"), "birth_date": person.get("birth_date"),
                  "sex": person.get("sex"), "address": person.get("address"), "valid_until": until.isoformat()},
    }


def new_certificate_id() -> str:
    return new_id("QC")
