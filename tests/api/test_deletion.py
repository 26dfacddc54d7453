"""Secure deletion end to end (issue 16; PIA-III-7-e): plan, maker-checker approval, holds, a run erasing every
table, every object version and marker in Tokyo and Osaka, the certificate, resume after a crash, and the proof
scan with its negative twin."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from functions.deletion.rules.certificate import Certificate
from functions.deletion.rules.retention import RETENTION_RULES, rule
from functions.deletion.services import runs
from functions.deletion.services.erase import erase_target
from functions.deletion.services.plan import Target, plan_deletion
from shared.adapters.dynamo import from_item, to_item
from shared.adapters.erasure_ledger import ErasureLedger
from shared.local.demo_data import demo_my_number
from shared.runtime import Runtime
from tests.deletion_scan import traces
from tests.moto_world import WORLD
from tests.notices.pdf import no_my_number, text

STEWARD, CHECKER = "S1006", "S1003"
# 資格喪失 2097-03-31: first day 2097-04-01; 2 years end 2099-03-31 → the number may go on 2099-04-01.
# 資格喪失 2094-03-31: first day 2094-04-01; 5 years end 2099-03-31 → every record may go on 2099-04-01.
AS_OF = date(2099, 4, 1)
NUMBER_ONLY, WHOLE = "P0000000001", "P0000000002"  # 熊本 太郎, 熊本 花子
HANAKO = ["熊本 花子", "クマモト ハナコ", "1950-11-03", demo_my_number("98320567321")]


def _put(rt: Runtime, table: str, item: dict[str, Any]) -> None:
    rt.clients.client("dynamodb").put_item(TableName=rt.table_name(table), Item=to_item(item))


def _put_object(rt: Runtime, bucket: str, key: str, body: bytes, region: str = "ap-northeast-1") -> None:
    rt.clients.client("s3", region).put_object(Bucket=bucket, Key=key, Body=body)


def plant(rt: Runtime) -> dict[str, str]:
    """Two former insured persons and everything a counter would have stored about 花子; returns the stored forms
    of their My Numbers."""
    persons = rt.records("persons")
    stored = {}
    for pid, lost in ((NUMBER_ONLY, "2097-03-31"), (WHOLE, "2094-03-31")):
        person = persons.get(pid)
        assert person is not None
        stored[pid] = person["mynumber_enc"]
        stored[pid + "#index"] = person["mynumber_index"]
        persons.put({**person, "eligibility_status": "lost", "eligibility_lost_on": lost})
    note = {"person_id": WHOLE, "name": "熊本 花子", "birth_date": "1950-11-03"}
    _put(rt, "notifications", {"notification_id": "N1", "person_id": WHOLE, "received_at": "2094-01-01", **note})
    _put(rt, "certificates", {"certificate_id": "QC1", "person_id": WHOLE, "issued_on": "2093-08-01", **note})
    _put(rt, "ryoyohi-applications", {"application_id": "RY1", "person_id": WHOLE, "received_on": "2093-05-01"})
    _put(rt, "subject-requests", {"request_id": "DS1", "kind": "disclosure", "person_id": WHOLE})
    _put(rt, "transfer-queue", {"queue_id": "TQ1", "entity_id": WHOLE, "queued_at": "2094-01-01", **note})
    _put(rt, "change-requests", {"request_id": "CR1", "entity_id": NUMBER_ONLY, "created_at": "2097-01-01",
                                 "status": "confirmed", "sealed": {"mynumber_enc": stored[NUMBER_ONLY]}})
    # 賦課・調定・収納 (issues 13, 14): her records go with her; 太郎's old ledger goes under `levy-records`, his
    # ledger with 延滞金 stays while `arrears-charges` runs (5 years from the 督促's deadline: 2100-02-01)
    _put(rt, "levies", {"person_id": WHOLE, "levy_key": "2092#001", "fiscal_year": 2092, **note})
    _put(rt, "instalments", {"schedule_id": f"{WHOLE}-2092", "person_id": WHOLE, "fiscal_year": 2092, "version": 1,
                             "periods": [{"key": "N07", "due_date": "2092-07-31", "amount": 1000, "paid": 0}], **note})
    _put(rt, "payment-slips", {"payment_number": "PN1", "person_id": WHOLE, "due_date": "2092-07-31",
                               "fiscal_year_period": "2092#01#N07", **note})
    _put(rt, "collection-ledger", {"payment_number": "PN1", "person_id": WHOLE, "due_date": "2092-07-31",
                                   "late_fee_paid": {"2093-01-10": 100}, **note})
    _put(rt, "overpayments", {"overpayment_id": "OP1", "person_id": WHOLE, "created_at": "2092-08-01", **note})
    _put(rt, "pension-deductions", {"deduction_id": f"{WHOLE}-2092", "pension_annual": 2000000, **note})
    _put(rt, "income-records", {"income_id": "I1", "person_id": WHOLE, "fiscal_year": 2092, **note})
    _put(rt, "bank-accounts", {"account_ref": "BA1", "person_id": WHOLE, "created_at": "2092-01-01",
                               "holder_kana": "クマモト ハナコ"})
    _put(rt, "collection-ledger", {"payment_number": "PN2", "person_id": NUMBER_ONLY, "due_date": "2094-07-31"})
    _put(rt, "collection-ledger", {"payment_number": "PN3", "person_id": NUMBER_ONLY, "due_date": "2094-07-31",
                                   "late_fee_paid": {"2094-12-01": 100},
                                   "dunning": {"notice_id": "DN1", "issued_on": "2094-09-20",
                                               "deadline": "2095-01-31"}})
    _put(rt, "idempotency", {"id": "intake#k1", "expiration": int(time.time()) + 3600,
                             "data": json.dumps(note, ensure_ascii=False)})
    _put(rt, "idempotency", {"id": "intake#old", "expiration": int(time.time()) - 3 * 86400, "data": "{}"})
    documents, replica = rt.bucket_name("documents"), f"{rt.bucket_name('documents')}-osaka"
    for bucket, region in ((documents, "ap-northeast-1"), (replica, "ap-northeast-3")):
        _put_object(rt, bucket, "ryoyohi/RY1/D1", "熊本 花子 1950-11-03".encode(), region)
        _put_object(rt, bucket, "ryoyohi/RY1/D1", "申請書 熊本 花子 (second version)".encode(), region)
        rt.clients.client("s3", region).delete_object(Bucket=bucket, Key="ryoyohi/RY1/D1")  # a delete marker
        _put_object(rt, bucket, "disclosures/DS1.json", json.dumps(note, ensure_ascii=False).encode(), region)
    _put_object(rt, rt.bucket_name("exchange"), "outbound/kouiki-rengo/20260101/f.csv", "熊本 花子".encode("cp932"))
    plant_print_run(rt)
    return stored


SPOOL = "notices/certificate/renewal-2093/0001-0000.pdf"  # a batch print file: many persons, 花子 among them


def plant_print_run(rt: Runtime) -> None:
    """A 資格確認書 run's file, printed twice (a re-run), in Tokyo and its Osaka replica."""
    documents = rt.bucket_name("documents")
    for bucket, region in ((documents, "ap-northeast-1"), (f"{documents}-osaka", "ap-northeast-3")):
        for _ in range(2):
            _put_object(rt, bucket, SPOOL, "資格確認書 熊本 花子 1950-11-03 / 熊本 太郎 / 熊本 次郎".encode(), region)


