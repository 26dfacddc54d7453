"""Roles and the permissions they grant (PIA-III-3-c, III-3-d).

Routes declare the permission they need; a role is only a named bundle of permissions, so adding a role
never means touching a route.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum


class Permission(str, Enum):
    PERSON_READ = "person:read"
    PERSON_SEARCH = "person:search"
    MYNUMBER_READ = "mynumber:read"  # PIA-III-3-d: display
    MYNUMBER_SEARCH = "mynumber:search"  # PIA-III-3-d: search
    MYNUMBER_WRITE = "mynumber:write"  # PIA-III-3-d: update
    CHANGE_REQUEST = "change:request"  # maker (PIA-III-2-l)
    CHANGE_CONFIRM = "change:confirm"  # checker (PIA-III-2-l)
    INTAKE_WRITE = "intake:write"
    ASSESSMENT_READ = "assessment:read"
    COLLECTION_READ = "collection:read"  # a person's account: 調定, 収納, arrears, 延滞金, refunds (issue 14)
    COLLECTION_WRITE = "collection:write"
    TRANSFER_APPROVE = "transfer:approve"
    DELETION_RUN = "deletion:run"
    DISCLOSURE_HANDLE = "disclosure:handle"  # PIA-IV-1
    INQUIRY_HANDLE = "inquiry:handle"  # PIA-IV-2
    AUDIT_READ = "audit:read"  # PIA-III-2-c, III-8
    STAFF_ADMIN = "staff:admin"  # keeps staff IDs accurate (PIA-III-3-c)
    OPERATIONS = "operations"


class Role(str, Enum):
    COUNTER_CLERK = "counter-clerk"
    MYNUMBER_CLERK = "mynumber-clerk"
    CHECKER = "checker"
    COLLECTION_OFFICER = "collection-officer"
    DATA_STEWARD = "data-steward"
    AUDITOR = "auditor"
    OPERATOR = "operator"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.COUNTER_CLERK: frozenset(
        {P.PERSON_READ, P.PERSON_SEARCH, P.CHANGE_REQUEST, P.INTAKE_WRITE, P.ASSESSMENT_READ, P.INQUIRY_HANDLE,
         P.COLLECTION_READ}
    ),
    Role.MYNUMBER_CLERK: frozenset(
        {
            P.PERSON_READ,
            P.PERSON_SEARCH,
            P.MYNUMBER_READ,
            P.MYNUMBER_SEARCH,
            P.MYNUMBER_WRITE,
            P.CHANGE_REQUEST,
            P.INTAKE_WRITE,
            P.INQUIRY_HANDLE,
        }
    ),
    Role.CHECKER: frozenset({P.PERSON_READ, P.PERSON_SEARCH, P.CHANGE_CONFIRM, P.ASSESSMENT_READ, P.COLLECTION_READ}),
    Role.COLLECTION_OFFICER: frozenset(
        {P.PERSON_READ, P.PERSON_SEARCH, P.CHANGE_REQUEST, P.ASSESSMENT_READ, P.COLLECTION_READ, P.COLLECTION_WRITE}
    ),
    Role.DATA_STEWARD: frozenset(
        {P.PERSON_READ, P.CHANGE_REQUEST, P.TRANSFER_APPROVE, P.DELETION_RUN, P.DISCLOSURE_HANDLE,
         P.INQUIRY_HANDLE}
    ),
    Role.AUDITOR: frozenset({P.AUDIT_READ}),
    Role.OPERATOR: frozenset({P.OPERATIONS, P.STAFF_ADMIN}),
}


class UnknownRole(ValueError):
    pass


def parse_roles(names: Iterable[str]) -> frozenset[Role]:
    """Turn stored role names into Roles; an unknown name is an error, not a silent drop."""
    roles = set()
    for name in names:
        try:
            roles.add(Role(name))
        except ValueError:
            raise UnknownRole(f"unknown role {name!r}; known: {', '.join(r.value for r in Role)}") from None
    return frozenset(roles)


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)
