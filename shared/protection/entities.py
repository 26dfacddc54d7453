"""The kinds of record maker-checker can change, each with its table and its own rules.

Adding a kind (a 療養費 application, a premium reduction …) means adding an EntityKind here; the pending
request, the confirmation transaction and the audit trail stay one mechanism (design rule 6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from shared.domain.ids import new_id
from shared.domain.person import REQUIRED_ON_CREATE, InvalidChange, validate_values
from shared.runtime import Runtime


class Repository(Protocol):
    def get(self, entity_id: str) -> dict[str, Any] | None: ...

    def write_item(self, record: dict[str, Any] | None, entity_id: str, base_version: int) -> dict[str, Any]: ...


@dataclass(frozen=True)
class EntityKind:
    name: str
    id_field: str
    repository: Callable[[Runtime], Repository]
    validate: Callable[[dict[str, Any]], None]
    defaults_on_create: Callable[[dict[str, Any]], dict[str, Any]]
    new_id: Callable[[], str]


def _person_defaults(values: dict[str, Any]) -> dict[str, Any]:
    missing = [f for f in REQUIRED_ON_CREATE if values.get(f) in (None, "")]
    if missing:
        raise InvalidChange(f"a new person needs: {', '.join(missing)}")
    return {"household_id": new_id("H", 10), "resident_status": "registered", "suspended": False, **values}


PERSON = EntityKind(
    name="person",
    id_field="person_id",
    repository=lambda rt: rt.persons,
    validate=validate_values,
    defaults_on_create=_person_defaults,
    new_id=lambda: new_id("P", 12),
)

ENTITY_KINDS: dict[str, EntityKind] = {PERSON.name: PERSON}


def register_kind(kind: EntityKind) -> EntityKind:
    ENTITY_KINDS[kind.name] = kind
    return kind


def _no_defaults(values: dict[str, Any]) -> dict[str, Any]:
    return values


def _certificate_check(values: dict[str, Any]) -> None:
    if values.get("reason") not in ("new", "renewal", "reissue"):
        raise InvalidChange("a certificate's reason is new, renewal or reissue")


def _ryoyohi_check(values: dict[str, Any]) -> None:
    from shared.domain.ryoyohi import validate_application

    validate_application(values)


CERTIFICATE = register_kind(EntityKind(
    name="certificate", id_field="certificate_id",
    repository=lambda rt: rt.records("certificates", "certificate_id"),
    validate=_certificate_check, defaults_on_create=_no_defaults, new_id=lambda: new_id("QC")))

RYOYOHI = register_kind(EntityKind(
    name="ryoyohi", id_field="application_id",
    repository=lambda rt: rt.records("ryoyohi-applications", "application_id"),
    validate=_ryoyohi_check, defaults_on_create=_no_defaults, new_id=lambda: new_id("RY")))
