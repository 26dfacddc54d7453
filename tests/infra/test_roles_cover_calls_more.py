"""Every call of the other batch flows is granted to the role of the function that makes it in AWS: the 本算定's
print run of 決定通知書 (assessment), the collection jobs (files, decisions posted, payment slips, 督促, extracts),
the audit sealer (platform) and the transfers other than kouiki-daily.

The method is tests/infra/test_roles_cover_calls.py's (its fixtures and helpers, imported): each flow runs in moto
as the deployed functions run it, on the data the flows' own tests use, every call is recorded, translated into IAM
requests (tests/iam_calls.py) and decided against the dev and prod stacks. Twins: one grant taken from one role
refuses exactly the calls that needed it — the same verdicts as deployed, less those — and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from functions.assessment import batch as assessment_batch
from functions.assessment.services import decision_run
from functions.collection import batch as collection_batch
from functions.platform import batch as platform_batch
from functions.transfer import batch as transfer_batch
from functions.transfer.services.sources import SEGMENTS
from policies.access import ALLOW
from shared.adapters.transfer_ledger import TransferLedger
from tests.assessment import test_decision_run as decision_run_tests
from tests.audit.conftest import append
from tests.collection.seed import HANAKO, TARO, add_period, fix_clock, payment_file, seed_instalment
from tests.iam_calls import Roles, Verdict, denied, updated_attributes
from tests.infra import test_roles_cover_calls as covered
from tests.infra.test_roles_cover_calls import CHECKER, Functions, actions, granted_everything, my_number_uses
from tests.transfer.helpers import approve, queue, taro_income_approved
from tests.transfer.test_transfer_runs import COLLECTION_FIELDS, _collection_extract, _shiminzei, _yearly_extract

# Fixtures shared by name (an import of the name would be redefined by every test's argument): the stacks' roles,
# the recorded functions, and the 本算定 city of tests/assessment/test_decision_run.py.
deployed, functions, levied = covered.deployed, covered.functions, decision_run_tests.levied

DEV = "choju-dev"
OFFICER = "S1005"  # collection officer: proposes a 未確認入金's resolution, which CHECKER confirms


def refused_exactly(functions: Functions, roles: Roles, narrowed: Roles,
                    needing: Callable[[Verdict], bool]) -> set[tuple[str, str, str, str]]:
    """The twins' check: as deployed every call is granted; with `narrowed`, the requests refused are exactly the
    deployed stack's requests that `needing` picks (and there are some). Returns them as (label, operation,
    action, resource)."""
    def key(v: Verdict) -> tuple[str, str, str, str]:
        return v.label, v.call.operation, v.request.action, v.request.resource

    as_deployed = functions.verdicts(roles)
    assert denied(as_deployed) == []
    needed = {key(v) for v in as_deployed if needing(v)}
    refused = [v for v in functions.verdicts(narrowed) if v.decision != ALLOW]
    assert needed and {key(v) for v in refused} == needed
    assert {v.decision for v in refused} == {"role policy: implicit-deny"}
    return needed


# --- assessment: the 本算定's print run of 決定通知書 ------------------------------------------------------------

DECISIONS, DECISIONS_WORKER = "assessment-decision-notices", "assessment-decision-notices-worker"


def run_decision_notices(functions: Functions) -> None:
    """Seven insured persons with a 令和7年度 result and its 期割 (the `levied` city), three to a chunk: the trigger
    writes the run's list and sends three chunks, the worker prints three files."""
    functions.monkeypatch.setattr(decision_run, "PERSONS_PER_CHUNK", 3)
    started = functions.trigger(DECISIONS, assessment_batch.yearly_decision_notices, {"fiscal_year": "2025"})
    assert (started["state"], started["chunks"]) == ("running", 3), started
    job = functions.worker(DECISIONS_WORKER, assessment_batch.decision_notice_chunks, "decision-notice-chunks",
                           started["job_id"])
    assert job.state.value == "succeeded" and (job.counts["printed"], job.counts["files"]) == (7, 3), job


