"""Errors never echo what the client sent (docs/api-errors.md; issue 18 item 5): an id from the path, a value
from the body or the query could be anything a client typed — a My Number, markup, a log-injection line."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

MARKER = "P9Q9Z9Y9X9W9"  # shaped like an id, so patterns let it through to the route


def _calls(app) -> list[tuple[str, str]]:
    calls = []
    for path, operations in app.openapi()["paths"].items():
        if "{" in path:
            url = re.sub(r"\{\w+\}", MARKER, path)
            calls += [(method.upper(), url) for method in operations]
    return calls


def test_no_route_echoes_an_unknown_id_from_its_path(api: TestClient, auth) -> None:
    """Every route with a path parameter, called by a staff member of each kind who may call it."""
    echoed = []
    for method, url in _calls(api.app):
        for staff in ("S1002", "S1003", "S1006", "S1007", "S1008", "S1005"):
            body = {"reason": "x", "active": True, "response": "x"} if method in ("POST", "PATCH", "PUT") else None
            response = api.request(method, url, json=body, headers=auth(staff))
            if MARKER in response.text:
                echoed.append(f"{method} {url} as {staff}: {response.status_code}")
    assert echoed == []


def test_the_sweep_sees_an_echo(api: TestClient, auth, runtime) -> None:
    """The negative twin: a route that puts the id into its 404 is reported."""
    from fastapi import Depends

    from functions.registry import build_all
    from shared.api.auth import require
    from shared.api.routing import Router
    from shared.domain.errors import NotFound
    from shared.domain.roles import Permission

    echoing = Router()

    @echoing.get("/intake/echo/{thing_id}")
    def echo(thing_id: str, _=Depends(require(Permission.PERSON_READ))) -> dict:
        raise NotFound(f"no thing {thing_id}")

    app = build_all(runtime)
    app.include_router(echoing)
    client = TestClient(app, raise_server_exceptions=False)
    leaked = [url for method, url in _calls(app) if MARKER in client.request(method, url, headers=auth("S1003")).text]
    assert leaked == [f"/intake/echo/{MARKER}"]
