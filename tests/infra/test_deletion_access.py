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
    for label in ("deletion", "deletion-deletion-sweep"):
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
                                                       f"{prefix}-deletion-deletion-sweep"}
