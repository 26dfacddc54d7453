"""Every call a flow's code makes is granted to the role of the function that makes it in AWS.

moto enforces no IAM, and each role is built from its workflow's declared needs (infra/workloads.py), so a role
narrowed too far would pass every other test and fail in production with AccessDenied. Here each flow runs in moto
as the deployed functions run it — a job's trigger plans and sends the chunks (`runtime=None`, as in Lambda), its
worker takes them from the queue — every call is recorded through the client factory, translated into IAM requests
in the deployed stack's naming (tests/iam_calls.py) and decided against the dev and prod stacks' role policies,
permission boundary and key policies. Twins: a role with one grant taken away is denied exactly the calls that
needed it, and a call nobody knows how to translate fails the check instead of passing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from moto.core import DEFAULT_ACCOUNT_ID

from functions.deletion import batch as deletion_batch
from functions.intake import batch as intake_batch
from functions.intake.services.kouiki_import import FILE_PREFIX
from functions.transfer import batch as transfer_batch
from shared import runtime as runtime_module
from shared.adapters.aws import Call
from shared.adapters.persons import PersonRepository
from shared.batch.local import run_here
from shared.batch.model import Job
from shared.local.demo_data import demo_my_number
from shared.runtime import Runtime
from shared.storage import STORAGE
from tests.api.test_lambda_handlers import CONTEXT
from tests.iam_calls import (
    CallLog,
    Naming,
    Roles,
    Translator,
    UnknownOperation,
    UnknownResource,
    Verdict,
    check,
    denied,
)
from tests.infra.conftest import Declared
from tests.resident_files import csv_bytes, row

CLERK, MN_CLERK, CHECKER = "S1001", "S1002", "S1003"
TARO, JIRO = "P0000000001", "P0000000004"
TEST_RUNTIME = Naming("choju-test", DEFAULT_ACCOUNT_ID)  # tests/conftest.py env_for; moto's own account


@pytest.fixture(scope="module")
def deployed(dev: Declared, prod: Declared) -> list[Roles]:
    """The dev stack (account 123456789012, like moto's) and the prod one (111122223333): the names are mapped
    onto each explicitly, never matched by accident."""
    return [Roles.of(dev), Roles.of(prod)]


@dataclass
class Functions:
    """Each deployed function's part of a flow, run as Lambda runs it: in a runtime of its own (nothing cached from
    another function — the vault's unwrapped keys, queue URLs), its calls attributed to its label."""

    runtime: Runtime
    log: CallLog
    monkeypatch: pytest.MonkeyPatch

    def own_runtime(self) -> Runtime:
        return Runtime(self.runtime.settings, clients=self.runtime.clients, clock=self.runtime.clock)

    def trigger(self, label: str, handler: Callable[..., dict[str, Any]], event: dict[str, Any]) -> dict[str, Any]:
        """A trigger as Lambda invokes it (no runtime given): it plans the job and sends the chunks."""
        self.monkeypatch.setattr(runtime_module, "_default", self.own_runtime())
        with self.log.running_as(label):
            return handler(event, CONTEXT)

    def worker(self, label: str, handler: Callable[..., dict[str, Any]], queue: str, job_id: str) -> Job:
        """The chunks, as the event source mapping hands them to the worker: it polls and deletes with the
        worker's role (the SQS calls of the loop; its job look-ups are the test's), the handler makes the rest."""
        rt = self.own_runtime()
        with self.log.running_as(label, services={"sqs"}):
            job = run_here(rt, self.log.wrap(label, handler), queue, job_id)
        assert job is not None and job.finished, job
        return job

    def serving(self, api: TestClient, label: str) -> Any:
        """Requests through the API function of `label` (its own runtime)."""
        api.app.state.runtime = self.own_runtime()  # type: ignore[attr-defined]
        return self.log.running_as(label)

    def verdicts(self, roles: Roles) -> list[Verdict]:
        return check(self.log, roles, Translator(TEST_RUNTIME, roles.naming, moto_keys(self.runtime)))


def moto_keys(rt: Runtime) -> dict[str, str]:
    """moto's key id of each declared key (its alias names it)."""
    kms = rt.clients.client("kms")
    return {kms.describe_key(KeyId=rt.key_alias(k.name))["KeyMetadata"]["KeyId"]: k.name for k in STORAGE.keys}


@pytest.fixture
def functions(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Functions]:
    assert runtime.settings.name_prefix == TEST_RUNTIME.prefix
    with runtime.clients.recording() as calls:
        yield Functions(runtime, CallLog(calls), monkeypatch)


def granted_everything(functions: Functions, deployed: list[Roles], labels: set[str]) -> list[Verdict]:
    """Asserts every attributed call is allowed in every stack; returns the dev stack's verdicts."""
    assert functions.log.labels() == labels
    found = {roles.naming.prefix: functions.verdicts(roles) for roles in deployed}
    for verdicts in found.values():
        assert denied(verdicts) == []
    return found["choju-dev"]


def actions(verdicts: list[Verdict], label: str) -> set[str]:
    return {v.request.action for v in verdicts if v.label == label}


def my_number_uses(verdicts: list[Verdict], labels: set[str]) -> list[str]:
    """Requests of `labels` on the My Number key or the blind index's sealed secret."""
    return sorted({str(v) for v in verdicts if v.label in labels and (
        "alias/choju-dev-mynumber" in (v.request.context.get("kms:ResourceAliases") or [])
        or v.request.resource.endswith("/mynumber-index-key"))})


# --- the flows --------------------------------------------------------------------------------------------------

RESIDENT, RESIDENT_WORKER = "intake-resident-changes-inbound", "intake-resident-changes-inbound-worker"
FILE_KEY = "inbound/jyuki-renkei-utf8/20260401.csv"


def run_resident_import(functions: Functions) -> None:
    """A 住基異動 file with an address change and a new My Number (sealed by the worker)."""
    content = csv_bytes([row(1, "03", "0000000002", address="熊本市中央区水前寺1-1"),
                         row(2, "08", "0000000005", my_number=demo_my_number("27182818284"))])
    functions.runtime.objects("exchange").put(FILE_KEY, content, "text/csv")
    started = functions.trigger(RESIDENT, intake_batch.on_inbound_file,
                                {"Records": [{"s3": {"object": {"key": FILE_KEY}}}]})["files"][0]
    assert started["status"] == "running", started
    job = functions.worker(RESIDENT_WORKER, intake_batch.resident_import_chunks, "resident-import-chunks",
                           started["job_id"])
    assert job.counts["applied"] == 2


def test_the_resident_import_trigger_and_worker_are_granted_every_call(functions: Functions,
                                                                       deployed: list[Roles]) -> None:
    run_resident_import(functions)
    verdicts = granted_everything(functions, deployed, {RESIDENT, RESIDENT_WORKER})
    assert {"s3:GetObject", "sqs:SendMessage"} <= actions(verdicts, RESIDENT)
    assert {"dynamodb:BatchWriteItem", "kms:GenerateDataKey", "ssm:GetParameter"} <= actions(verdicts,
                                                                                            RESIDENT_WORKER)


def test_the_resident_import_trigger_is_granted_every_call_of_a_welfare_file_it_applies(
        functions: Functions, deployed: list[Roles]) -> None:
    """The 保護課's 生活保護 file arrives under inbound/fukushi-hogo/ and the same trigger applies it in its own
    invocation (persons read and written with a version condition, events queued, the file recorded)."""
    from tests.intake.test_public_assistance_file import data, file

    key = "inbound/fukushi-hogo/hogo-20260601.dat"
    functions.runtime.objects("exchange").put(key, file(data(1, "0000000001", "1", "20260610")),
                                              "application/octet-stream")
    applied = functions.trigger(RESIDENT, intake_batch.on_inbound_file,
                                {"Records": [{"s3": {"object": {"key": key}}}]})["files"][0]
    assert applied["status"] == "applied", applied
    verdicts = granted_everything(functions, deployed, {RESIDENT})
    assert {"s3:GetObject", "dynamodb:PutItem", "dynamodb:BatchWriteItem"} <= actions(verdicts, RESIDENT)


RENEWAL, RENEWAL_WORKER = "intake-certificate-renewal", "intake-certificate-renewal-worker"


def run_renewal(functions: Functions) -> None:
    started = functions.trigger(RENEWAL, intake_batch.annual_certificate_renewal, {"today": "2026-07-10"})
    job = functions.worker(RENEWAL_WORKER, intake_batch.certificate_renewal_chunks, "certificate-renewal-chunks",
                           started["job_id"])
    assert job.state.value == "succeeded" and job.counts["issued"] >= 1, job


def test_the_certificate_renewal_trigger_and_worker_are_granted_every_call(functions: Functions,
                                                                           deployed: list[Roles]) -> None:
    run_renewal(functions)
    verdicts = granted_everything(functions, deployed, {RENEWAL, RENEWAL_WORKER})
    assert {"dynamodb:DescribeTable", "sqs:SendMessage"} <= actions(verdicts, RENEWAL)
    assert {"dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "s3:PutObject"} <= actions(
        verdicts, RENEWAL_WORKER)
    # The scan projects the printed fields, never the sealed number: nothing of the job touches the My Number key
    # or the blind index's secret (its roles have neither: functions/intake/workflow.py CARD_RUN_NEEDS).
    assert my_number_uses(verdicts, {RENEWAL, RENEWAL_WORKER}) == []


REACHING, REACHING_WORKER = "intake-reaching-75-daily", "intake-reaching-75-daily-worker"


def run_reaching_75(functions: Functions) -> None:
    """The demo's two people reaching 75 next month (shared/local/demo_data.py), found by the daily run the month
    before their birthday."""
    born = date.fromisoformat(functions.runtime.repository(PersonRepository).get("P0000000006")["birth_date"])
    birthday = born.replace(year=born.year + 75)
    today = birthday.replace(day=1) - timedelta(days=10)
    started = functions.trigger(REACHING, intake_batch.daily_reaching_75, {"today": today.isoformat()})
    job = functions.worker(REACHING_WORKER, intake_batch.reaching_75_chunks, "reaching-75-chunks", started["job_id"])
    assert job.state.value == "succeeded" and job.counts["issued"] >= 1, job


def test_the_reaching_75_trigger_and_worker_are_granted_every_call(functions: Functions,
                                                                   deployed: list[Roles]) -> None:
    run_reaching_75(functions)
    verdicts = granted_everything(functions, deployed, {REACHING, REACHING_WORKER})
    assert {"dynamodb:Query", "dynamodb:PutItem", "dynamodb:BatchWriteItem", "s3:PutObject"} <= actions(
        verdicts, REACHING_WORKER)
    # It rewrites whole records, the sealed number with them, but never encrypts, decrypts or indexes one.
    assert my_number_uses(verdicts, {REACHING, REACHING_WORKER}) == []


KOUIKI, KOUIKI_WORKER = "intake-kouiki-results-inbound", "intake-kouiki-results-inbound-worker"


def test_the_kouiki_results_trigger_and_worker_are_granted_every_call(functions: Functions, deployed: list[Roles],
                                                                      clock: Any) -> None:
    from tests.intake.test_kouiki_results import HANAKO_DIFFERS, TARO_2, file

    clock.now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    functions.runtime.objects("exchange").put(f"inbound/kouiki-rengo/{FILE_PREFIX}-20261120.dat",
                                              file(TARO_2, HANAKO_DIFFERS), "application/octet-stream")
    started = functions.trigger(KOUIKI, intake_batch.kouiki_results_files, {})["files"][0]
    assert started["status"] == "running", started
    job = functions.worker(KOUIKI_WORKER, intake_batch.kouiki_results_chunks, "kouiki-results-chunks",
                           started["job_id"])
    assert job.state.value == "succeeded" and job.counts["discrepancies"] == 1, job
    verdicts = granted_everything(functions, deployed, {KOUIKI, KOUIKI_WORKER})
    assert {"s3:ListBucket", "s3:GetObject"} <= actions(verdicts, KOUIKI)
    assert my_number_uses(verdicts, {KOUIKI, KOUIKI_WORKER}) == []


TRANSFER, TRANSFER_WORKER = "transfer-kouiki-daily", "transfer-kouiki-daily-worker"


def test_a_transfer_trigger_and_its_worker_are_granted_every_call(functions: Functions, deployed: list[Roles],
                                                                  api: TestClient, auth: Any, clock: Any) -> None:
    from tests.transfer.helpers import HANAKO, approve, queue

    clock.now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    queue(functions.runtime, TARO, "eligibility-acquired", datetime(2026, 3, 30, 1, 0, tzinfo=UTC), "Q-30-1",
          change_date="2026-03-30")
    queue(functions.runtime, HANAKO, "insured-person-changed", datetime(2026, 3, 30, 2, 0, tzinfo=UTC), "Q-30-2")
    approve(api, auth)
    started = functions.trigger(TRANSFER, transfer_batch.kouiki_daily, {"today": "2026-03-31"})
    assert started["periods"] == ["2026-03-30"], started
    functions.worker(TRANSFER_WORKER, transfer_batch.kouiki_daily_chunks, "kouiki-daily-chunks", started["job_id"])
    verdicts = granted_everything(functions, deployed, {TRANSFER, TRANSFER_WORKER})
    # The file carries My Numbers: decrypted from the records, written under the My Number key.
    assert {"kms:Decrypt", "kms:GenerateDataKey", "s3:PutObject", "dynamodb:PutItem"} <= actions(verdicts,
                                                                                                 TRANSFER_WORKER)
    assert my_number_uses(verdicts, {TRANSFER_WORKER})


SWEEP, SWEEP_WORKER = "deletion-deletion-sweep", "deletion-deletion-sweep-worker"


def run_sweep(functions: Functions, api: TestClient, auth: Any) -> None:
    from tests.api.test_deletion import plant, propose_and_approve

    plant(functions.runtime)
    propose_and_approve(api, auth)
    started = functions.trigger(SWEEP, deletion_batch.start_approved_runs, {})["runs"][0]
    functions.worker(SWEEP_WORKER, deletion_batch.deletion_sweep_chunks, "deletion-sweep-chunks", started["job_id"])


def test_the_deletion_sweep_trigger_and_worker_are_granted_every_call(functions: Functions, deployed: list[Roles],
                                                                      api: TestClient, auth: Any) -> None:
    run_sweep(functions, api, auth)
    verdicts = granted_everything(functions, deployed, {SWEEP, SWEEP_WORKER})
    assert {"s3:ListBucketVersions", "s3:DeleteObjectVersion", "s3:PutObjectRetention",
            "dynamodb:DeleteItem"} <= actions(verdicts, SWEEP_WORKER)
    assert actions(verdicts, SWEEP) & {"s3:DeleteObjectVersion", "dynamodb:DeleteItem"} == set()


def test_the_intake_api_is_granted_every_call_of_a_counter_read_and_a_change(functions: Functions,
                                                                             deployed: list[Roles],
                                                                             api: TestClient, auth: Any) -> None:
    with functions.serving(api, "intake"):
        assert api.get(f"/intake/persons/{TARO}", headers=auth(CLERK)).status_code == 200
        shown = api.get(f"/intake/persons/{TARO}", params={"purpose": "本人確認"}, headers=auth(MN_CLERK))
        assert shown.status_code == 200 and shown.json()["my_number"]
        proposed = api.post("/intake/changes", headers=auth(MN_CLERK), json={
            "operation": "update", "person_id": JIRO, "reason": "個人番号変更届",
            "values": {"address": "熊本市東区健軍2-2-2", "mynumber": demo_my_number("16180339887")}})
        assert proposed.status_code == 202, proposed.text
        confirmed = api.post(f"/intake/changes/{proposed.json()['request_id']}/confirm", headers=auth(CHECKER))
        assert confirmed.status_code == 200, confirmed.text
    verdicts = granted_everything(functions, deployed, {"intake"})
    # the read with a purpose decrypts, the proposal seals the new number (encrypt, blind index)
    assert {"kms:Decrypt", "kms:GenerateDataKey", "ssm:GetParameter", "dynamodb:PutItem",
            "dynamodb:GetItem"} <= actions(verdicts, "intake")


# --- negative twins ---------------------------------------------------------------------------------------------

def test_negative_twin_the_renewal_worker_without_batch_writes_is_denied_exactly_them(
        functions: Functions, deployed: list[Roles]) -> None:
    run_renewal(functions)
    narrowed = deployed[0].without(RENEWAL_WORKER, action="dynamodb:BatchWriteItem")
    refused = [v for v in functions.verdicts(narrowed) if v.decision != "allow"]
    assert refused and {(v.label, v.call.operation, v.request.action) for v in refused} == {
        (RENEWAL_WORKER, "BatchWriteItem", "dynamodb:BatchWriteItem")}
    assert all(v.decision == "role policy: implicit-deny" for v in refused)


def test_negative_twin_the_import_worker_without_the_my_number_key_is_denied_exactly_its_uses(
        functions: Functions, deployed: list[Roles]) -> None:
    run_resident_import(functions)
    roles = deployed[0]
    document = roles.policies[RESIDENT_WORKER]
    keys = next(s for s in document["Statement"] if s["Sid"] == "UseKeys")
    data_only = {**keys, "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/choju-dev-data"]}}}
    narrowed = roles.with_policy(RESIDENT_WORKER, {**document, "Statement": [
        data_only if s is keys else s for s in document["Statement"]]})
    refused = [v for v in functions.verdicts(narrowed) if v.decision != "allow"]
    assert refused and {v.label for v in refused} == {RESIDENT_WORKER}
    assert {v.request.action for v in refused} == {"kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"}
    assert all(v.request.context["kms:ResourceAliases"] == ["alias/choju-dev-mynumber"] for v in refused)
    assert denied(functions.verdicts(roles)) == []  # the twin: as deployed, granted


