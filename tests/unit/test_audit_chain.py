"""The audit log is append-only and verifiable (design rule 7; PIA-III-2-c, III-8)."""

from typing import Any

import pytest

from shared.adapters.audit_log import AuditDigests, AuditEvent
from shared.adapters.dynamo import to_item
from shared.domain.audit_chain import GENESIS_HASH, record_hash, verify_chain


def _append(runtime, n: int) -> list[dict[str, Any]]:
    return [runtime.audit.append(AuditEvent(staff_id=f"S{i}", action="test.event", outcome="success",
                                            target=f"P{i}", purpose="unit-test")) for i in range(n)]


def test_records_link_to_their_predecessor(runtime) -> None:
    before = runtime.audit.head()[0]
    records = _append(runtime, 3)
    assert [r["seq"] for r in records] == [before + 1, before + 2, before + 3]
    assert records[1]["prev_hash"] == records[0]["hash"]
    assert runtime.audit.verify().ok


def test_an_empty_chain_verifies() -> None:
    report = verify_chain([])
    assert report.ok and report.count == 0 and report.latest_hash == GENESIS_HASH


def test_concurrent_appends_do_not_fork_the_chain(runtime) -> None:
    """Two Lambda instances read the same head; the second write loses and retries on the new head."""
    head = runtime.audit.head()
    first = runtime.audit.try_append(AuditEvent("S1", "a", "success"), head)
    assert first is not None
    assert runtime.audit.try_append(AuditEvent("S2", "b", "success"), head) is None  # same seq: refused
    second = runtime.audit.append(AuditEvent("S2", "b", "success"))
    assert second["seq"] == first["seq"] + 1 and second["prev_hash"] == first["hash"]
    assert runtime.audit.verify().ok


def _raw(runtime, seq: int) -> dict:
    db = runtime.clients.client("dynamodb")
    return db.get_item(TableName=runtime.table_name("audit-log"), Key=to_item({"chain": "main", "seq": seq}))["Item"]


def _put(runtime, item: dict) -> None:
    runtime.clients.client("dynamodb").put_item(TableName=runtime.table_name("audit-log"), Item=item)


def test_an_edited_record_is_detected(runtime) -> None:
    records = _append(runtime, 4)
    target = records[2]["seq"]
    item = _raw(runtime, target)
    item["outcome"] = {"S": "refused"}
    _put(runtime, item)
    report = runtime.audit.verify()
    assert not report.ok and report.broken_at == target and "edited" in report.reason


def test_a_deleted_record_is_detected(runtime) -> None:
    records = _append(runtime, 4)
    target = records[1]["seq"]
    runtime.clients.client("dynamodb").delete_item(TableName=runtime.table_name("audit-log"),
                                                   Key=to_item({"chain": "main", "seq": target}))
    report = runtime.audit.verify()
    assert not report.ok and report.broken_at == target and "missing" in report.reason


def test_reordered_records_are_detected(runtime) -> None:
    records = _append(runtime, 4)
    a, b = records[1]["seq"], records[2]["seq"]
    item_a, item_b = _raw(runtime, a), _raw(runtime, b)
    item_a["seq"], item_b["seq"] = {"N": str(b)}, {"N": str(a)}
    _put(runtime, item_a)
    _put(runtime, item_b)
    report = runtime.audit.verify()
    assert not report.ok and report.broken_at == a


def test_a_rewritten_record_with_a_fresh_hash_is_detected(runtime) -> None:
    """An attacker who recomputes the edited record's hash still breaks the next link."""
    records = _append(runtime, 3)
    target = records[1]
    forged = {**target, "staff_id": "someone-else"}
    forged["hash"] = record_hash(forged)
    item = _raw(runtime, target["seq"])
    item["staff_id"], item["hash"] = {"S": "someone-else"}, {"S": forged["hash"]}
    _put(runtime, item)
    report = runtime.audit.verify()
    assert not report.ok and report.broken_at == records[2]["seq"]


def test_the_digest_is_stored_under_compliance_object_lock(runtime) -> None:
    _append(runtime, 3)
    report = runtime.audit.verify()
    bucket = runtime.bucket_name("audit")
    s3 = runtime.clients.client("s3")
    key = AuditDigests(s3, bucket, 30).write(report, runtime.clock())
    assert s3.head_object(Bucket=bucket, Key=key)["ObjectLockMode"] == "COMPLIANCE"
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
    assert report.latest_hash in body and f'"record_count": {report.count}' in body


@pytest.mark.parametrize("field", ["staff_id", "action", "target", "purpose", "outcome", "request_id", "at"])
def test_every_field_is_covered_by_the_hash(field: str) -> None:
    record = {"seq": 1, "at": "t", "staff_id": "s", "action": "a", "target": "t", "purpose": "p", "outcome": "o",
              "request_id": "r", "detail": {}, "prev_hash": GENESIS_HASH}
    assert record_hash(record) != record_hash({**record, field: "changed"})
