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
    for label in ("deletion-deletion-sweep-worker",):
        erase = next(s for s in statements(stack, label) if s["Sid"] == "EraseObjectVersions")
        resources = erase["Resource"]
        assert any(r.startswith("arn:aws:s3:::") and "-documents-osaka/ryoyohi/" in r for r in resources), resources
        assert any("-documents-osaka/disclosures/" in r for r in resources)
        whole = [r for r in resources if r.endswith("/*") and r.count("/") == 1]
        assert all(r.endswith("-exchange/*") for r in whole), whole  # prefixes; only exchange files go whole
        assert "s3:BypassGovernanceRetention" not in actions(stack, label)
        assert not any("audit" in r for r in resources)


def test_certificates_are_put_under_lock_and_never_deleted(stack: Declared) -> None:
    worker = "deletion-deletion-sweep-worker"
    put = next(s for s in statements(stack, worker) if s["Sid"] == "PutLockedObjects")
    assert put["Action"] == ["s3:PutObject", "s3:PutObjectRetention", "s3:GetObject"]
    assert all(r.endswith("/certificates/*") for r in put["Resource"])
    for label in ("deletion", worker):
        deletes = [s for s in statements(stack, label) if any(a.startswith("s3:Delete") for a in s["Action"])]
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
    assert {a.rsplit("/", 1)[1] for a in allowed} == {f"{prefix}-s3-replication",
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


# --- the API plans, the worker erases (asked as IAM answers it: policies/access.py) ------------------------------

API, WORKER = "deletion", "deletion-deletion-sweep-worker"


def _document(stack: Declared, label: str) -> dict:
    return stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{label}"))


def _arns(stack: Declared) -> dict[str, str]:
    """Concrete ARNs of personal stores, taken from the worker's grants (the names the program chooses)."""
    worker = statements(stack, WORKER)
    tables = [str(r) for s in worker if s["Sid"] == "WriteTables" for r in s["Resource"]]
    erase = next(s for s in worker if s["Sid"] == "EraseObjectVersions")["Resource"]
    listed = next(s for s in worker if s["Sid"] == "ListObjectVersions")["Resource"]
    return {"persons": next(t for t in tables if t.endswith("-persons")),
            "levies": next(t for t in tables if t.endswith("-levies")),
            "ryoyohi": next(r for r in erase if "-documents/ryoyohi/" in r).replace("*", "P1/a.pdf"),
            "ryoyohi-osaka": next(r for r in erase if "-documents-osaka/ryoyohi/" in r).replace("*", "P1/a.pdf"),
            "exchange": next(r for r in erase if r.endswith("-exchange/*")).replace("*", "kouiki/in/1.csv"),
            "documents": next(r for r in listed if r.endswith("-documents")),
            "documents-osaka": next(r for r in listed if r.endswith("-documents-osaka"))}


def _allowed(stack: Declared, label: str, action: str, resource: str, **context: str) -> bool:
    from policies.access import Request, grants

    account = stack.stack.workloads.settings.name_prefix
    return grants([_document(stack, label)], Request(action, resource, f"arn:aws:iam::1:role/{account}-{label}",
                                                     context), resource_policy=False)


def test_the_api_role_cannot_erase_personal_stores_and_the_sweep_worker_can(stack: Declared) -> None:
    """The API function's routes plan, propose, approve and report; only the sweep's worker erases (PIA-III-7-e)."""
    arns = _arns(stack)
    erasures = [("dynamodb:DeleteItem", arns["persons"]), ("dynamodb:DeleteItem", arns["levies"]),
                ("dynamodb:UpdateItem", arns["persons"]), ("dynamodb:BatchWriteItem", arns["persons"]),
                ("s3:DeleteObjectVersion", arns["ryoyohi"]), ("s3:DeleteObjectVersion", arns["ryoyohi-osaka"]),
                ("s3:DeleteObject", arns["exchange"])]
    for action, resource in erasures:
        assert not _allowed(stack, API, action, resource), (action, resource)
        assert _allowed(stack, WORKER, action, resource), (action, resource)  # twin: the worker may
    assert "s3:DeleteObjectVersion" not in actions(stack, API)
    assert not any("mynumber" in str(r) for s in statements(stack, API) for r in s["Resource"])


def test_the_api_role_still_reads_what_a_plan_reads_and_lists_only_the_planned_prefixes(stack: Declared) -> None:
    """Twin: narrowing left the routes what they call — the plan reads the rules' tables and lists the versions of
    objects due (in Tokyo and in the Osaka replica), a proposal writes the run's ledger chunks, holds are written,
    certificates read back — and listing is refused under any other prefix."""
    arns = _arns(stack)
    table = arns["persons"].rsplit("-persons", 1)[0]
    for action, resource in [("dynamodb:Query", f"{arns['persons']}/index/by-eligibility"),
                             ("dynamodb:Scan", arns["levies"]), ("dynamodb:PutItem", f"{table}-deletion-ledger"),
                             ("dynamodb:PutItem", f"{table}-legal-holds"), ("dynamodb:GetItem", f"{table}-batch-jobs"),
                             ("dynamodb:PutItem", f"{table}-deletion-runs"),
                             ("dynamodb:PutItem", f"{table}-change-requests")]:
        assert _allowed(stack, API, action, resource), (action, resource)
    for bucket in ("documents", "documents-osaka"):
        assert _allowed(stack, API, "s3:ListBucketVersions", arns[bucket], **{"s3:prefix": "notices/"}), bucket
        assert not _allowed(stack, API, "s3:ListBucketVersions", arns[bucket], **{"s3:prefix": "ryoyohi/"}), bucket
        assert not _allowed(stack, API, "s3:ListBucketVersions", arns[bucket]), bucket  # no prefix: the whole bucket
    assert not _allowed(stack, API, "s3:GetObject", arns["ryoyohi"])  # lists keys, reads no document
    certificate = next(s for s in statements(stack, WORKER) if s["Sid"] == "PutLockedObjects")["Resource"][0]
    assert _allowed(stack, API, "s3:GetObject", certificate.replace("*", "DR1-ab.json"))
    assert not _allowed(stack, API, "s3:PutObject", certificate.replace("*", "DR1-ab.json"))
