"""What the deletion roles may do, as the Pulumi program grants it (issue 16; PIA-III-7-e), under mocks: erase
versions under the declared prefixes in each bucket and its Osaka replica, never bypass Object Lock, put
certificates without any delete, and never delete from the audit log; the replicas let only replication and the
erasers delete."""

from __future__ import annotations

import json

from tests.infra.conftest import Declared


def statements(stack: Declared, label: str) -> list[dict]:
    return stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{label}"))["Statement"]


def actions(stack: Declared, label: str) -> set[str]:
    return {a for s in statements(stack, label) for a in s["Action"]}


def test_the_deletion_role_erases_versions_in_both_regions_but_never_bypasses_object_lock(stack: Declared) -> None:
    for label in ("deletion", "deletion-deletion-sweep-worker"):
        erase = next(s for s in statements(stack, label) if s["Sid"] == "EraseObjectVersions")
        resources = erase["Resource"]
        assert any(r.startswith("arn:aws:s3:::") and "-documents-osaka/ryoyohi/" in r for r in resources), resources
        assert any("-documents-osaka/disclosures/" in r for r in resources)
        whole = [r for r in resources if r.endswith("/*") and r.count("/") == 1]
        assert all(r.endswith("-exchange/*") for r in whole), whole  # prefixes; only exchange files go whole
        assert "s3:BypassGovernanceRetention" not in actions(stack, label)
        assert not any("audit" in r for r in resources)


def test_certificates_are_put_under_lock_and_never_deleted(stack: Declared) -> None:
    put = next(s for s in statements(stack, "deletion") if s["Sid"] == "PutLockedObjects")
    assert put["Action"] == ["s3:PutObject", "s3:PutObjectRetention", "s3:GetObject"]
    assert all(r.endswith("/certificates/*") for r in put["Resource"])
    deletes = [s for s in statements(stack, "deletion") if any(a.startswith("s3:Delete") for a in s["Action"])]
    assert all(not any("audit" in r for r in s["Resource"]) for s in deletes)


def test_negative_twin_other_roles_cannot_erase_versions(stack: Declared) -> None:
    for label in ("intake", "transfer", "platform"):
        assert "s3:DeleteObjectVersion" not in actions(stack, label), label


def test_the_replica_lets_only_replication_and_the_erasers_delete(stack: Declared) -> None:
    policy = json.loads(stack.one("s3/bucketPolicy:BucketPolicy", "replication-documents-osaka-policy")
                        .inputs["policy"])
    deny = next(s for s in policy["Statement"] if s["Sid"] == "DeleteOnlyByReplicationAndErasure")
    allowed = deny["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]
    prefix = stack.stack.workloads.settings.name_prefix
    assert {a.rsplit("/", 1)[1] for a in allowed} == {f"{prefix}-s3-replication", f"{prefix}-deletion",
                                                       f"{prefix}-deletion-deletion-sweep-worker"}


def test_the_sweep_trigger_only_plans_and_its_worker_erases(stack: Declared) -> None:
    """Least privilege on the batch framework: the daily trigger reads the approved runs and starts their jobs (it
    erases nothing, reads no My Number key); the worker erases, and serves no sign-in (no staff registry)."""
    trigger = statements(stack, "deletion-deletion-sweep")
    assert not any(a.startswith("s3:Delete") for a in actions(stack, "deletion-deletion-sweep"))
    written = [str(r) for r in next(s for s in trigger if s["Sid"] == "WriteTables")["Resource"]]
    assert written and all(r.split("/")[1].endswith("-batch-jobs") for r in written), written
    assert not any("mynumber" in str(r) for s in trigger for r in s["Resource"])
    worker = statements(stack, "deletion-deletion-sweep-worker")
    erase = next(s for s in worker if s["Sid"] == "EraseObjectVersions")["Resource"]
    assert any("-documents-osaka/notices/" in r for r in erase)  # batch print files (their own retention)
    tables = {str(r).split("/")[1] for s in worker if s["Sid"] in ("ReadTables", "WriteTables") for r in s["Resource"]}
    assert not any(t.endswith("-staff") for t in tables)
    assert {"persons", "deletion-ledger", "batch-jobs"} <= {t.split("-", 2)[2] for t in tables}
