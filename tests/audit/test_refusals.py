"""Noise is not evidence: refused, unauthenticated requests are recorded, but at a bounded rate, so a flood of
forged tokens cannot slow or break signed-in work (issue 10; design rule 7; PIA-III-3-f)."""

from __future__ import annotations

import pytest

from shared.adapters.audit_refusals import RefusalRecorder
from shared.domain.audit_events import AuditEvent
from tests.audit_events import audit_events

CLERK = "S1001"


class Monotonic:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def seconds(runtime) -> Monotonic:
    """Install a recorder of 5 refusals a second with a burst of 10, on a clock the test moves."""
    clock = Monotonic()
    runtime.__dict__["refusals"] = RefusalRecorder(runtime.audit, runtime.clock, rate=5, burst=10, monotonic=clock)
    return clock


def suppressed_in(events: list[dict]) -> int:
    return sum(int(e["detail"].get("suppressed", "0")) for e in events)


def test_forged_tokens_cannot_break_genuine_requests(api, token_for, runtime, seconds) -> None:
    """Issue 10: 40 forged-token requests made 7 genuine ones fail with 500. Now each genuine one succeeds and
    writes its own event; the refusals write 10 events, and the other 30 are counted, not lost."""
    genuine = {"Authorization": f"Bearer {token_for(CLERK)}"}
    statuses = []
    for n in range(40):
        assert api.get("/intake/persons/P0000000001",
                       headers={"Authorization": f"Bearer forged.{n}.token"}).status_code == 401
        if n % 6 == 0:
            statuses.append(api.get("/intake/persons/P0000000001", headers=genuine).status_code)
    assert statuses == [200] * 7
    assert len(audit_events(runtime, "person.read")) == 7
    refused = audit_events(runtime, "auth.refused")
    assert len(refused) == 10 and runtime.refusals.suppressed == 30
    seconds.now += 1.0  # a second later the bucket has refilled: the next refusal carries the count
    api.get("/auth/me", headers={"Authorization": "Bearer forged.again.token"})
    refused = audit_events(runtime, "auth.refused")
    assert len(refused) == 11 and suppressed_in(refused) == 30 and runtime.refusals.suppressed == 0
    assert refused[-1]["detail"]["suppressed_by_code"] == "invalid-token=30"


def test_the_twin_below_the_rate_every_refusal_is_its_own_event(api, runtime, seconds) -> None:
    for n in range(10):
        api.get("/auth/me", headers={"Authorization": f"Bearer forged.{n}.token"})
    refused = audit_events(runtime, "auth.refused")
    assert len(refused) == 10 and suppressed_in(refused) == 0 and runtime.refusals.suppressed == 0


def test_a_request_without_a_token_is_recorded_too(api, runtime) -> None:
    r = api.get("/auth/me")
    assert r.status_code == 401 and r.json()["code"] == "missing-token"
    [event] = audit_events(runtime, "auth.refused")
    assert (event["staff_id"], event["target"], event["detail"]) == ("anonymous", "/auth/me",
                                                                     {"code": "missing-token"})


def test_a_refusal_whose_write_fails_is_counted_for_the_next(runtime) -> None:
    class Failing:
        def append(self, event: AuditEvent) -> dict:
            from shared.domain.errors import AuditAppendFailed

            raise AuditAppendFailed("down")

    clock = Monotonic()
    recorder = RefusalRecorder(Failing(), runtime.clock, rate=5, burst=10, monotonic=clock)  # type: ignore[arg-type]
    event = AuditEvent("anonymous", "auth.refused", "refused", detail={"code": "missing-token"})
    assert recorder.record(event, "missing-token") is False
    assert recorder.suppressed == 1
    recorder._audit = runtime.audit  # the table is back
    assert recorder.record(event, "missing-token") is True
    [written] = audit_events(runtime, "auth.refused")
    assert written["detail"]["suppressed"] == "1" and recorder.suppressed == 0