def test_the_decision_notice_trigger_and_worker_are_granted_every_call(functions: Functions, deployed: list[Roles],
                                                                       levied: Any) -> None:
    run_decision_notices(functions)
    verdicts = granted_everything(functions, deployed, {DECISIONS, DECISIONS_WORKER})
    # planning scans the 年度's results once (keys only) and writes the run's list of persons
    assert {"dynamodb:Scan", "s3:PutObject", "sqs:SendMessage"} <= actions(verdicts, DECISIONS)
    assert {"s3:GetObject", "dynamodb:BatchGetItem", "dynamodb:Query", "s3:PutObject",
            "kms:GenerateDataKey"} <= actions(verdicts, DECISIONS_WORKER)
    # 太郎's and 花子's records hold sealed numbers; a 決定通知書 prints none, and nothing of the run unseals one
    assert my_number_uses(verdicts, {DECISIONS, DECISIONS_WORKER}) == []


def test_negative_twin_the_decision_notice_worker_without_put_object_is_denied_exactly_its_files(
        functions: Functions, deployed: list[Roles], levied: Any) -> None:
    """The worker writes the notices, the trigger the run's list: taken from the worker, PutObject refuses the
    three files and not the list."""
    run_decision_notices(functions)
    roles = deployed[0]
    refused = refused_exactly(functions, roles, roles.without(DECISIONS_WORKER, action="s3:PutObject"),
                              lambda v: v.label == DECISIONS_WORKER and v.request.action == "s3:PutObject")
    assert len(refused) == 3
    assert all(resource.startswith(f"arn:aws:s3:::{DEV}-documents/notices/premium-decision/honsantei-2025/")
               for *_, resource in refused)


# --- collection: files, decisions posted, payment slips, 督促, extracts -------------------------------------------

INBOUND, SETTLE = "collection-collection-inbound", "collection-collection-settle"
SCHEDULES, DUNNING, EXTRACTS = "collection-collection-schedules", "collection-collection-dunning", \
    "collection-collection-extracts"


def test_the_collection_file_import_and_the_settle_run_are_granted_every_call(
        functions: Functions, deployed: list[Roles], api: TestClient, auth: Any, clock: Any) -> None:
    """A convenience-store file pays 太郎's 期 and brings a payment whose 納付番号 matches nothing (未確認入金); an
    officer resolves it to 花子's 期 at the counter (the collection API), a checker confirms, the settle run posts
    it."""
    rt = functions.runtime
    fix_clock(clock, "2025-08-10")
    taro = seed_instalment(rt, TARO, 1, 9_800, "2025-07-31")
    hanako = seed_instalment(rt, HANAKO, 1, 5_000, "2025-07-31")
    rt.objects("exchange").put("inbound/cvs-agent/20250810-final.dat", payment_file(
        [("R1", taro.payment_number, 9_800, "2025-07-30"), ("R2", "123", 5_000, "2025-07-30")]),
        "application/octet-stream")
    files = functions.trigger(INBOUND, collection_batch.inbound_files, {})["files"]
    assert [f["status"] for f in files] == ["applied"], files
    [receipt] = rt.records("suspense-receipts").query("by-status", "status", "open")
    with functions.serving(api, "collection"):
        proposed = api.post(f"/collection/suspense/{receipt['receipt_id']}/resolution", headers=auth(OFFICER),
                            json={"person_id": HANAKO, "payment_number": hanako.payment_number,
                                  "note": "名義と金額で特定"})
        assert proposed.status_code == 202, proposed.text
        confirmed = api.post(f"/collection/changes/{proposed.json()['request_id']}/confirm", headers=auth(CHECKER))
        assert confirmed.status_code == 200, confirmed.text
    posted = functions.trigger(SETTLE, collection_batch.settle, {"today": "2025-08-10"})
    assert posted == {"posted": {"suspense-posted": 1}}
    verdicts = granted_everything(functions, deployed, {INBOUND, SETTLE, "collection"})
    assert {"s3:ListBucket", "s3:GetObject", "dynamodb:BatchGetItem", "dynamodb:PutItem",
            "dynamodb:UpdateItem"} <= actions(verdicts, INBOUND)
    assert {"dynamodb:Query", "dynamodb:GetItem", "dynamodb:UpdateItem"} <= actions(verdicts, SETTLE)
    assert my_number_uses(verdicts, {INBOUND, SETTLE, "collection"}) == []


