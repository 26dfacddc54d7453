"""Purpose-limited views of a person (PIA-III-2-a, III-2-e, III-3-a, III-3-d).

Lists and search results never carry a My Number field. The single-person view carries it only for staff with
mynumber:read who state a purpose, and then always with name, birth date and address; each such read is an
audit event with that purpose (PIA-III-2-c).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.domain.kana import kana_key
from shared.domain.mynumber import parse_my_number
from shared.runtime import Runtime

SUMMARY_FIELDS = ("person_id", "household_id", "name", "name_kana", "birth_date", "sex", "address",
                  "resident_status", "insured_number", "suspended")
DETAIL_FIELDS = (*SUMMARY_FIELDS, "postal_code", "relationship", "is_household_head", "version", "updated_at")
MY_NUMBER_KEY = "my_number"


def summary(record: dict[str, Any]) -> dict[str, Any]:
    """What a list may show: never the My Number, not even whether one is held."""
    return {name: record.get(name) for name in SUMMARY_FIELDS}


def detail(record: dict[str, Any], my_number: str | None = None) -> dict[str, Any]:
    view = {name: record.get(name) for name in DETAIL_FIELDS}
    view["has_my_number"] = bool(record.get("mynumber_enc"))
    if my_number is not None:
        # Never the number alone: name, birth date and address are part of the same view (PIA-III-2-e).
        if view["name"] and view["birth_date"] and view["address"]:
            view[MY_NUMBER_KEY] = my_number
        else:
            view["my_number_withheld"] = "name, birth date and address must be shown beside it (PIA-III-2-e)"
    return view


class PersonViews:
    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime

    def view(self, person_id: str, staff_id: str, request_id: str, purpose: str | None,
             extra: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> dict[str, Any] | None:
        """The person's detail; `extra` adds a workflow's own block from the record read here (e.g. intake's 資格)."""
        record = self.rt.repository(PersonRepository).get(person_id)
        if record is None:
            return None
        my_number = None
        if purpose is not None and record.get("mynumber_enc"):
            my_number = self.rt.vault.decrypt(record["mynumber_enc"]).digits
        action = "person.mynumber-read" if my_number else "person.read"
        self.rt.audit.append(AuditEvent(staff_id, action, "success", target=person_id, purpose=purpose or "-",
                                        request_id=request_id))
        return {**detail(record, my_number), **(extra(record) if extra else {})}

    def search_by_kana(self, name_kana: str, birth_date: str | None, staff_id: str, request_id: str, limit: int,
                       start: dict[str, Any] | None) -> tuple[list[dict], dict[str, Any] | None]:
        """A page of matches by birth date, and where the next page starts."""
        records, after = self.rt.repository(PersonRepository).by_kana_and_birth(kana_key(name_kana), birth_date,
                                                                                limit, start)
        found = [summary(r) for r in records]
        self.rt.audit.append(AuditEvent(staff_id, "person.search", "success", target="kana",
                                        request_id=request_id, detail={"results": str(len(found))}))
        return found, after

    def search_by_my_number(self, raw: str, staff_id: str, request_id: str, purpose: str) -> list[dict]:
        index = self.rt.vault.blind_index(parse_my_number(raw))
        found = [summary(r) for r in self.rt.repository(PersonRepository).by_mynumber_index(index)]
        self.rt.audit.append(AuditEvent(staff_id, "person.mynumber-search", "success", target="mynumber",
                                        purpose=purpose, request_id=request_id,
                                        detail={"results": str(len(found))}))
        return found
