"""Change routes belong to their workflow (design rule 6; issue 9): each workflow's maker-checker routes take only
the kinds of record it declares, and see, confirm and reject only its own requests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from functions.deletion.workflow import WORKFLOW as DELETION
from functions.intake.workflow import WORKFLOW as INTAKE
from shared.adapters.persons import PersonRepository
from shared.api import change_routes
from shared.domain.changes import Operation
from shared.protection.changes import ChangeService, KindNotInWorkflow
from shared.protection.entities import PERSON

CLERK, CHECKER = "S1001", "S1003"
JIRO = "P0000000004"
ADDRESS_CHANGE = {"operation": "update", "person_id": JIRO, "values": {"address": "熊本市東区健軍2-2-2"},
                  "reason": "住所変更届"}


def _propose_in_intake(api: TestClient, auth) -> str:
    r = api.post("/intake/changes", json=ADDRESS_CHANGE, headers=auth(CLERK))
    assert r.status_code == 202, r.text
    return r.json()["request_id"]


@pytest.mark.parametrize("workflow", ["assessment", "collection", "transfer", "deletion"])
def test_a_workflow_that_does_not_change_persons_takes_no_person_change(api: TestClient, auth, runtime,
                                                                        workflow: str) -> None:
    """Today's hole: a clerk changed a person's address through /deletion/changes."""
    r = api.post(f"/{workflow}/changes", json=ADDRESS_CHANGE, headers=auth(CLERK))
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"
    assert runtime.repository(PersonRepository).get(JIRO)["address"] == "熊本市東区健軍1-2-3"


def test_intake_which_declares_persons_takes_the_same_change(api: TestClient, auth) -> None:
    """The twin: the route is there where the workflow declares the person kind."""
    assert _propose_in_intake(api, auth).startswith("CR")


def test_the_service_refuses_a_kind_its_workflow_does_not_declare(runtime) -> None:
    """Below the routes too: a service built for the deletion workflow cannot propose a person change."""
    with pytest.raises(KindNotInWorkflow) as refused:
        ChangeService(runtime, DELETION).propose(maker=CLERK, operation=Operation.UPDATE, person_id=JIRO,
                                                 values={"address": "熊本市東区健軍9-9-9"}, reason="x", request_id="r")
    assert refused.value.code == "entity-kind-not-in-workflow"
    created = ChangeService(runtime, INTAKE).propose(maker=CLERK, operation=Operation.UPDATE, person_id=JIRO,
                                                     values={"address": "熊本市東区健軍9-9-9"}, reason="x",
                                                     request_id="r")
    assert created.workflow == "intake" and created.entity == "person"


@pytest.mark.parametrize("action", ["confirm", "reject"])
def test_another_workflow_cannot_decide_intakes_request(api: TestClient, auth, runtime, action: str) -> None:
    """Today's hole: GET checked the workflow, confirm did not."""
    request_id = _propose_in_intake(api, auth)
    body = {"reason": "他業務から"} if action == "reject" else None
    r = api.post(f"/deletion/changes/{request_id}/{action}", json=body, headers=auth(CHECKER))
    assert r.status_code == 404 and r.json()["code"] == "not-found"
    assert api.get(f"/deletion/changes/{request_id}", headers=auth(CHECKER)).status_code == 404
    assert request_id not in [c["request_id"] for c in
                              api.get("/deletion/changes", headers=auth(CHECKER)).json()["changes"]]
    assert request_id in [c["request_id"] for c in api.get("/intake/changes", headers=auth(CHECKER)).json()["changes"]]
    assert runtime.repository(PersonRepository).get(JIRO)["address"] == "熊本市東区健軍1-2-3"
    # The twin: its own workflow decides it.
    decided = api.post(f"/intake/changes/{request_id}/{action}", json=body, headers=auth(CHECKER))
    assert decided.status_code == 200 and decided.json()["status"] == {"confirm": "confirmed",
                                                                       "reject": "rejected"}[action]


def test_the_routes_name_the_person_kind_the_service_declares() -> None:
    """change_routes avoids importing the service at start-up; the kind's name it uses must be the same."""
    assert PERSON.name == change_routes.PERSON_KIND
