"""Per-person staff identities with role-based permissions (PIA-III-3-c, III-3-d)."""

import pytest

from shared.adapters.staff_registry import StaffRegistry
from shared.domain.roles import ROLE_PERMISSIONS, Permission, Role, UnknownRole, parse_roles
from shared.domain.staff import SharedAccountRefused, StaffMember, validate_for_registry


def test_every_role_grants_something() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert all(ROLE_PERMISSIONS[r] for r in Role)


def test_only_mynumber_clerks_may_read_search_or_write_my_numbers() -> None:
    holders = {r for r, perms in ROLE_PERMISSIONS.items()
               if perms & {Permission.MYNUMBER_READ, Permission.MYNUMBER_SEARCH, Permission.MYNUMBER_WRITE}}
    assert holders == {Role.MYNUMBER_CLERK}


def test_makers_are_not_checkers_by_default() -> None:
    assert Permission.CHANGE_CONFIRM in ROLE_PERMISSIONS[Role.CHECKER]
    assert Permission.CHANGE_CONFIRM not in ROLE_PERMISSIONS[Role.COUNTER_CLERK]


def test_unknown_role_names_are_an_error() -> None:
    with pytest.raises(UnknownRole):
        parse_roles(["counter-clerk", "superuser"])


def test_a_shared_account_cannot_be_registered() -> None:
    with pytest.raises(SharedAccountRefused):
        validate_for_registry(StaffMember("WINDOW01", "窓口共用", "窓口", frozenset({Role.COUNTER_CLERK}),
                                          shared_account=True))


def test_a_personal_account_can_be_registered() -> None:
    validate_for_registry(StaffMember("S2001", "熊本 花子", "窓口", frozenset({Role.COUNTER_CLERK})))


@pytest.mark.parametrize("member", [
    StaffMember("x", "a", "d", frozenset({Role.CHECKER})),
    StaffMember("S2002", " ", "d", frozenset({Role.CHECKER})),
    StaffMember("S2003", "a", "d", frozenset()),
])
def test_malformed_registrations_are_refused(member: StaffMember) -> None:
    with pytest.raises(ValueError):
        validate_for_registry(member)


def test_registry_round_trip_and_refusal(runtime) -> None:
    member = StaffMember("S2001", "熊本 花子", "窓口", frozenset({Role.COUNTER_CLERK, Role.CHECKER}))
    runtime.repository(StaffRegistry).register(member)
    assert runtime.repository(StaffRegistry).get("S2001") == member
    with pytest.raises(SharedAccountRefused):
        runtime.repository(StaffRegistry).register(StaffMember("SHARED1", "共用", "窓口", frozenset({Role.CHECKER}),
                                                               shared_account=True))
    assert runtime.repository(StaffRegistry).get("SHARED1") is None