def chunk_targets(rt: Runtime, run_id: str) -> list[Target]:
    return [Target(**t) for c in rt.repository(ErasureLedger).chunks(run_id) for t in c["targets"]]


def without_sessions(targets: Any) -> list[Target]:
    """Each signed-in API call of the test opens a session, which has expired by 2099: the plan made before the
    calls lacks them."""
    return sorted(t for t in targets if t.rule != "sessions")


def propose_and_approve(api: TestClient, auth: Callable[[str], dict[str, str]]) -> dict[str, Any]:
    proposed = api.post("/deletion/runs", headers=auth(STEWARD), json={"as_of": AS_OF.isoformat(),
                                                                       "reason": "年次の廃棄"})
    assert proposed.status_code == 202, proposed.text
    body = proposed.json()
    confirmed = api.post(f"/deletion/changes/{body['change_request']}/confirm", headers=auth(CHECKER))
    assert confirmed.status_code == 200, confirmed.text
    return body  # type: ignore[no-any-return]


def test_the_plan_lists_counts_per_class_with_the_reason(api: TestClient, runtime: Runtime,
                                                         auth: Callable[[str], dict[str, str]]) -> None:
    plant(runtime)
    answer = api.get("/deletion/plan", params={"as_of": AS_OF.isoformat()}, headers=auth(STEWARD))
    assert answer.status_code == 200, answer.text
    classes = {c["rule"]: c for c in answer.json()["classes"]}
    assert classes["former-insured-record"]["count"] == 1
    assert classes["former-insured-mynumber"]["count"] == 1
    assert classes["exchange-files"]["count"] == 1
    assert classes["idempotency"]["count"] == 2  # both have expired by 2099
    assert "法律第160条" in classes["former-insured-mynumber"]["reason"]
    assert {"audit"} <= {e["rule"] for e in answer.json()["not_erased"]}
    assert "not declared yet" not in answer.text  # every store of every rule is a declared table or bucket
    # 太郎's ledger PN2 (納期限 2094-07-31 → 2096-08-01); PN3's 延滞金 keeps it until 2100-02-01 (both rules)
    assert (classes["levy-records"]["count"], classes["arrears-charges"]["count"]) == (1, 0)
    assert WHOLE not in answer.text and NUMBER_ONLY not in answer.text  # counts, never ids
    # a day earlier nothing of theirs is due (the twin of `erasable_from <= as_of`)
    earlier = api.get("/deletion/plan", params={"as_of": "2099-03-31"}, headers=auth(STEWARD)).json()
    # 花子's number: 2094-03-31 → 2096-04-01 ≤ 2099-03-31, due; 太郎's: 2099-04-01 > 2099-03-31, not yet; her record
    # (2099-04-01) not yet either
    counts = {c["rule"]: c["count"] for c in earlier["classes"]}
    assert (counts["former-insured-mynumber"], counts["former-insured-record"]) == (1, 0)


