"""Tampering with the sealed audit log is detected and named by `choju audit-log verify`, which exits 1 (issue 10;
design rule 7; PIA-III-2-c, III-8).

The chain: eight sealed records, digests anchored at records 5 and 8. Each attack runs against it as someone with
write access to the table would run it; its twin runs the same steps without the attack and verifies. Hashes the
attacker needs are computed from the documented format (conftest.forge_hash), not with the code under test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from botocore.exceptions import ClientError

from functions.platform.services.audit_chain import verify
from shared.cli.main import main
from tests.audit.conftest import NOW, Attacker, SealedChain, forge_hash


def edit(a: Attacker) -> None:
    """Change what a sealed record says (the purpose of a My Number read), keeping its hash."""
    a.put({**a.records()[3], "purpose": "書き換え"})


def delete_middle(a: Attacker) -> None:
    a.delete(4)


def delete_newest(a: Attacker) -> None:
    """Remove the three newest records, and wind the sealer's head back to match: only the digest remains."""
    for seq in (6, 7, 8):
        a.delete(seq)
    a.set_head(5, a.records()[5]["hash"])


def insert(a: Attacker) -> None:
    """Add a forged record as record 4, properly linked to record 3 and hashed."""
    forged = {**a.records()[4], "event_id": "20260401T090000u000000Z-aaaaaa-aaaaaaaaaaaa", "staff_id": "S9999",
              "action": "person.mynumber-read", "prev_hash": a.records()[3]["hash"]}
    forged["hash"] = forge_hash(forged)
    a.put(forged)


def reorder(a: Attacker) -> None:
    """Swap the places of records 3 and 4."""
    records = a.records()
    a.put({**records[3], "seq": 4})
    a.put({**records[4], "seq": 3})


def rewrite(a: Attacker) -> None:
    """Edit record 3 and re-hash everything after it, head included: a history consistent in itself."""
    records, prev = a.records(), None
    for seq in range(3, 9):
        record = {**records[seq], **({"staff_id": "S9999"} if seq == 3 else {}), "prev_hash": prev or
                  records[seq]["prev_hash"]}
        record["hash"] = prev = forge_hash(record)
        a.put(record)
    a.set_head(8, prev)


def extra_attribute(a: Attacker) -> None:
    """Add an attribute to a sealed record, which the API would otherwise serve."""
    a.put({**a.records()[2], "note": "approved by the director"})


def hide_digest(a: Attacker, chain: SealedChain) -> None:
    """Try to delete the newest digest: its version is refused by Object Lock; a plain delete only adds a
    marker. Then truncate the tail so that only that digest could tell."""
    s3, bucket = a.runtime.clients.client("s3"), a.runtime.bucket_name("audit")
    version = s3.list_object_versions(Bucket=bucket, Prefix=chain.digests[1])["Versions"][0]["VersionId"]
    with pytest.raises(ClientError) as refused:
        s3.delete_object(Bucket=bucket, Key=chain.digests[1], VersionId=version)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    s3.delete_object(Bucket=bucket, Key=chain.digests[1])  # allowed: a delete marker, the version stays
    delete_newest(a)


# name, attack, the kinds verify must report, what its message must say
ATTACKS: list[tuple[str, Callable[..., None], set[str], str]] = [
    ("edit", edit, {"edited"}, "[edited] record 3 "),
    ("delete a middle record", delete_middle, {"deleted"}, "[deleted] record 4 is missing"),
    ("delete the newest records", delete_newest, {"truncated"},
     "[truncated] digest digests/000000000008-"),
    ("insert a record", insert, {"inserted"},
     "[inserted] record 4 appears 2 times: event(s) 20260401T090000u000000Z-aaaaaa-aaaaaaaaaaaa were inserted"),
    ("reorder two records", reorder, {"reordered"}, "[reordered] record 3 was sealed as record 4"),
    ("rewrite history consistently", rewrite, {"rewritten"},
     "[rewritten] digest digests/000000000005-"),
    ("add an attribute", extra_attribute, {"extra-attribute"},
     "[extra-attribute] record 2 has attribute(s) 'note' outside its hash"),
]