def test_negative_twin_the_sweep_workers_calls_are_denied_to_its_trigger(functions: Functions,
                                                                        deployed: list[Roles], api: TestClient,
                                                                        auth: Any) -> None:
    """Which function makes a call matters: the trigger only plans, and the worker's erasures would be refused to
    it (the check attributes each call to the role that makes it)."""
    run_sweep(functions, api, auth)
    roles = deployed[0]
    as_trigger = roles.with_policy(SWEEP_WORKER, roles.policies[SWEEP])
    refused = {v.request.action for v in functions.verdicts(as_trigger) if v.decision != "allow"}
    assert {"s3:DeleteObjectVersion", "dynamodb:DeleteItem", "s3:PutObjectRetention"} <= refused


def test_negative_twin_an_unknown_operation_fails_the_check_instead_of_passing(deployed: list[Roles]) -> None:
    roles = deployed[0]
    translator = Translator(TEST_RUNTIME, roles.naming, {})
    copy = Call("s3", "CopyObject", {"Bucket": "choju-test-exchange", "Key": "reports/a",
                                     "CopySource": "choju-test-exchange/inbound/a"}, "ap-northeast-1")
    with pytest.raises(UnknownOperation, match="s3:CopyObject"):
        translator.requests(copy, roles.principal("intake"))
    log = CallLog([])
    with log.running_as("intake"):
        log.calls.append(copy)
    with pytest.raises(UnknownOperation):
        check(log, roles, translator)
    # …and so does a name outside the storage declaration, or a key named by ciphertext alone
    stray = Call("dynamodb", "GetItem", {"TableName": "choju-test-scratch", "Key": {"id": {"S": "1"}}},
                 "ap-northeast-1")
    with pytest.raises(UnknownResource, match="scratch"):
        translator.requests(stray, roles.principal("intake"))
    with pytest.raises(UnknownResource, match="KeyId"):
        translator.requests(Call("kms", "Decrypt", {"CiphertextBlob": b"x"}, "ap-northeast-1"),
                            roles.principal("intake"))


