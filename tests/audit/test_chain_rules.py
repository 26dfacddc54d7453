"""The pure rules of the audit log: what an event stores, how it is hashed and sealed, how the walk names what is
wrong (design rule 7; PIA-III-2-c, III-8). Expected values are written out by hand; the hash below was checked
with `sha256sum` on the literal canonical text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from shared.domain.audit_chain import GENESIS_HASH, Head, canonical_encoding, record_hash, seal_batch
from shared.domain.audit_events import SEALED_ATTRIBUTES, AuditEvent, bounded, event_id, event_item, id_floor, shard_of
from shared.domain.audit_verify import Digest, verify_chain
from shared.domain.mynumber import my_numbers_in

RECORD = {"day_shard": "2026-04-01#1", "event_id": "20260401T090000u000000Z-aaaaaa-ekaaaaaaaaaa",
          "at": "2026-04-01T09:00:00+00:00", "staff_id": "S1001", "action": "person.read", "outcome": "success",
          "target": "P0000000001", "purpose": "-", "request_id": "r-1", "detail": "{}", "chain": "main", "seq": 1,
          "prev_hash": GENESIS_HASH, "sealed_at": "2026-04-01T09:00:05+00:00"}
CANONICAL = (b'{"action":"person.read","at":"2026-04-01T09:00:00+00:00","chain":"main","day_shard":"2026-04-01#1",'
             b'"detail":"{}","event_id":"20260401T090000u000000Z-aaaaaa-ekaaaaaaaaaa","outcome":"success",'
             b'"prev_hash":"' + b"0" * 64 + b'","purpose":"-","request_id":"r-1",'
             b'"sealed_at":"2026-04-01T09:00:05+00:00","seq":1,"staff_id":"S1001","target":"P0000000001"}')
RECORD_HASH = "6e118b4b5907f1832cfaafd77ff7056bb05272cdfd16e495ba179f369bf744cf"  # sha256sum of CANONICAL


def test_the_hash_is_sha256_of_every_attribute_as_canonical_json() -> None:
    assert canonical_encoding(RECORD) == CANONICAL
    assert record_hash(RECORD) == RECORD_HASH
    assert record_hash({**RECORD, "hash": "anything"}) == RECORD_HASH  # the hash itself is not hashed


@pytest.mark.parametrize("name", sorted(SEALED_ATTRIBUTES - {"hash"}))
def test_every_stored_attribute_is_covered_by_the_hash(name: str) -> None:
    assert record_hash({**RECORD, name: "changed"}) != RECORD_HASH


def test_an_attribute_the_event_never_had_changes_the_hash_too() -> None:
    """The hash covers every attribute, not a fixed list: nothing can ride along unhashed."""
    assert record_hash({**RECORD, "note": "x"}) != RECORD_HASH


def test_sealing_links_events_after_the_head_and_drops_pending() -> None:
    events = [{k: v for k, v in RECORD.items() if k not in ("chain", "seq", "prev_hash", "sealed_at")}
              | {"pending": "1", "event_id": f"20260401T090000u00000{n}Z-aaaaaa-ekaaaaaaaaaa"} for n in (1, 2)]
    first, second = seal_batch(events, Head(7, "e" * 64), "2026-04-01T09:00:05+00:00")
    assert (first["seq"], first["prev_hash"], first["chain"]) == (8, "e" * 64, "main")
    assert (second["seq"], second["prev_hash"]) == (9, first["hash"])
    assert "pending" not in first and set(first) == SEALED_ATTRIBUTES
    assert first["sealed_at"] == second["sealed_at"] == "2026-04-01T09:00:05+00:00"


def test_event_ids_sort_by_time_and_carry_their_shard() -> None:
    at = datetime(2026, 4, 1, 18, 0, 0, 123456, tzinfo=timezone(timedelta(hours=9)))
    # counter 42 = 0x00002a and entropy 3fa94c1b02de, hex spelled 0→a … 9→j, a→k … f→p
    assert event_id(at, 42, "3fa94c1b02de") == "20260401T090000u123456Z-aaaack-dpkjemblacno"
    assert id_floor(at) == "20260401T090000u123456Z"
    assert shard_of("20260401T090000u123456Z-aaaack-dpkjemblacno") == 0x3f % 4 == 3
    later = datetime(2026, 4, 1, 9, 0, 0, 123457, tzinfo=UTC)
    assert event_id(at, 9, "ffffffffffff") < event_id(later, 0, "000000000000")
    assert event_id(at, 15, "000000000000") < event_id(at, 16, "000000000000")  # 00000p < 0000ba


def test_no_event_id_reads_as_a_my_number() -> None:
    """At 09:06:02.000000 UTC the old id's `090602000000` was a valid My Number (check digit 0), so the free-text
    guard refused `GET /audit/records/{event_id}` one time in ten; now no digit run is longer than eight."""
    at = datetime(2026, 4, 1, 9, 6, 2, tzinfo=UTC)
    assert my_numbers_in("20260401T090602000000Z-aaaaaa-ekaaaaaaaaaa")  # the twin: the old shape is caught
    # 000000000000 and 123456789018 are valid My Numbers themselves (check digits 0 and 8): only the lettering
    # keeps them out of the id — without it this assertion fails.
    assert my_numbers_in("123456789018") and my_numbers_in("000000000000")
    for counter, entropy in [(0, "000000000000"), (1, "123456789018"), (0xffffff, "999999999999")]:
        assert my_numbers_in(event_id(at, counter, entropy)) == []


def test_a_stored_event_is_bounded_and_never_holds_a_my_number() -> None:
    path = "/intake/persons/" + "x" * 2100
    item = event_item(AuditEvent("unverified:" + "s" * 500, "auth.refused", "refused", target=path,
                                 purpose="本人確認 123456789018", detail={"code": "bad", "long": "v" * 900}),
                      datetime(2026, 4, 1, 9, tzinfo=UTC), "20260401T090000u000000Z-aaaaaa-ekaaaaaaaaaa")
    assert len(item["target"]) == 256 and item["target"].startswith("/intake/persons/xxx")
    assert item["target"][-14:-12] == "…#" and len(item["staff_id"]) == 128
    assert item["purpose"] == "本人確認 [REDACTED-MYNUMBER]"
    assert item["day_shard"] == "2026-04-01#2" and item["pending"] == "2"  # 0x4a % 4
    assert '"long":"' + "v" * 498 + "…#" in item["detail"]


def test_bounded_keeps_short_values_and_tells_long_ones_apart() -> None:
    assert bounded("P0000000001", 256) == "P0000000001"
    assert bounded("", 16) == "-"
    assert bounded("a" * 300, 256) != bounded("a" * 299 + "b", 256)


# --- the walk, on hand-made chains ------------------------------------------------------------------------

def chain(n: int) -> list[dict]:
    events = [{**{k: v for k, v in RECORD.items() if k not in ("chain", "seq", "prev_hash", "sealed_at")},
               "event_id": f"20260401T090000u0000{i:02d}Z-aaaaaa-ekaaaaaaaaaa", "staff_id": f"S{i}"}
              for i in range(1, n + 1)]
    return seal_batch(events, Head(0, GENESIS_HASH), "2026-04-01T09:01:00+00:00")


def test_an_intact_chain_with_its_digest_and_head_verifies() -> None:
    records = chain(4)
    report = verify_chain(records, [Digest("d/4", 4, records[3]["hash"])], Head(4, records[3]["hash"]))
    assert report.ok and report.count == 4 and report.digests == 1 and report.latest.hash == records[3]["hash"]


def test_the_empty_chain_verifies() -> None:
    report = verify_chain([], [], Head(0, GENESIS_HASH))
    assert report.ok and report.count == 0 and report.latest == Head(0, GENESIS_HASH)


def test_a_record_moved_far_from_its_place_is_still_named_edited() -> None:
    """Past the reorder window the walk cannot tell where a record came from: it says edited, at that place."""
    records = chain(40)
    moved = {**records[0], "seq": 40}
    report = verify_chain([*records[1:39], moved])
    assert [f.kind for f in report.findings][:2] == ["deleted", "edited"]
    assert report.findings[1].seq == 40


def test_findings_beyond_fifty_are_counted_not_listed() -> None:
    records = [{**r, "staff_id": "x"} for r in chain(60)]
    report = verify_chain(records)
    assert len(report.findings) == 50 and report.omitted == 10 and report.kinds == {"edited"}
