"""Sweep every route of the OpenAPI document with a token of every role: no response carries a My Number
except the permitted single-person views (PIA-III-2-a, III-2-e, III-3-a, III-3-d)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

from functions.registry import build_all
from shared.adapters.persons import PersonRepository
from shared.api.auth import Principal, get_runtime, require
from shared.domain.roles import Permission, Role
from shared.local.demo_data import DEMO_PERSONS, demo_my_number
from shared.local.demo_staff import demo_staff_with_role

KNOWN_NUMBERS = [demo_my_number(p[-1]) for p in DEMO_PERSONS if p[-1]]
TARO = "P0000000001"
# The single-person views that may show the number, to staff whose permissions allow it.
PERMITTED = {("GET", "/intake/persons/{person_id}"), ("GET", "/intake/disclosures/{receipt}")}
BODIES = {
    "/intake/persons/search": {"name_kana": "クマモト タロウ"},
    "/intake/persons/search-by-my-number": {"my_number": KNOWN_NUMBERS[0], "purpose": "sweep"},
    "/intake/changes": {"operation": "update", "person_id": TARO, "values": {"address": "熊本市中央区1"},
                        "reason": "sweep"},
    "/intake/disclosures": {"person_id": TARO, "requester": "self", "identity_documents": ["passport"]},
    "/intake/inquiries": {"person_id": TARO, "channel": "counter", "subject": "sweep"},
    "/transfer/exports": {"counterparty": "kouiki-rengo", "purpose": "eligibility", "person_ids": [TARO]},
    "/audit/search": {"limit": 50},
}


def leaks(text: str) -> list[str]:
    return [n for n in KNOWN_NUMBERS if n in text]


def sweep(app: FastAPI, auth: Callable[[str], dict[str, str]], params: dict[str, str]) -> list[str]:
    """Call every operation as every role; return 'METHOD path as role' for each response that leaks."""
    client = TestClient(app, raise_server_exceptions=False)
    # One session per role; signing out ends it, so a role that has just signed out signs in again.
    headers = {role: auth(demo_staff_with_role(role).staff_id) for role in Role}
    found = []
    for path, operations in app.openapi()["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: params.get(m.group(1), "X"), path)
        if "{receipt}" in path:
            url = url.replace("RECEIPT", params["disclosure" if "disclosures" in path else "inquiry"])
        for method in operations:
            for role in Role:
                query = {"purpose": "sweep", "limit": "500"}
                body = BODIES.get(path) if method == "post" else None
                response = client.request(method.upper(), url, params=query, json=body, headers=headers[role])
                if path.endswith("/logout"):
                    headers[role] = auth(demo_staff_with_role(role).staff_id)
                assert response.status_code != 401, f"{method} {path} as {role.value}: {response.text}"
                if not leaks(response.text):
                    continue
                if (method.upper(), path) in PERMITTED and response.status_code == 200:
                    view = response.json().get("record", response.json())
                    if view.get("name") and view.get("birth_date") and view.get("address"):
                        continue  # the permitted single-person view, complete (PIA-III-2-e)
                found.append(f"{method.upper()} {path} as {role.value}")
    return found


def _params(api: TestClient, auth) -> dict[str, str]:
    change = api.post("/intake/changes", json=BODIES["/intake/changes"], headers=auth("S1001")).json()
    disclosure = api.post("/intake/disclosures", json=BODIES["/intake/disclosures"], headers=auth("S1006")).json()
    inquiry = api.post("/intake/inquiries", json=BODIES["/intake/inquiries"], headers=auth("S1001")).json()
    return {"person_id": TARO, "request_id": change["request_id"], "receipt": "RECEIPT", "seq": "1",
            "staff_id": "S1001", "disclosure": disclosure["receipt_number"], "inquiry": inquiry["receipt_number"]}


def test_no_route_shows_a_my_number_outside_the_permitted_single_person_views(api: TestClient, auth) -> None:
    params = _params(api, auth)
    assert sweep(api.app, auth, params) == []


def test_the_permitted_view_really_shows_it_to_the_mynumber_clerk(api: TestClient, auth) -> None:
    """The sweep is not vacuous: the one place the number may appear does show it."""
    r = api.get(f"/intake/persons/{TARO}", params={"purpose": "sweep"}, headers=auth("S1002"))
    assert leaks(r.text) == [KNOWN_NUMBERS[0]]


def test_the_sweep_catches_a_route_that_leaks(api: TestClient, auth, runtime) -> None:
    """The negative twin: a list route that decrypts numbers is reported."""
    leaky = APIRouter()

    @leaky.get("/intake/leaky-list")
    def leaky_list(_: Principal = Depends(require(Permission.PERSON_READ)), rt=Depends(get_runtime)) -> list:
        record = rt.repository(PersonRepository).get(TARO)
        return [{"person_id": TARO, "number": rt.vault.decrypt(record["mynumber_enc"]).digits}]

    app = build_all(runtime)  # its own app: the shared one must not keep the leaky route
    app.include_router(leaky)
    found = sweep(app, auth, _params(api, auth))
    assert "GET /intake/leaky-list as counter-clerk" in found
