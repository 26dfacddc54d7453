"""One source of truth for storage (design rule 1)."""

import re
from pathlib import Path

import pytest

from shared.storage import RETENTION_CLASSES, STORAGE, DataClass

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_and_bucket_has_a_known_retention_class_and_data_class() -> None:
    for spec in (*STORAGE.tables, *STORAGE.buckets):
        assert spec.retention in RETENTION_CLASSES, spec.name
        assert isinstance(spec.data_class, DataClass)


def test_names_are_unique_and_lowercase() -> None:
    names = [t.name for t in STORAGE.tables] + [b.name for b in STORAGE.buckets]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]+", n) for n in names)


def test_index_keys_and_ttl_are_declared() -> None:
    sessions = STORAGE.table("sessions")
    assert sessions.ttl_attribute == "expires_at"
    audit = STORAGE.table("audit-log")
    assert audit.partition_key == ("day_shard", "S") and audit.sort_key == ("event_id", "S")
    assert [(i.name, i.partition_key, i.sort_key) for i in audit.indexes] == [
        ("by-target", ("target", "S"), ("event_id", "S")),
        ("by-seq", ("chain", "S"), ("seq", "N")),
        ("unsealed", ("pending", "S"), ("event_id", "S"))]


def test_the_audit_key_attributes_named_in_iam_are_the_declared_ones() -> None:
    """IAM's attribute conditions must name every table and index key (infra/audit_log.py): the list they use is
    the declaration's."""
    from shared.domain.audit_events import KEY_ATTRIBUTES

    audit = STORAGE.table("audit-log")
    declared = {audit.partition_key[0], audit.sort_key[0]} | {
        key[0] for index in audit.indexes for key in (index.partition_key, index.sort_key) if key}
    assert set(KEY_ATTRIBUTES) == declared


def test_audit_bucket_has_object_lock_and_versioning() -> None:
    audit = STORAGE.bucket("audit")
    assert audit.object_lock and audit.versioning


def test_unknown_names_are_an_error() -> None:
    with pytest.raises(KeyError):
        STORAGE.table("nope")


def test_bootstrap_creates_exactly_the_declared_storage(runtime) -> None:
    db = runtime.clients.client("dynamodb")
    tables = set(db.list_tables()["TableNames"])
    assert tables == {t.physical_name("choju-test") for t in STORAGE.tables}
    s3 = runtime.clients.client("s3")
    replicas = {b.replica_name("choju-test") for b in STORAGE.buckets if b.replicate_to_secondary}
    assert {b["Name"] for b in s3.list_buckets()["Buckets"]} == {b.physical_name("choju-test")
                                                                 for b in STORAGE.buckets} | replicas
    sessions = db.describe_table(TableName="choju-test-sessions")["Table"]
    assert sessions["SSEDescription"]["Status"] == "ENABLED"
    ttl = db.describe_time_to_live(TableName="choju-test-sessions")["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"
    lock = s3.get_object_lock_configuration(Bucket="choju-test-audit")["ObjectLockConfiguration"]
    assert lock["Rule"]["DefaultRetention"]["Mode"] == "COMPLIANCE"


def test_bootstrap_is_idempotent(runtime) -> None:
    from shared.local.bootstrap import bootstrap_storage

    bootstrap_storage(runtime)  # a second run must not fail or duplicate keys
    aliases = [a["AliasName"] for a in runtime.clients.client("kms").list_aliases()["Aliases"]
               if "choju-test" in a["AliasName"]]
    assert sorted(aliases) == sorted(k.alias("choju-test") for k in STORAGE.keys)


LOGICAL = [t.name for t in STORAGE.tables] + [b.name for b in STORAGE.buckets]
PHYSICAL = re.compile(r"""["']choju-[a-z]+-({})["']""".format("|".join(map(re.escape, LOGICAL))))
LITERAL_ARGUMENT = re.compile(r"""\b(TableName|Bucket)=["']""")


def _literal_physical_names(paths: list[Path]) -> list[str]:
    """Places that spell a physical table or bucket name instead of asking the declaration."""
    return [
        f"{path.name}:{number}"
        for path in paths
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PHYSICAL.search(line) or LITERAL_ARGUMENT.search(line)
    ]


def test_no_table_or_bucket_name_is_written_outside_the_declaration() -> None:
    paths = [p for f in ("shared", "functions", "infra",
                         "policies") for p in (ROOT / f).rglob("*.py") if p.name != "storage.py"]
    assert _literal_physical_names(paths) == []


def test_the_name_scan_catches_a_hard_coded_table(tmp_path: Path) -> None:
    rogue = tmp_path / "rogue.py"
    rogue.write_text('db.get_item(TableName="choju-prod-persons", Key={})\n')
    assert _literal_physical_names([rogue]) == ["rogue.py:1"]
