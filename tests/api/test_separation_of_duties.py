"""Separation of duties in staff administration (issue 18 item 1; PIA-III-2-l, III-3-c, III-3-d, III-8).

One operator alone could give a colleague maker + checker + My Number + auditor roles, bring back a retired
account, disable the only auditor or lock everyone out. Now: incompatible roles are refused with their reason;
granting roles, re-enabling and disabling auditors or operators need a second administrator; nothing may
leave no active auditor, checker or operator; nobody disables their own account.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from functions.platform.rules.separation import check_compatible
from shared.adapters.staff_registry import StaffRegistry
from shared.domain.roles import Role
from shared.domain.staff import StaffMember

OPERATOR, OPERATOR2, CHECKER, CHECKER2, AUDITOR, RETIRED = "S1008", "S1009", "S1003", "S1004", "S1007", "S1099"


def register(api, auth, roles: list[str], staff_id: str = "S3001"):
    return api.post("/staff", json={"staff_id": staff_id, "name": "新任 職員", "department": "保険年金課",
                                    "roles": roles}, headers=auth(OPERATOR))


def confirm(api, auth, proposal, by: str = OPERATOR2):
    return api.post(f"/platform/changes/{proposal.json()['request_id']}/confirm", headers=auth(by))


@pytest.mark.parametrize("roles", [
    ["counter-clerk", "checker"], ["mynumber-clerk", "checker"], ["collection-officer", "checker"],
    ["auditor", "counter-clerk"], ["auditor", "operator"], ["operator", "counter-clerk"], ["operator", "checker"],
    ["counter-clerk", "checker", "mynumber-clerk", "auditor"],
], ids=lambda r: "+".join(r))
def test_incompatible_roles_are_refused_with_the_reason(api: TestClient, auth, runtime, roles) -> None:
    r = register(api, auth, roles)
    assert r.status_code == 422 and r.json()["code"] == "incompatible-roles"
    assert "PIA-III" in r.json()["detail"]
    assert runtime.repository(StaffRegistry).get("S3001") is None


@pytest.mark.parametrize("roles", [["counter-clerk", "mynumber-clerk"], ["checker"], ["auditor"], ["operator"]],
                         ids=lambda r: "+".join(r))
def test_compatible_roles_pass(roles) -> None:
    """The twin: roles that may go together are accepted by the same check."""
    check_compatible(frozenset(Role(r) for r in roles))


def test_a_new_account_exists_only_once_a_second_operator_confirms(api: TestClient, auth, runtime) -> None:
    proposal = register(api, auth, ["counter-clerk"])
    assert proposal.status_code == 202 and runtime.repository(StaffRegistry).get("S3001") is None
    own = confirm(api, auth, proposal, by=OPERATOR)
    assert own.status_code == 403 and own.json()["code"] == "self-confirmation"
    by_checker = confirm(api, auth, proposal, by=CHECKER)  # a data checker is not a staff administrator
    assert by_checker.status_code == 403 and by_checker.json()["code"] == "forbidden"
    assert confirm(api, auth, proposal).status_code == 200
    assert runtime.repository(StaffRegistry).get("S3001").roles == frozenset({Role.COUNTER_CLERK})


def test_a_retired_account_comes_back_only_through_a_second_operator(api: TestClient, auth, runtime) -> None:
    proposal = api.patch(f"/staff/{RETIRED}", json={"active": True}, headers=auth(OPERATOR))
    assert proposal.status_code == 202
    assert api.get("/auth/me", headers=auth(RETIRED)).json()["code"] == "staff-disabled"  # not yet
    assert confirm(api, auth, proposal).status_code == 200
    assert api.get("/auth/me", headers=auth(RETIRED)).status_code == 200


def test_the_only_auditor_cannot_be_disabled(api: TestClient, auth, runtime) -> None:
    r = api.patch(f"/staff/{AUDITOR}", json={"active": False}, headers=auth(OPERATOR))
    assert r.status_code == 409 and r.json()["code"] == "last-holder-of-role" and "auditor" in r.json()["detail"]
    assert runtime.repository(StaffRegistry).get(AUDITOR).active


def test_one_of_two_checkers_goes_at_once_the_last_one_stays(api: TestClient, auth, runtime) -> None:
    first = api.patch(f"/staff/{CHECKER}", json={"active": False}, headers=auth(OPERATOR))
    assert first.status_code == 200 and first.json()["active"] is False  # an emergency disable takes effect now
    last = api.patch(f"/staff/{CHECKER2}", json={"active": False}, headers=auth(OPERATOR))
    assert last.status_code == 409 and last.json()["code"] == "last-holder-of-role"


def test_nobody_disables_their_own_account(api: TestClient, auth) -> None:
    r = api.patch(f"/staff/{OPERATOR}", json={"active": False}, headers=auth(OPERATOR))
    assert r.status_code == 403 and r.json()["code"] == "self-disable"


def test_disabling_an_operator_is_a_proposal_and_the_last_one_is_kept_at_confirmation(
        api: TestClient, auth, runtime) -> None:
    """Each proposal alone leaves one operator; confirming both would leave none: the second is refused then."""
    first = api.patch(f"/staff/{OPERATOR2}", json={"active": False}, headers=auth(OPERATOR))
    second = api.patch(f"/staff/{OPERATOR}", json={"active": False}, headers=auth(OPERATOR2))
    assert first.status_code == 202 and second.status_code == 202
    assert confirm(api, auth, second, by=OPERATOR2).status_code == 403  # own proposal
    runtime.repository(StaffRegistry).register(StaffMember("S1010", "運用 三郎", "情報政策課",
                                                           frozenset({Role.OPERATOR})))
    assert confirm(api, auth, first, by="S1010").status_code == 200  # S1009 disabled; S1008 and S1010 remain
    runtime.repository(StaffRegistry).set_active("S1010", False)  # S1010 leaves meanwhile (emergency)
    # The proposal about S1008 passed its check when it was made; confirmed now it would leave no operator.
    late = api.post(f"/platform/changes/{second.json()['request_id']}/confirm", headers=auth(OPERATOR))
    assert late.status_code == 409 and late.json()["code"] == "last-holder-of-role"
    assert runtime.repository(StaffRegistry).get(OPERATOR).active


def test_granting_roles_to_an_existing_account_is_a_proposal(api: TestClient, auth, runtime) -> None:
    proposal = api.patch("/staff/S1005", json={"roles": ["collection-officer", "mynumber-clerk"]},
                         headers=auth(OPERATOR))
    assert proposal.status_code == 202
    assert runtime.repository(StaffRegistry).get("S1005").roles == frozenset({Role.COLLECTION_OFFICER})
    assert confirm(api, auth, proposal).status_code == 200
    assert runtime.repository(StaffRegistry).get("S1005").roles == {Role.COLLECTION_OFFICER, Role.MYNUMBER_CLERK}
    clash = api.patch("/staff/S1005", json={"roles": ["collection-officer", "checker"]}, headers=auth(OPERATOR))
    assert clash.status_code == 422 and clash.json()["code"] == "incompatible-roles"
