"""The sealer links written events into one chain, in order, shortly after they are written; two sealers at once
cannot fork it (issue 10; design rule 7; PIA-III-2-c, III-8)."""

from __future__ import annotations

from datetime import timedelta

from functions.platform.batch import seal_audit_log
from functions.platform.services.audit_chain import seal, verify
from shared.adapters.audit_log import AuditEvent, AuditLog
from shared.adapters.audit_sealer import AuditSealer, SealerState
from shared.domain.audit_chain import GENESIS
from tests.audit.conftest import NOW, append

SEALED_ITEM = {"day_shard", "event_id", "at", "staff_id", "action", "outcome", "target", "purpose", "request_id",
               "detail", "chain", "seq", "prev_hash", "sealed_at", "hash"}


def chain_of(runtime) -> list[tuple[int, str]]:
    return [(int(r["seq"]), r["staff_id"]) for r in runtime.audit.chain()]


def test_events_are_sealed_in_id_order_and_a_late_one_after_them(runtime, clock) -> None:
    append(runtime, 2)
    assert seal(runtime, NOW).sealed == 3  # the demo seed's event and two more
    late = AuditLog(runtime.clients.client("dynamodb"), runtime.table_name("audit-log"),
                    lambda: clock() - timedelta(minutes=1))  # another instance, its clock a minute behind
    late.append(AuditEvent("LATE", "x", "success"))
    assert seal(runtime, NOW).sealed == 1
    assert chain_of(runtime) == [(1, "system"), (2, "S0"), (3, "S1"), (4, "LATE")]
    assert verify(runtime).ok


def test_a_sealed_item_holds_exactly_the_event_and_its_seal(runtime) -> None:
    append(runtime, 1)
    seal(runtime, NOW)
    assert {frozenset(r) for r in runtime.audit.chain()} == {frozenset(SEALED_ITEM)}


def test_events_younger_than_the_settle_time_wait_for_the_next_run(runtime, clock) -> None:
    seal(runtime, NOW)  # the demo seed's event, written whenever the shared moto world was built
    append(runtime, 2)
    assert seal(runtime).sealed == 0  # written "now": still settling
    clock.advance(seconds=3)
    assert seal(runtime).sealed == 2


def test_two_sealers_at_once_do_not_fork_the_chain(runtime, hook_calls) -> None:
    """Sealer A read the head before sealer B moved it: A's claim is refused and A starts again from B's head."""
    append(runtime, 4)
    b = AuditSealer(runtime.clients.client("dynamodb"), runtime.table_name("audit-log"), runtime.clock)
    assert b.seal(runtime.clock(), limit=2).sealed == 2
    a = AuditSealer(runtime.clients.client("dynamodb"), runtime.table_name("audit-log"), runtime.clock)
    real_state = a.state
    stale = iter([SealerState(GENESIS, None)])
    a.state = lambda: next(stale, None) or real_state()  # type: ignore[method-assign]
    assert a.seal(runtime.clock()).sealed == 3
    assert [seq for seq, _ in chain_of(runtime)] == [1, 2, 3, 4, 5]
    head_writes = [c for c in hook_calls() if c[0] == "UpdateItem"]
    assert len(head_writes) == 2 * 2 + 5 + 1  # claim + finalize per seal, one update per event, A's lost claim
    assert verify(runtime).ok


def test_a_seal_stopped_halfway_is_finished_by_the_next_run(runtime, clock) -> None:
    """Claimed and half applied, then the sealer died: verify sees a seal in flight, not tampering; after the
    sealing delay it says the sealer stopped; the next run finishes the claim and the chain verifies."""
    append(runtime, 3)
    sealer = runtime.audit_sealer
    events = sealer._current(list(sealer.unsealed()))
    claim = sealer._claim(GENESIS, events)
    assert claim is not None and claim.end.seq == 4
    sealer._apply(claim._replace(records=claim.records[:2]))  # it stopped after two of four
    assert verify(runtime).ok
    clock.advance(minutes=3)
    report = verify(runtime)
    assert report.kinds == {"unsealed-overdue"} and "records 1–4 was claimed" in report.findings[0].message
    assert seal(runtime, NOW).sealed == 0  # nothing new: it only finished the claim
    assert sealer.state() == SealerState(claim.end, None)
    assert chain_of(runtime) == [(1, "system"), (2, "S0"), (3, "S1"), (4, "S2")] and verify(runtime).ok


def test_the_scheduled_sealer_seals_in_passes_and_anchors_one_digest(runtime) -> None:
    append(runtime, 3)
    runtime.clock.advance(seconds=3)
    result = seal_audit_log({"passes": 2, "interval": 0}, None, runtime=runtime)
    assert (result["sealed"], result["head_seq"]) == (4, 4)
    s3, bucket = runtime.clients.client("s3"), runtime.bucket_name("audit")
    [digest] = s3.list_object_versions(Bucket=bucket, Prefix="digests/")["Versions"]
    assert digest["Key"] == result["digest"] == f"digests/000000000004-{result['head_hash']}.json"
    assert s3.head_object(Bucket=bucket, Key=digest["Key"])["ObjectLockMode"] == "COMPLIANCE"


def test_the_twin_a_run_with_nothing_to_seal_anchors_nothing(runtime) -> None:
    runtime.clock.advance(seconds=3)
    seal_audit_log({"passes": 1}, None, runtime=runtime)  # seals the seed's event
    result = seal_audit_log({"passes": 1}, None, runtime=runtime)
    assert (result["sealed"], result["digest"]) == (0, None)
    versions = runtime.clients.client("s3").list_object_versions(Bucket=runtime.bucket_name("audit"),
                                                                 Prefix="digests/")["Versions"]
    assert len(versions) == 1