@pytest.mark.parametrize("name, attack, kinds, says", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_the_attack_fails_verify_and_is_named(sealed: SealedChain, operator_env, capsys, name: str, attack,
                                              kinds: set[str], says: str) -> None:
    attack(sealed.attacker)
    assert verify(sealed.runtime).kinds == kinds
    assert main(["audit-log", "verify"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("BROKEN") and says in out


@pytest.mark.parametrize("name", [a[0] for a in ATTACKS] + ["delete a digest"])
def test_the_twin_without_the_attack_verifies(sealed: SealedChain, operator_env, capsys, name: str) -> None:
    """The same chain and the same command, untouched: OK, so each failure above is the attack's doing."""
    report = verify(sealed.runtime)
    assert report.ok and report.count == 8 and report.digests == 2
    assert main(["audit-log", "verify"]) == 0
    assert capsys.readouterr().out.startswith("OK: 8 records")


def test_a_deleted_digest_is_refused_by_object_lock_and_still_checked(sealed: SealedChain, operator_env,
                                                                      capsys) -> None:
    hide_digest(sealed.attacker, sealed)
    report = verify(sealed.runtime)
    assert report.kinds == {"truncated", "digest-hidden"}
    assert main(["audit-log", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"[digest-hidden] digest {sealed.digests[1]} is behind a delete marker" in out
    assert f"[truncated] digest {sealed.digests[1]} anchors record 8 but the chain ends at record 5" in out


def test_newest_records_deleted_without_touching_the_head_are_named_twice(sealed: SealedChain) -> None:
    for seq in (6, 7, 8):
        sealed.attacker.delete(seq)
    messages = [f.message for f in verify(sealed.runtime).findings]
    assert any(m.startswith("the sealer's head is record 8 but the chain ends at record 5") for m in messages)
    assert any("anchors record 8 but the chain ends at record 5: the newest 3 record(s)" in m for m in messages)


def test_a_forged_record_appended_after_the_head_is_inserted(sealed: SealedChain) -> None:
    """Someone who can hash can append a well-formed record 9; the sealer's head did not move, so it shows."""
    eighth = sealed.attacker.records()[8]
    forged = {**eighth, "event_id": "29990101T000000000000Z-000000-000000000000", "seq": 9,
              "prev_hash": eighth["hash"]}
    forged["hash"] = forge_hash(forged)
    sealed.attacker.put(forged)
    report = verify(sealed.runtime)
    assert [(f.kind, f.seq) for f in report.findings] == [("inserted", 9)]


def test_a_rewrite_is_placed_between_the_last_matching_digest_and_the_first_failing_one(sealed: SealedChain,
                                                                                       runtime) -> None:
    from tests.audit.conftest import append

    append(runtime, 2, "U")
    from functions.platform.services.audit_chain import seal

    seal(runtime, NOW)  # a third digest, at record 10
    rewrite(sealed.attacker)  # rewrites 3..8 (and leaves 9, 10 linking to the old 8: a broken link too)
    report = verify(runtime)
    first = next(f for f in report.findings if f.digest)
    assert first.kind == "rewritten" and first.seq == 5
    assert "history was rewritten at or before record 5" in first.message


def test_the_twin_of_a_rewrite_without_digests_is_not_detectable(runtime) -> None:
    """Why digests exist: a history rewritten consistently, head included, with no digest to compare against,
    verifies. (Each sealing run anchors one, so this window is at most a minute of records.)"""
    from functions.platform.services.audit_chain import seal
    from tests.audit.conftest import append

    append(runtime, 7)
    seal(runtime, NOW, anchor_digest=False)
    rewrite(Attacker(runtime))
    assert verify(runtime).ok


def test_the_api_never_serves_an_attribute_added_to_a_record(sealed: SealedChain, api, auth) -> None:
    extra_attribute(sealed.attacker)
    record = api.get("/audit/records/2", headers=auth("S1007")).json()
    assert record["seq"] == 2 and "note" not in record


def test_an_event_not_sealed_within_the_sealing_delay_is_reported(runtime, clock) -> None:
    from functions.platform.services.audit_chain import seal
    from tests.audit.conftest import append

    append(runtime, 1)
    clock.advance(minutes=3)
    report = verify(runtime)
    assert report.kinds == {"unsealed-overdue"}
    assert report.findings[0].message.startswith("2 event(s) older than the sealing delay are not sealed")
    seal(runtime, NOW)
    assert verify(runtime).ok  # the twin: sealed, nothing to report
