"""A person as the back office holds them: insured persons, household members, former insured (PIA-II-2-a).

Pure: field rules and the changes a change request may make. The My Number is handled apart (it never sits
in a Person in the clear; see shared.adapters.persons).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.domain.kana import kana_key

# Fields a change request may set, with their meaning. `mynumber` is special: it is validated, encrypted and
# indexed before it is stored in the request, and only staff with mynumber:write may change it.
PERSON_FIELDS: dict[str, str] = {
    "household_id": "世帯番号",
    "name": "氏名",
    "name_kana": "氏名カナ",
    "birth_date": "生年月日",
    "sex": "性別 (1 男, 2 女)",
    "address": "住所",
    "postal_code": "郵便番号",
    "resident_status": "住民区分 (registered 住登者, non-resident 住登外, moved-out 転出者, deceased 死亡者)",
    "relationship": "続柄",
    "is_household_head": "世帯主",
    "insured_number": "被保険者番号",
    "suspended": "利用停止 (PIA-IV-1)",
}
MY_NUMBER_FIELD = "mynumber"
REQUIRED_ON_CREATE = ("name", "name_kana", "birth_date", "sex", "address")
RESIDENT_STATUSES = ("registered", "non-resident", "moved-out", "deceased")


class InvalidChange(ValueError):
    pass


def validate_values(values: dict[str, Any]) -> None:
    """Refuse values no record may hold; pydantic already checked types at the edge."""
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidChange(f"unknown fields: {', '.join(sorted(unknown))}")
    if "sex" in values and values["sex"] not in ("1", "2"):
        raise InvalidChange("sex is '1' (男) or '2' (女)")
    if "resident_status" in values and values["resident_status"] not in RESIDENT_STATUSES:
        raise InvalidChange(f"resident_status is one of {', '.join(RESIDENT_STATUSES)}")
    if "birth_date" in values and date.fromisoformat(values["birth_date"]) > date(2100, 1, 1):
        raise InvalidChange("birth_date is not plausible")


def diff(current: dict[str, Any] | None, proposed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field -> {"from", "to"} for the fields that really change."""
    current = current or {}
    return {
        name: {"from": current.get(name), "to": value}
        for name, value in sorted(proposed.items())
        if current.get(name) != value
    }


def apply_diff(current: dict[str, Any] | None, changes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The record after the change; derived fields (kana_key) are recomputed here and nowhere else."""
    record = dict(current or {})
    for name, change in changes.items():
        if name != MY_NUMBER_FIELD:
            record[name] = change["to"]
    if "name_kana" in record:
        record["kana_key"] = kana_key(record["name_kana"])
    return record