def test_a_clerk_may_not_plan(api: TestClient, runtime: Runtime, auth: Callable[[str], dict[str, str]]) -> None:
    answer = api.get("/deletion/plan", params={"as_of": AS_OF.isoformat()}, headers=auth("S1001"))
    assert answer.status_code == 403


def test_the_proposer_cannot_approve(api: TestClient, runtime: Runtime, auth: Callable[[str], dict[str, str]]) -> None:
    plant(runtime)
    proposed = api.post("/deletion/runs", headers=auth(STEWARD), json={"as_of": AS_OF.isoformat(), "reason": "廃棄"})
    own = api.post(f"/deletion/changes/{proposed.json()['change_request']}/confirm", headers=auth(STEWARD))
    assert own.status_code == 403
    assert own.json()["code"] in ("self-confirmation", "forbidden")
    assert runtime.records("deletion-runs").get(proposed.json()["run_id"]) is None
    with pytest.raises(Exception, match="no such approved deletion run"):
        runs.continue_run(runtime, proposed.json()["run_id"])


def test_a_legal_hold_keeps_a_person_out_of_every_plan(api: TestClient, runtime: Runtime,
                                                       auth: Callable[[str], dict[str, str]]) -> None:
    plant(runtime)
    placed = api.post("/deletion/holds", headers=auth(STEWARD),
                      json={"person_id": WHOLE, "kind": "appeal", "reason": "審査請求中"})
    assert placed.status_code == 201, placed.text
    plan = plan_deletion(runtime, AS_OF, runs.current_rules())
    assert WHOLE not in {t.person_id for t in plan.targets}
    assert plan.held["former-insured-record"] == 1
    released = api.post(f"/deletion/holds/{WHOLE}/{placed.json()['hold_id']}/release", headers=auth(STEWARD))
    assert released.status_code == 200
    assert WHOLE in {t.person_id for t in plan_deletion(runtime, AS_OF, runs.current_rules()).targets}


