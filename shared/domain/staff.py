"""A staff member as the registry holds them: one identity per person (PIA-III-3-c)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.domain.errors import Invalid
from shared.domain.roles import Permission, Role, permissions_of

STAFF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")


class InvalidStaffRecord(Invalid):
    code = "validation-failed"
    title = "The staff record is invalid"


class SharedAccountRefused(InvalidStaffRecord):
    """The registry holds only personal accounts: shared or generic IDs are refused (PIA-III-3-c)."""

    code = "shared-account-refused"
    title = "Shared accounts cannot be registered"


@dataclass(frozen=True)
class StaffMember:
    staff_id: str
    name: str
    department: str
    roles: frozenset[Role]
    active: bool = True
    shared_account: bool = False

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


def validate_for_registry(member: StaffMember) -> None:
    """Refuse what the registry may not hold: shared accounts, malformed IDs, no roles."""
    if member.shared_account:
        raise SharedAccountRefused(
            f"{member.staff_id}: shared or generic accounts cannot be registered (PIA-III-3-c)"
        )
    if not STAFF_ID.match(member.staff_id):
        raise InvalidStaffRecord(f"staff id {member.staff_id!r} must be 3-64 letters, digits, '.', '_' or '-'")
    if not member.name.strip():
        raise InvalidStaffRecord(f"{member.staff_id}: a staff member needs a name")
    if not member.roles:
        raise InvalidStaffRecord(f"{member.staff_id}: a staff member needs at least one role")