def run_daily_collection(functions: Functions, clock: Any) -> dict[str, Any]:
    """The morning runs: assessment wrote 花子's 期 last night (its slip is taken), nobody pays 太郎's or hers by
    the 納期限 (both are dunned 15 days later, print data and 督促状), and the next day's 滞納 extract lists them."""
    rt = functions.runtime
    fix_clock(clock, "2025-08-01")
    seed_instalment(rt, TARO, 1, 9_800, "2025-07-31")
    add_period(rt, HANAKO, 1, 5_000, "2025-07-31")
    assert functions.trigger(SCHEDULES, collection_batch.daily_schedules, {})["slips_written"] == 1
    dunned = functions.trigger(DUNNING, collection_batch.daily_dunning, {"today": "2025-08-15"})
    assert dunned["dunned"] == 2 and dunned["notice_keys"] and dunned["notice_files"], dunned
    extracts = functions.trigger(EXTRACTS, collection_batch.daily_extracts, {"today": "2025-08-16"})
    assert extracts["arrears"]["rows"] == 2, extracts
    return dunned


def test_the_daily_collection_runs_are_granted_every_call(functions: Functions, deployed: list[Roles],
                                                          clock: Any) -> None:
    run_daily_collection(functions, clock)
    verdicts = granted_everything(functions, deployed, {SCHEDULES, DUNNING, EXTRACTS})
    assert {"dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"} <= actions(verdicts, SCHEDULES)
    assert {"dynamodb:Query", "s3:PutObject", "kms:GenerateDataKey"} <= actions(verdicts, DUNNING)
    assert {"s3:ListBucket", "s3:PutObject", "dynamodb:PutItem"} <= actions(verdicts, EXTRACTS)
    assert my_number_uses(verdicts, {SCHEDULES, DUNNING, EXTRACTS}) == []


def test_negative_twin_the_dunning_run_without_the_dunning_notices_prefix_is_denied_exactly_the_notices(
        functions: Functions, deployed: list[Roles], clock: Any) -> None:
    """Grants are per prefix: without documents/notices/dunning/, the 督促状 files are refused and the print data
    under the exchange bucket's notices/dunning/ is not."""
    run_daily_collection(functions, clock)
    roles = deployed[0]
    notices = f"arn:aws:s3:::{DEV}-documents/notices/dunning/"
    refused = refused_exactly(functions, roles, roles.without(DUNNING, resource=f"{notices}*"),
                              lambda v: v.label == DUNNING and v.request.resource.startswith(notices))
    assert {(operation, action) for _, operation, action, _ in refused} == {("PutObject", "s3:PutObject")}
    assert any(v.request.resource.startswith(f"arn:aws:s3:::{DEV}-exchange/notices/dunning/")
               for v in functions.verdicts(roles) if v.label == DUNNING)


# --- platform: the audit sealer ----------------------------------------------------------------------------------

SEALER = "platform-audit-sealer"


def run_sealer(functions: Functions, clock: Any) -> dict[str, Any]:
    """Events written by the functions (the demo seed's and three more), sealed by one pass once settled, and the new
    head anchored under Object Lock."""
    append(functions.runtime, 3)
    clock.advance(minutes=1)
    sealed = functions.trigger(SEALER, platform_batch.seal_audit_log, {"passes": 1, "interval": 0})
    assert sealed["sealed"] >= 4 and sealed["digest"], sealed
    return sealed


def test_the_audit_sealer_is_granted_every_call(functions: Functions, deployed: list[Roles], clock: Any) -> None:
    sealed = run_sealer(functions, clock)
    verdicts = granted_everything(functions, deployed, {SEALER})
    assert {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:UpdateItem", "s3:PutObject",
            "s3:PutObjectRetention", "kms:GenerateDataKey"} <= actions(verdicts, SEALER)
    # its updates are decided on the attributes they touch: each event's seal, the head's claim and move
    updates = [v for v in verdicts if v.request.action == "dynamodb:UpdateItem"]
    assert len(updates) == sealed["sealed"] + 2
    assert {a for v in updates for a in v.request.context["dynamodb:Attributes"]} == {
        "batch", "chain", "day_shard", "event_id", "hash", "head_hash", "head_seq", "pending", "prev_hash",
        "sealed_at", "seq"}