def test_the_daily_trigger_sweeps_approved_runs_only(api: TestClient, runtime: Runtime,
                                                    auth: Callable[[str], dict[str, str]]) -> None:
    from functions.deletion.batch import start_approved_runs

    plant(runtime)
    pending = api.post("/deletion/runs", headers=auth(STEWARD), json={"as_of": AS_OF.isoformat(), "reason": "廃棄"})
    assert pending.status_code == 202
    assert start_approved_runs({}, None, runtime=runtime) == {"runs": []}  # not approved: nothing is swept
    approved = propose_and_approve(api, auth)
    swept = start_approved_runs({}, None, runtime=runtime)["runs"]
    assert [(r["run_id"], r["status"], r["state"]) for r in swept] == [(approved["run_id"], "completed", "succeeded")]
    assert swept[0]["chunks"]["done"] == swept[0]["chunks"]["total"] >= 1
    assert start_approved_runs({}, None, runtime=runtime) == {"runs": []}  # completed: never swept again


def test_a_hold_placed_after_the_approval_keeps_the_person_out_of_the_run(
        api: TestClient, runtime: Runtime, auth: Callable[[str], dict[str, str]]) -> None:
    plant(runtime)
    proposed = propose_and_approve(api, auth)
    planned = chunk_targets(runtime, proposed["run_id"])
    placed = api.post("/deletion/holds", headers=auth(STEWARD),
                      json={"person_id": WHOLE, "kind": "litigation", "reason": "訴訟"})
    assert placed.status_code == 201, placed.text
    status = runs.continue_run(runtime, proposed["run_id"])
    held = [t for t in planned if t.person_id == WHOLE]
    assert status["status"] == "completed" and status["held"] == len(held) >= 1
    assert status["erased"] == len(planned) - len(held)
    assert runtime.records("persons").get(WHOLE) is not None  # her records stay while the hold lasts
    certificate = Certificate.from_json(runtime.erasure_certificates.read(status["certificate_key"]))
    assert not {runs.hashed_id(runtime, t) for t in held} & set(certificate.hashed_ids)


def test_a_run_erases_everywhere_matches_its_plan_and_leaves_no_trace(
        api: TestClient, runtime: Runtime, auth: Callable[[str], dict[str, str]],
        log_output: Callable[[], str]) -> None:
    stored = plant(runtime)
    plan = plan_deletion(runtime, AS_OF, runs.current_rules())
    proposed = propose_and_approve(api, auth)
    planned = chunk_targets(runtime, proposed["run_id"])
    assert without_sessions(planned) == without_sessions(plan.targets)
    status = runs.continue_run(runtime, proposed["run_id"])
    assert status["status"] == "completed"
    # the run erased exactly its plan
    body = runtime.erasure_certificates.read(status["certificate_key"])
    certificate = Certificate.from_json(body)
    assert sorted(certificate.hashed_ids) == sorted(runs.hashed_id(runtime, t) for t in planned)
    assert {c["rule"]: c["count"] for c in certificate.classes} == {
        c["rule"]: c["count"] for c in proposed["classes"] if c["count"]}
    assert (certificate.proposed_by, certificate.approved_by) == (STEWARD, CHECKER)
    regions = {(s["store"], s["region"]) for s in certificate.stores}
    assert (f"{runtime.bucket_name('documents')}-osaka", "ap-northeast-3") in regions
    assert certificate.backups_clear_on > certificate.finished_at[:10]
    assert WHOLE.encode() not in body and NUMBER_ONLY.encode() not in body
    assert not any(n.encode() in body for n in HANAKO)
    # the proof: no trace of 花子, nor of 太郎's My Number in any stored form; his record stays
    needles = [*HANAKO, stored[WHOLE], stored[WHOLE + "#index"], stored[NUMBER_ONLY],
               stored[NUMBER_ONLY + "#index"], demo_my_number("12345678901")]
    assert traces(runtime, needles, log_output()) == []
    taro = runtime.records("persons").get(NUMBER_ONLY)
    assert taro is not None and taro["name"] == "熊本 太郎" and "mynumber_enc" not in taro
    ledger = runtime.records("collection-ledger")
    assert ledger.get("PN2") is None and ledger.get("PN3") is not None  # 時効 over; 延滞金's not yet
    listed = api.get("/deletion/certificates", headers=auth(STEWARD)).json()
    assert [c["sha256"] for c in listed["certificates"]] == [status["certificate_sha256"]]
    # printed through the notices renderer: read back, it names the run, the approval and the backup date, and
    # carries no My Number, name, birth date or person id
    printed = api.get(f"/deletion/runs/{proposed['run_id']}/certificate/pdf", params={"purpose": "監査への提出"},
                      headers=auth(STEWARD))
    assert printed.status_code == 200, printed.text
    assert printed.headers["content-type"] == "application/pdf"
    words = text(printed.content)
    assert "廃棄証明書" in words and proposed["run_id"] in words and f"{STEWARD} / {CHECKER}" in words
    assert "NIST SP 800-88" in words and "ap-northeast-3" in words  # the Osaka replica is listed
    assert no_my_number(printed.content)
    assert not any(n in words for n in (*HANAKO, WHOLE, NUMBER_ONLY, demo_my_number("12345678901")))
    assert api.get(f"/deletion/runs/{proposed['run_id']}/certificate/pdf", params={"purpose": "監査への提出"},
                   headers=auth("S1001")).status_code == 403  # a clerk may not print it


