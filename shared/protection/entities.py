"""The kinds of record maker-checker can change, each with its table and its own rules.

A workflow declares the kinds its change routes may touch (`entity_kinds` in its `workflow.py`); a kind is
data: the declared table it lives in (the id field is that table's key), how its values are checked, and
how a new record's id is made. The pending request, the confirmation transaction and the audit trail stay
one mechanism (design rule 6). The person is the kind several workflows share, so it is declared here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from shared.domain.ids import new_id
from shared.domain.person import REQUIRED_ON_CREATE, InvalidChange, validate_values
from shared.storage import STORAGE

if TYPE_CHECKING:
    from shared.runtime import Runtime

__all__ = ["PERSON", "EntityKind"]


def _as_given(values: dict[str, Any]) -> dict[str, Any]:
    return values


class EntityKind(NamedTuple):
    name: str
    table: str  # logical table of the storage declaration
    validate: Callable[[dict[str, Any]], None]
    id_prefix: str
    id_length: int = 16
    defaults_on_create: Callable[[dict[str, Any]], dict[str, Any]] = _as_given
    # The maker names the new record's id (a staff id) instead of the system making one.
    given_id: bool = False
    # Checked when a checker confirms, against the state of that moment: (runtime, record now, record after).
    guard: Callable[[Runtime, dict[str, Any] | None, dict[str, Any] | None], None] | None = None

    @property
    def id_field(self) -> str:
        return STORAGE.table(self.table).partition_key[0]

    def new_id(self) -> str:
        return new_id(self.id_prefix, self.id_length)


def _person_defaults(values: dict[str, Any]) -> dict[str, Any]:
    missing = [f for f in REQUIRED_ON_CREATE if values.get(f) in (None, "")]
    if missing:
        raise InvalidChange(f"a new person needs: {', '.join(missing)}")
    return {"household_id": new_id("H", 10), "resident_status": "registered", "suspended": False, **values}


PERSON = EntityKind(name="person", table="persons", validate=validate_values, id_prefix="P", id_length=12,
                    defaults_on_create=_person_defaults)