def test_negative_twin_an_audit_event_with_an_attribute_the_append_grant_does_not_list_is_denied(
        deployed: list[Roles]) -> None:
    """The condition keys a call carries are decided too: the audit log's append-only grant (infra/audit_log.py)
    names the attributes an event may have and the partitions it goes to."""
    roles = deployed[0]
    translator = Translator(TEST_RUNTIME, roles.naming, {})
    event = {"day_shard": {"S": "2026-04-01#3"}, "event_id": {"S": "E1"}, "action": {"S": "person.read"}}

    def decision(item: dict) -> set[str]:
        call = Call("dynamodb", "PutItem", {"TableName": "choju-test-audit-log", "Item": item}, "ap-northeast-1")
        return {roles.decide("intake", r) for r in translator.requests(call, roles.principal("intake"))}

    assert decision(event) == {"allow"}
    assert decision({**event, "my_number": {"S": "x"}}) == {"role policy: implicit-deny"}
    assert decision({**event, "day_shard": {"S": "sealed-head"}}) == {"role policy: implicit-deny"}


# --- the translations the check relies on (AWS documentation cited in tests/iam_calls.py) -------------------------

BUCKET = "arn:aws:s3:::choju-dev-exchange"
TABLE = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/choju-dev-persons"
QUEUE_URL = f"https://sqs.ap-northeast-1.amazonaws.com/{DEFAULT_ACCOUNT_ID}/choju-test-reaching-75-chunks"
TRANSLATIONS = [
    (Call("s3", "ListObjectsV2", {"Bucket": "choju-test-exchange", "Prefix": "inbound/kouiki-rengo/"},
          "ap-northeast-1"),
     [("s3:ListBucket", BUCKET, {"s3:prefix": "inbound/kouiki-rengo/"})]),
    (Call("s3", "HeadObject", {"Bucket": "choju-test-exchange", "Key": "a"}, "ap-northeast-1"),
     [("s3:GetObject", f"{BUCKET}/a", {})]),
    (Call("s3", "HeadObject", {"Bucket": "choju-test-exchange", "Key": "a", "VersionId": "v1"}, "ap-northeast-1"),
     [("s3:GetObjectVersion", f"{BUCKET}/a", {})]),
    (Call("s3", "ListObjectVersions", {"Bucket": "choju-test-documents-osaka", "Prefix": "notices/"},
          "ap-northeast-3"),
     [("s3:ListBucketVersions", "arn:aws:s3:::choju-dev-documents-osaka", {"s3:prefix": "notices/"})]),
    (Call("s3", "DeleteObject", {"Bucket": "choju-test-exchange", "Key": "a"}, "ap-northeast-1"),
     [("s3:DeleteObject", f"{BUCKET}/a", {})]),
    (Call("s3", "DeleteObject", {"Bucket": "choju-test-exchange", "Key": "a", "VersionId": "v1"}, "ap-northeast-1"),
     [("s3:DeleteObjectVersion", f"{BUCKET}/a", {})]),
    (Call("s3", "GetObject", {"Bucket": "choju-test-exchange", "Key": "a", "VersionId": "v1"}, "ap-northeast-1"),
     [("s3:GetObjectVersion", f"{BUCKET}/a", {}),
      ("kms:Decrypt", "arn:aws:kms:ap-northeast-1:123456789012:key/data-key",
       {"kms:ResourceAliases": ["alias/choju-dev-data"], "kms:ViaService": "s3.ap-northeast-1.amazonaws.com"})]),
    (Call("dynamodb", "Query", {"TableName": "choju-test-persons", "IndexName": "by-birth-month"}, "ap-northeast-1"),
     [("dynamodb:Query", f"{TABLE}/index/by-birth-month", {})]),
    (Call("dynamodb", "Query", {"TableName": "choju-test-persons"}, "ap-northeast-1"),
     [("dynamodb:Query", TABLE, {})]),
    (Call("kms", "Decrypt", {"KeyId": "alias/choju-test-mynumber", "CiphertextBlob": b"x"}, "ap-northeast-1"),
     [("kms:Decrypt", "arn:aws:kms:ap-northeast-1:123456789012:key/mynumber-key",
       {"kms:ResourceAliases": ["alias/choju-dev-mynumber"]})]),
    (Call("kms", "GenerateDataKey", {"KeyId": f"arn:aws:kms:ap-northeast-1:{DEFAULT_ACCOUNT_ID}:key/k-1"},
          "ap-northeast-1"),
     [("kms:GenerateDataKey", "arn:aws:kms:ap-northeast-1:123456789012:key/mynumber-key",
       {"kms:ResourceAliases": ["alias/choju-dev-mynumber"]})]),
    (Call("sqs", "DeleteMessageBatch", {"QueueUrl": QUEUE_URL, "Entries": []}, "ap-northeast-1"),
     [("sqs:DeleteMessage", "arn:aws:sqs:ap-northeast-1:123456789012:choju-dev-reaching-75-chunks", {})]),
    (Call("ssm", "GetParameter", {"Name": "/choju-test/mynumber-index-key"}, "ap-northeast-1"),
     [("ssm:GetParameter", "arn:aws:ssm:ap-northeast-1:123456789012:parameter/choju-dev/mynumber-index-key", {})]),
]


@pytest.mark.parametrize(("call", "expected"), TRANSLATIONS,
                         ids=[f"{c.operation}-{i}" for i, (c, _) in enumerate(TRANSLATIONS)])
def test_a_call_translates_to_the_requests_aws_authorises(call: Call, expected: list, deployed: list[Roles]) -> None:
    roles = deployed[0]
    translator = Translator(TEST_RUNTIME, roles.naming, {"k-1": "mynumber"})
    requests = translator.requests(call, roles.principal("intake"))
    assert [(r.action, r.resource, {k: v for k, v in r.context.items() if k != "aws:RequestedRegion"})
            for r in requests] == expected
    assert all(r.context["aws:RequestedRegion"] == call.region for r in requests)