def test_negative_twin_a_store_the_sweep_forgot_is_found(
        api: TestClient, runtime: Runtime, auth: Callable[[str], dict[str, str]],
        log_output: Callable[[], str]) -> None:
    plant(runtime)
    _put_object(runtime, f"{runtime.bucket_name('documents')}-osaka", "scans/forgotten.txt",
                "熊本 花子".encode(), "ap-northeast-3")
    _put(runtime, "inbound-files", {"file_hash": "h1", "note": "1950-11-03"})
    proposed = propose_and_approve(api, auth)
    runs.continue_run(runtime, proposed["run_id"])
    found = traces(runtime, HANAKO, log_output())
    assert any("scans/forgotten.txt" in f for f in found)
    assert any("inbound-files" in f for f in found)


# --- the run on the batch framework: killed anywhere and resumed, it ends as an uninterrupted run ------------------

COMPARED = ("persons", "notifications", "certificates", "ryoyohi-applications", "subject-requests", "transfer-queue",
            "levies", "instalments", "payment-slips", "collection-ledger", "overpayments", "pension-deductions",
            "income-records", "bank-accounts", "legal-holds")


def stores_after(rt: Runtime) -> dict[str, Any]:
    """What the run leaves in the planted stores: every item of the compared tables and every object version's key
    and body, in both regions (the run id, sessions and timestamps of the job differ from run to run)."""
    db = rt.clients.client("dynamodb")
    found: dict[str, Any] = {}
    for table in COMPARED:
        items = [from_item(i) for page in db.get_paginator("scan").paginate(TableName=rt.table_name(table))
                 for i in page["Items"]]
        found[table] = sorted(json.dumps(i, sort_keys=True, ensure_ascii=False, default=str) for i in items)
    for bucket, region in ((rt.bucket_name("documents"), "ap-northeast-1"),
                           (f"{rt.bucket_name('documents')}-osaka", "ap-northeast-3"),
                           (rt.bucket_name("exchange"), "ap-northeast-1")):
        s3 = rt.clients.client("s3", region)
        versions = [(v["Key"], s3.get_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])["Body"].read())
                    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
                    for v in page.get("Versions", [])]
        found[bucket] = sorted(versions)
    return found