def test_negative_twin_a_seal_grant_without_an_attribute_denies_exactly_the_updates_that_touch_it(
        functions: Functions, deployed: list[Roles], clock: Any) -> None:
    """The sealer's UpdateItem is granted only on the seal's attributes (infra/audit_log.py): without `pending`,
    which sealing an event removes, every event's seal is refused, and the head's claim and move are not."""
    sealed = run_sealer(functions, clock)
    roles = deployed[0]
    document = roles.policies[SEALER]
    seal = next(s for s in document["Statement"] if s["Sid"] == "SealAuditEvents")
    listed = seal["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"]
    narrowed_seal = {**seal, "Condition": {**seal["Condition"], "ForAllValues:StringEquals": {
        "dynamodb:Attributes": [a for a in listed if a != "pending"]}}}
    narrowed = roles.with_policy(SEALER, {**document, "Statement": [
        narrowed_seal if s is seal else s for s in document["Statement"]]})
    refused = refused_exactly(functions, roles, narrowed,
                              lambda v: "pending" in v.request.context.get("dynamodb:Attributes", ()))
    assert {(operation, action) for _, operation, action, _ in refused} == {("UpdateItem", "dynamodb:UpdateItem")}
    assert len([v for v in functions.verdicts(narrowed) if v.decision != ALLOW]) == sealed["sealed"]


# --- transfer: the jobs other than kouiki-daily -----------------------------------------------------------------

def collection_daily(rt: Any, api: TestClient, auth: Any) -> None:
    """Collection's extracts of 2026-03-30, queued the morning after (tests/transfer/test_transfer_runs.py)."""
    _collection_extract(rt, "20260330", datetime(2026, 3, 30, 22, tzinfo=UTC))
    approve(api, auth, jobs=["kouiki-collection-daily"], fields=COLLECTION_FIELDS,
            legal_basis="高齢者の医療の確保に関する法律第138条")


def income_monthly(rt: Any, api: TestClient, auth: Any) -> None:
    """Assessment's 所得 record of 太郎 for 令和7年度, sent with his My Number in March's file."""
    taro_income_approved(rt, api, auth)


def ryoyohi_monthly(rt: Any, api: TestClient, auth: Any) -> None:
    """A 療養費 application of 太郎 taken in March (intake queues it for the 広域連合)."""
    queue(rt, TARO, "ryoyohi-application", datetime(2026, 3, 10, 1, 0, tzinfo=UTC), "Q-RY-1")
    approve(api, auth, jobs=["kouiki-ryoyohi-monthly"], legal_basis="高齢者の医療の確保に関する法律第77条",
            fields=["person_id", "name", "birth_date", "event_date"], frequency="monthly")


def shiminzei_annual(rt: Any, api: TestClient, auth: Any) -> None:
    """Collection's 収納 extracts of 2025, summed per person for the 市民税課 (社会保険料控除)."""
    _yearly_extract(rt)
    approve(api, auth, **_shiminzei())


# Each job's data, and the day its schedule runs (after the period it sends ended; kouiki-collection-daily after
# collection queued its extracts at 07:00 JST).
TRANSFERS: dict[str, tuple[Callable[[Any, TestClient, Any], None], str]] = {
    "kouiki-collection-daily": (collection_daily, "2026-03-31"),
    "kouiki-income-monthly": (income_monthly, "2026-04-02"),
    "kouiki-ryoyohi-monthly": (ryoyohi_monthly, "2026-04-02"),
    "shiminzei-annual": (shiminzei_annual, "2026-01-11"),
}


