"""Separation of duties among staff (PIA-III-2-l, III-3-c, III-3-d, III-8): which roles one person may not hold
together, and which roles must always have an active holder.

Pure: the staff administration service applies these to proposals and again when a change is confirmed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from shared.domain.errors import Conflict, Invalid
from shared.domain.roles import ROLE_PERMISSIONS, Permission, Role

__all__ = ["ALWAYS_HELD", "INCOMPATIBLE", "IncompatibleRoles", "LastHolder", "check_compatible", "check_still_held"]


class IncompatibleRoles(Invalid):
    code = "incompatible-roles"
    title = "These roles may not be held by one person"


class LastHolder(Conflict):
    code = "last-holder-of-role"
    title = "The last active holder of a role"


class Incompatibility(NamedTuple):
    first: frozenset[Role]
    second: frozenset[Role]
    reason: str


def _granting(permission: Permission) -> frozenset[Role]:
    return frozenset(role for role, granted in ROLE_PERMISSIONS.items() if permission in granted)


MAKERS = _granting(Permission.CHANGE_REQUEST)
CHECKERS = _granting(Permission.CHANGE_CONFIRM)
PERSONAL_DATA = _granting(Permission.PERSON_READ) | _granting(Permission.MYNUMBER_READ)

INCOMPATIBLE: tuple[Incompatibility, ...] = (
    Incompatibility(MAKERS, CHECKERS,
                    "a change is made by one person and confirmed by another (PIA-III-2-l): one person holding "
                    "both could confirm what a colleague's account proposed on their behalf"),
    Incompatibility(frozenset({Role.AUDITOR}), frozenset(Role) - {Role.AUDITOR},
                    "the auditor inspects everyone's use of specific personal information, the auditor's own "
                    "included (PIA-III-8): an auditor does no operational work"),
    Incompatibility(frozenset({Role.OPERATOR}), PERSONAL_DATA,
                    "who administers staff accounts does not use personal data: an administrator could otherwise "
                    "grant himself any access (PIA-III-3-d)"),
)
# Roles that must keep an active holder: nobody could otherwise confirm changes, inspect use, or administer staff.
ALWAYS_HELD = (Role.AUDITOR, Role.CHECKER, Role.OPERATOR)


def check_compatible(roles: Iterable[Role]) -> None:
    held = frozenset(roles)
    for rule in INCOMPATIBLE:
        clash_first, clash_second = held & rule.first, held & rule.second
        if clash_first and clash_second and (clash_first | clash_second) != clash_first & clash_second:
            names = ", ".join(sorted(r.value for r in clash_first | clash_second))
            raise IncompatibleRoles(f"{names}: {rule.reason}")


def check_still_held(active_roles: Iterable[frozenset[Role]]) -> None:
    """Refuse a staff change after which a role of ALWAYS_HELD would have no active holder."""
    held = frozenset().union(*active_roles)
    missing = [role.value for role in ALWAYS_HELD if role not in held]
    if missing:
        raise LastHolder(f"no active staff member would hold {', '.join(missing)}; another must hold it first")