def certified(rt: Runtime, status: dict[str, Any], planned: list[Target]) -> tuple[list[str], dict[str, int]]:
    """The certificate's hashed ids (without the test's own sessions, which differ from run to run) and counts."""
    certificate = Certificate.from_json(rt.erasure_certificates.read(status["certificate_key"]))
    sessions = {runs.hashed_id(rt, t) for t in planned if t.rule == "sessions"}
    return sorted(set(certificate.hashed_ids) - sessions), {c["rule"]: c["count"] for c in certificate.classes}


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two targets a chunk, so the planted run makes several chunks and a crash lands inside one."""
    monkeypatch.setattr(runs, "CHUNK_SIZE", 2)


@pytest.fixture
def uninterrupted(api: TestClient, runtime: Runtime, auth: Callable[[str], dict[str, str]],
                  small_chunks: None) -> dict[str, Any]:
    """The reference: the same plant, run without a crash; then the world is set back for the test's own run."""
    plant(runtime)
    proposed = propose_and_approve(api, auth)
    planned = chunk_targets(runtime, proposed["run_id"])
    status = runs.continue_run(runtime, proposed["run_id"])
    assert status["status"] == "completed" and status["job"]["state"] == "succeeded"
    assert status["job"]["chunks"]["total"] >= 3  # the crash lands inside a real job of several chunks
    reference = {"stores": stores_after(runtime), "certified": certified(runtime, status, planned),
                 "erased": status["erased"]}
    WORLD.restore(runtime)
    return reference


class Killed(BaseException):
    """The process died (a Lambda time-out, an out-of-memory kill): nothing below the worker catches it."""


def _kill_at_call(runtime: Runtime, service: str, operation: str, nth: int) -> Callable[[], None]:
    client, seen = runtime.clients.client(service), [0]

    def die(**_: Any) -> None:
        seen[0] += 1
        if seen[0] == nth:
            raise Killed(f"killed at {operation} #{nth}")

    event = f"before-call.{service}.{operation}"
    client.meta.events.register(event, die, unique_id="kill-deletion")
    return lambda: client.meta.events.unregister(event, unique_id="kill-deletion")


# Where the process dies: after erasing the second target everywhere but before its ledger entry (mid-chunk);
# at the first chunk's checkpoint (its targets erased and recorded, the chunk not marked done); at the certificate
# (every chunk done, the closing step killed).
KILLS = [("erase", "", 2), ("dynamodb", "TransactWriteItems", 1), ("s3", "PutObject", 1)]


@pytest.mark.parametrize(("service", "operation", "nth"), KILLS, ids=[f"{s}-{o}-{n}" for s, o, n in KILLS])
def test_a_run_killed_and_resumed_ends_as_an_uninterrupted_one(
        api: TestClient, runtime: Runtime, auth: Callable[[str], dict[str, str]], clock: Any,
        monkeypatch: pytest.MonkeyPatch, uninterrupted: dict[str, Any], service: str, operation: str,
        nth: int) -> None:
    plant(runtime)
    proposed = propose_and_approve(api, auth)
    planned = chunk_targets(runtime, proposed["run_id"])
    real, calls = runs.erase_target, Counter()

    def counting(rt: Runtime, target: Any, rule: Any, now: Any, prefetched: Any = None) -> Any:
        calls[(target.rule, target.ref)] += 1
        done = real(rt, target, rule, now, prefetched)
        if service == "erase" and sum(calls.values()) == nth:
            raise Killed("erased, then the process dies before the ledger entry")
        return done

    monkeypatch.setattr(runs, "erase_target", counting)
    disarm = _kill_at_call(runtime, service, operation, nth) if service != "erase" else (lambda: None)
    try:
        with pytest.raises(Killed):
            runs.continue_run(runtime, proposed["run_id"])
    finally:
        disarm()
    stopped = runs.run_status(runtime, proposed["run_id"])
    assert stopped["status"] == "running" and "certificate_key" not in stopped
    assert stopped["job"]["chunks"]["total"] == uninterrupted_chunks(len(planned))
    clock.advance(minutes=16)  # a closing step killed holds a 15-minute lease before another may take it over
    status = runs.continue_run(runtime, proposed["run_id"])  # `choju deletion run RUN`: resumed where it stopped
    assert status["status"] == "completed" and status["job"]["state"] == "succeeded"
    assert status["job"]["chunks"]["done"] == status["job"]["chunks"]["total"]
    assert status["erased"] == uninterrupted["erased"] == len(planned)
    # each target once: none twice, none skipped
    assert certified(runtime, status, planned) == uninterrupted["certified"]
    assert stores_after(runtime) == uninterrupted["stores"]
    assert all(calls[(t.rule, t.ref)] >= 1 for t in planned)  # nothing skipped
    redone = [key for key, n in calls.items() if n > 1]
    assert len(redone) == (1 if service == "erase" else 0)  # only the target the process died in is redone
    again = runs.continue_run(runtime, proposed["run_id"])
    assert again["certificate_sha256"] == status["certificate_sha256"]
    assert len(runtime.erasure_certificates.listing()) == 1


