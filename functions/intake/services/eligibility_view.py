"""What the counter sees of a person's 資格 (issue 12 item 11; PIA-I-1-a): status, periods, 住所地特例, 適用除外,
負担割合 and the current 資格確認書 — read from the record and the certificates table, never the My Number.

A clerk answering "is this person insured, since when, with which card" must not piece it together from
several screens; a household view gives the same for every member, as the 広域連合 judges 負担割合 per household.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.eligibility_periods import periods
from shared.runtime import Runtime

__all__ = ["current_certificate", "eligibility_of"]

# 住所地特例 (法第55条) and 適用除外 (法第51条) as recorded; absent fields are shown as null.
SPECIAL_ADDRESS = {"insurer": "special_address_insurer", "facility": "special_address_facility",
                   "from": "special_address_from", "until": "special_address_until",
                   "notified_on": "special_address_notified_on", "basis": "special_address_basis",
                   "facility_kind": "special_address_facility_kind",
                   "facility_prefecture": "special_address_facility_prefecture"}
EXCLUSION = {"public_assistance_since": "public_assistance_since",
             "public_assistance_ended_on": "public_assistance_ended_on",
             "public_assistance_suspended_from": "public_assistance_suspended_from",
             "public_assistance_suspended_until": "public_assistance_suspended_until",
             "other_since": "other_exclusion_since", "other_ended_on": "other_exclusion_ended_on"}
CERTIFICATES_READ = 20  # the newest issuance records; a person has one or two a year


def current_certificate(rt: Runtime, person_id: str, today: date) -> dict[str, Any] | None:
    """The newest card valid today (else the newest card not yet in force, e.g. a July renewal)."""
    newest, _ = rt.records("certificates").page("by-person", "person_id", person_id, CERTIFICATES_READ, None,
                                                forward=False)
    day = today.isoformat()
    cards = sorted(newest, key=lambda c: (c["valid_from"], c["issued_on"], c["certificate_id"]), reverse=True)
    chosen = next((c for c in cards if c["valid_from"] <= day <= c["valid_until"]), None) or \
        next((c for c in cards if c["valid_from"] > day), None)
    if chosen is None:
        return None
    return {"certificate_id": chosen["certificate_id"], "reason": chosen.get("reason"),
            "issued_on": chosen["issued_on"], "valid_from": chosen["valid_from"],
            "valid_until": chosen["valid_until"]}


def _section(record: dict[str, Any], fields: dict[str, str]) -> dict[str, Any] | None:
    values = {name: record.get(field) for name, field in fields.items()}
    return values if any(v is not None for v in values.values()) else None


def eligibility_of(rt: Runtime, record: dict[str, Any], today: date) -> dict[str, Any]:
    """The 資格 block of a person view."""
    all_periods = periods(record)
    return {
        "status": record.get("eligibility_status"),
        "acquired_on": record.get("eligibility_acquired_on"),
        "acquired_reason": all_periods[0]["acquired_reason"] if all_periods else None,
        "lost_on": record.get("eligibility_lost_on"),
        "lost_reason": all_periods[0]["lost_reason"] if all_periods else None,
        "insured_number": record.get("insured_number"),
        "insurer": record.get("insurer"),
        "copayment_ratio": record.get("copayment_ratio"),
        "copayment_year": record.get("copayment_year"),
        "limit_class": record.get("limit_class"),
        "special_address": _section(record, SPECIAL_ADDRESS),
        "exclusion": _section(record, EXCLUSION),
        "certificate": current_certificate(rt, record["person_id"], today),
        "periods": all_periods,
    }
