"""Every list route answers a page at a time (issue 11; shared/api/pages.py): `limit` up to a maximum,
`next_cursor` to go on, and a cursor that is not this list's is a 422 problem, never a 500 or another list."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from shared.adapters.transfer_queue import TransferQueue
from shared.api.pages import MAX_LIMIT
from shared.domain.counterparties import KOUIKI_RENGO

CLERK, OPERATOR = "S1001", "S1008"
# The list routes of the API and who may read them; the sweep below fails when a GET route that takes
# `limit` is missing here, and when a route here lost its pages.
LISTS = {"/intake/kouiki-queue": CLERK, "/intake/discrepancies": CLERK, "/intake/changes": CLERK,
         "/intake/reaching-75": CLERK,
         "/intake/persons/P0000000001/certificates": CLERK, "/intake/households/H0000000001": CLERK,
         "/platform/changes": OPERATOR,
         "/assessment/changes": "S1004", "/collection/changes": "S1005", "/transfer/changes": "S1003",
         "/deletion/changes": "S1006", "/jobs": OPERATOR, "/staff": OPERATOR,
         "/transfer/approvals": "S1003", "/transfer/ledger": "S1007"}
PERIODIC = ("reaching-75", "/transfer/ledger")  # lists of a period: from/to
PERIOD = {"from": "2026-04-01", "to": "2027-03-31"}


def _queue(runtime, count: int) -> list[str]:
    queue, now = runtime.repository(TransferQueue), runtime.clock()
    writer = runtime.batch_writer()
    ids = []
    for n in range(count):
        item = TransferQueue.record(kind="insured-person-changed", counterparty=KOUIKI_RENGO, entity_id=f"P{n:010d}",
                                    reference=f"test:{n}", at=now + timedelta(seconds=n), queue_id=f"QTEST{n:03d}",
                                    summary={})
        writer.put(queue.table, item)
        ids.append(item["queue_id"])
    writer.flush()
    return ids


def test_the_kouiki_queue_comes_in_pages_that_add_up_to_the_whole(api: TestClient, auth, runtime) -> None:
    queued = _queue(runtime, 7)
    seen, cursor, pages = [], None, 0
    while True:
        r = api.get("/intake/kouiki-queue", params={"limit": 3, **({"cursor": cursor} if cursor else {})},
                    headers=auth(CLERK))
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["ready"]) <= 3
        seen += [q["queue_id"] for q in body["ready"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == queued and pages == 3  # oldest first, nothing twice, nothing left out


def test_a_limit_over_the_maximum_is_refused(api: TestClient, auth) -> None:
    for path, staff in LISTS.items():
        params = PERIOD if path.endswith(PERIODIC) or "reaching-75" in path else {}
        assert api.get(path, params={**params, "limit": MAX_LIMIT}, headers=auth(staff)).status_code == 200, path
        r = api.get(path, params={**params, "limit": MAX_LIMIT + 1}, headers=auth(staff))
        assert r.status_code == 422 and r.json()["code"] == "validation-failed", path


def test_a_cursor_that_is_not_the_lists_own_is_a_problem(api: TestClient, auth, runtime) -> None:
    _queue(runtime, 3)
    queue_cursor = api.get("/intake/kouiki-queue", params={"limit": 1}, headers=auth(CLERK)).json()["next_cursor"]
    assert queue_cursor
    for path, staff in LISTS.items():
        params = PERIOD if path.endswith(PERIODIC) or "reaching-75" in path else {}
        for cursor in ("not a cursor", "eyJ4IjogMX0", queue_cursor):
            if path == "/intake/kouiki-queue" and cursor == queue_cursor:
                continue
            r = api.get(path, params={**params, "cursor": cursor}, headers=auth(staff))
            assert r.status_code == 422 and r.json()["code"] == "invalid-cursor", (path, cursor, r.text)
    # Its twin: the list's own cursor is taken.
    r = api.get("/intake/kouiki-queue", params={"cursor": queue_cursor}, headers=auth(CLERK))
    assert r.status_code == 200 and len(r.json()["ready"]) == 2


def test_every_list_route_is_paginated(api: TestClient) -> None:
    paged = set()
    for path, operations in api.app.openapi()["paths"].items():
        query = {p["name"] for p in operations.get("get", {}).get("parameters", []) if p["in"] == "query"}
        if {"limit", "cursor"} <= query:
            paged.add(re.sub(r"\{household_id\}", "H0000000001", re.sub(r"\{person_id\}", "P0000000001", path)))
    listed = set(LISTS)
    assert listed <= paged
    # Lists of other shapes: a chunk list per job (paged too), documents per application (paged too), the 突合 list
    # of a 年度 (its cursor is the next person id).
    assert paged - listed == {"/jobs/{job_id}/chunks", "/intake/ryoyohi/{application_id}/documents",
                              "/assessment/discrepancies"}