def uninterrupted_chunks(targets: int) -> int:
    return -(-targets // runs.CHUNK_SIZE)


def test_the_comparison_sees_a_target_left_unerased(
        api: TestClient, runtime: Runtime, auth: Callable[[str], dict[str, str]],
        uninterrupted: dict[str, Any]) -> None:
    """Negative twin: a run that skipped a chunk does not compare equal."""
    plant(runtime)
    proposed = propose_and_approve(api, auth)
    ledger = runtime.repository(ErasureLedger)
    planned = chunk_targets(runtime, proposed["run_id"])
    first = ledger.chunks(proposed["run_id"])[0]
    ledger.add_chunk(proposed["run_id"], 1, first["targets"][1:])  # one target of chunk 1 lost: skipped
    status = runs.continue_run(runtime, proposed["run_id"])
    assert status["status"] == "completed"
    assert certified(runtime, status, planned) != uninterrupted["certified"]
    assert stores_after(runtime) != uninterrupted["stores"]


def test_a_batch_print_file_goes_whole_after_its_own_period_in_both_regions(runtime: Runtime) -> None:
    """Batch print files are print spool (rule `print-runs`): erased whole, every version in Tokyo and Osaka, 91
    days after their last writing, whoever is in them; not a day before (the twin)."""
    plant_print_run(runtime)
    written = datetime.now(UTC).date()  # the local AWS stamps versions with the real time
    rules = runs.current_rules()
    spool = [t for t in plan_deletion(runtime, written + timedelta(days=91), rules).targets if t.rule == "print-runs"]
    assert [(t.kind, t.store, t.ref, t.person_id) for t in spool] == [("object", "documents/notices/", SPOOL, "")]
    early = plan_deletion(runtime, written + timedelta(days=90), rules).targets
    assert not [t for t in early if t.rule == "print-runs"]  # the twin: kept on its 90th day
    erased = erase_target(runtime, spool[0], rule("print-runs", rules), runtime.clock())
    assert sum(erased.stores.values()) == 4 and {s.split("@")[1] for s in erased.stores} == {
        "ap-northeast-1", "ap-northeast-3"}
    assert traces(runtime, ["熊本 次郎"]) == []


def test_negative_twin_a_sweep_without_the_print_rule_leaves_the_spool(
        api: TestClient, runtime: Runtime, auth: Callable[[str], dict[str, str]], monkeypatch: pytest.MonkeyPatch,
        log_output: Callable[[], str]) -> None:
    """Without `print-runs`, erasing 花子's records leaves her name in the batch print file, in both regions."""
    plant(runtime)
    monkeypatch.setattr(runs, "current_rules", lambda: tuple(r for r in RETENTION_RULES if r.name != "print-runs"))
    proposed = propose_and_approve(api, auth)
    assert runs.continue_run(runtime, proposed["run_id"])["status"] == "completed"
    found = traces(runtime, HANAKO[:1], log_output())
    assert sorted(f.split("@")[1].split("/")[0] for f in found if SPOOL in f) == ["ap-northeast-1"] * 2 + [
        "ap-northeast-3"] * 2


def test_object_lock_keeps_a_version_and_says_until_when(runtime: Runtime) -> None:
    audit = runtime.object_erasers("audit")[0]
    runtime.clients.client("s3").put_object(Bucket=audit.bucket, Key="probe/x", Body=b"x")
    version = next(iter(audit.versions("probe/")))
    outcome = audit.erase(version, runtime.clock())
    assert not outcome.erased
    assert outcome.locked_until is not None and outcome.locked_until > runtime.clock().date().isoformat()