def run_transfer(functions: Functions, api: TestClient, auth: Any, clock: Any, job: str) -> tuple[str, str]:
    """The job's scheduled run for the period that ended last: its trigger plans and sends the chunks, its worker
    writes the file and the ledger records it sent. Returns the trigger's and the worker's labels."""
    trigger, worker = f"transfer-{job}", f"transfer-{job}-worker"
    setup, today = TRANSFERS[job]
    clock.now = datetime.fromisoformat(f"{today}T10:00:00+09:00").astimezone(UTC)
    setup(functions.runtime, api, auth)
    name = job.replace("-", "_")
    started = functions.trigger(trigger, getattr(transfer_batch, name), {"today": today})
    assert len(started["periods"]) == 1 and not started["refused"], started
    functions.worker(worker, getattr(transfer_batch, f"{name}_chunks"), f"{job}-chunks", started["job_id"])
    ledger = functions.runtime.repository(TransferLedger).of_job(job)
    assert [(e["result"], int(e["rows"]) > 0) for e in ledger] == [("sent", True)], ledger
    return trigger, worker


@pytest.mark.parametrize("job", sorted(TRANSFERS))
def test_a_transfer_trigger_and_its_worker_are_granted_every_call(functions: Functions, deployed: list[Roles],
                                                                  api: TestClient, auth: Any, clock: Any,
                                                                  job: str) -> None:
    trigger, worker = run_transfer(functions, api, auth, clock, job)
    verdicts = granted_everything(functions, deployed, {trigger, worker})
    assert {"dynamodb:Query", "sqs:SendMessage", "dynamodb:PutItem"} <= actions(verdicts, trigger)
    assert {"s3:PutObject", "kms:GenerateDataKey", "dynamodb:PutItem", "dynamodb:BatchGetItem"} <= actions(
        verdicts, worker)
    # only the 所得 file carries My Numbers: unsealed from the records and written under the My Number key
    assert bool(my_number_uses(verdicts, {trigger, worker})) is (job == "kouiki-income-monthly")


def test_negative_twin_the_income_worker_without_scan_is_denied_exactly_its_scans(
        functions: Functions, deployed: list[Roles], api: TestClient, auth: Any, clock: Any) -> None:
    """The monthly 所得 file reads its table in parallel scan segments, one a chunk, and the worker finds the
    approval by scanning the approvals: without Scan, exactly those are refused, and nothing of the trigger."""
    _, worker = run_transfer(functions, api, auth, clock, "kouiki-income-monthly")
    roles = deployed[0]
    refused = refused_exactly(functions, roles, roles.without(worker, action="dynamodb:Scan"),
                              lambda v: v.label == worker and v.request.action == "dynamodb:Scan")
    table = f"arn:aws:dynamodb:ap-northeast-1:123456789012:table/{DEV}"
    assert {resource for *_, resource in refused} == {f"{table}-income-records", f"{table}-transfer-approvals"}
    segments = {v.call.params["Segment"] for v in functions.verdicts(roles)
                if v.label == worker and v.request.resource == f"{table}-income-records"}
    assert segments == set(range(SEGMENTS))


# --- the translation the sealer's check relies on -----------------------------------------------------------------

@pytest.mark.parametrize(("params", "expected"), [
    ({"Key": {"day_shard": {"S": "d"}, "event_id": {"S": "e"}},
      "UpdateExpression": "SET #c = :c, #s = :s REMOVE #pd",
      "ConditionExpression": "attribute_exists(#id) AND (attribute_not_exists(#s) OR #s = :s)",
      "ExpressionAttributeNames": {"#c": "chain", "#s": "seq", "#pd": "pending", "#id": "event_id"}},
     ["chain", "day_shard", "event_id", "pending", "seq"]),
    # literal names, functions and nested paths: only top-level names count, never a function or a value
    ({"Key": {"staff_id": {"S": "S1"}},
      "UpdateExpression": "SET active = :a, version = if_not_exists(version, :zero) + :one, m.inner[0] = :x",
      "ConditionExpression": "size(roles) > :n"},
     ["active", "m", "roles", "staff_id", "version"]),
    ({"Key": {"id": {"S": "1"}}, "AttributeUpdates": {"legacy": {"Action": "PUT"}}}, ["id", "legacy"]),
], ids=["placeholders", "literals", "legacy"])
def test_an_update_accesses_the_attributes_its_expressions_name_and_its_key(params: dict, expected: list) -> None:
    assert updated_attributes(params) == expected
