"""Transfers under データ使用承認 (PIA-III-5-a), their files (III-2-b, III-2-h), suspension (IV-1), the ledger."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from functions.transfer.batch import scheduled_run
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_ledger import TransferLedger
from shared.local.demo_data import demo_my_number
from tests.audit_events import audit_events
from tests.transfer.helpers import (
    AUDITOR,
    CLERK,
    DAILY_FIELDS,
    HANAKO,
    STEWARD,
    TARO,
    approval_body,
    approve,
    key_id,
    queue,
    run,
    stored,
    taro_income_approved,
)

TARO_NUMBER = demo_my_number("12345678901")
KEY = "outbound/kouiki-rengo/kouiki-daily/2026-03-30/kouiki-daily_2026-03-30.dat"


def _queue_day(runtime, day: int = 30) -> None:
    # 10:00 JST on 2026-03-<day>: two 資格 events of that day.
    queue(runtime, TARO, "eligibility-acquired", datetime(2026, 3, day, 1, 0, tzinfo=UTC), f"Q-{day}-1",
          change_date=f"2026-03-{day:02d}")
    queue(runtime, HANAKO, "insured-person-changed", datetime(2026, 3, day, 2, 0, tzinfo=UTC), f"Q-{day}-2")


def _ledger(runtime, job: str = "kouiki-daily") -> list[dict]:
    return sorted(runtime.repository(TransferLedger).of_job(job), key=lambda e: e["recorded_at"])


# --- refusals: no approval, unconfirmed, expired, revoked, a field outside ------------------------------------

def test_without_an_approval_the_run_is_refused_audited_and_ledgered(api: TestClient, auth, runtime) -> None:
    """PIA-III-5-a."""
    _queue_day(runtime)
    r = run(api, auth, "kouiki-daily", "2026-03-30")
    assert r.status_code == 403 and r.json()["code"] == "transfer-approval-missing"
    assert [e["result"] for e in _ledger(runtime)] == ["refused"]
    assert audit_events(runtime, "transfer.refused")[-1]["detail"]["code"] == "transfer-approval-missing"
    assert not list(runtime.objects("exchange").list("outbound/"))


def test_a_proposed_but_unconfirmed_approval_allows_nothing(api: TestClient, auth, runtime) -> None:
    """Maker-checker: the steward's proposal alone is not an approval (PIA-III-5-a, PIA-III-2-l)."""
    _queue_day(runtime)
    assert api.post("/transfer/approvals", json=approval_body(), headers=auth(STEWARD)).status_code == 202
    assert run(api, auth, "kouiki-daily", "2026-03-30").json()["code"] == "transfer-approval-missing"


def test_a_confirmed_approval_allows_the_run(api: TestClient, auth, runtime) -> None:
    """The twin of the refusals: with a confirmed approval covering every field the file is sent."""
    _queue_day(runtime)
    approval = approve(api, auth)
    r = run(api, auth, "kouiki-daily", "2026-03-30")
    assert r.status_code == 201, r.text
    assert r.json() | {"checksum": None} == {
        "job": "kouiki-daily", "period": "2026-03-30", "result": "sent", "rows": 2, "checksum": None, "key": KEY,
        "approval_id": approval, "omitted": 0, "kept_by_law": 0, "reason": None}


def test_an_expired_approval_is_refused(api: TestClient, auth, runtime) -> None:
    _queue_day(runtime)
    approve(api, auth, valid_from="2026-01-01", valid_to="2026-03-31")
    runtime.clock.advance(days=1)  # 2026-04-02 JST: the approval ended on 3/31
    r = run(api, auth, "kouiki-daily", "2026-03-30")
    assert r.status_code == 403 and r.json()["code"] == "transfer-approval-expired"


def test_a_revoked_approval_is_refused_from_the_moment_of_revocation(api: TestClient, auth, runtime) -> None:
    """PIA-III-5-a."""
    _queue_day(runtime)
    _queue_day(runtime, 29)
    approval = approve(api, auth)
    assert run(api, auth, "kouiki-daily", "2026-03-29").json()["result"] == "sent"
    revoked = api.post(f"/transfer/approvals/{approval}/revoke", json={"reason": "条例改正"}, headers=auth(STEWARD))
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    r = run(api, auth, "kouiki-daily", "2026-03-30")
    assert r.status_code == 403 and r.json()["code"] == "transfer-approval-revoked"
    assert audit_events(runtime, "transfer.approval-revoked")[-1]["target"] == approval
    again = api.post(f"/transfer/approvals/{approval}/revoke", json={"reason": "x"}, headers=auth(STEWARD))
    assert again.status_code == 409 and again.json()["code"] == "approval-already-revoked"


def test_a_file_with_a_field_outside_the_approval_is_refused(api: TestClient, auth, runtime) -> None:
    """PIA-III-5-a: the My Number only when the approval names it: the daily file carries it, this approval does not."""
    _queue_day(runtime)
    approve(api, auth, fields=[f for f in DAILY_FIELDS if f != "my_number"])
    r = run(api, auth, "kouiki-daily", "2026-03-30")
    assert r.status_code == 403 and r.json()["code"] == "transfer-field-not-approved"
    assert "my_number" in r.json()["detail"]


def test_an_approval_must_name_fields_the_jobs_carry(api: TestClient, auth) -> None:
    r = api.post("/transfer/approvals", json=approval_body(fields=["name", "bank_account"]), headers=auth(STEWARD))
    assert r.status_code == 422 and "bank_account" in r.json()["detail"]
    twin = api.post("/transfer/approvals", json=approval_body(fields=["name"]), headers=auth(STEWARD))
    assert twin.status_code == 202


def test_only_stewards_propose_and_only_others_confirm(api: TestClient, auth) -> None:
    assert api.post("/transfer/approvals", json=approval_body(), headers=auth(CLERK)).status_code == 403
    proposed = api.post("/transfer/approvals", json=approval_body(), headers=auth(STEWARD)).json()
    own = api.post(f"/transfer/changes/{proposed['request_id']}/confirm", headers=auth(STEWARD))
    assert own.status_code == 403


# --- the file: layout, key, checksum manifest, idempotent re-runs -------------------------------------------

def test_the_file_is_under_the_my_number_key_with_a_checksum_manifest(api: TestClient, auth, runtime) -> None:
    """Issue 15 item 3: a file with My Numbers is encrypted under the My Number key (the key id on the object);
    it lies in the exchange bucket, whose lifecycle expires it (PIA-III-2-h, PIA-II-5-a)."""
    _queue_day(runtime)
    approve(api, auth)
    result = run(api, auth, "kouiki-daily", "2026-03-30").json()
    assert TARO_NUMBER not in json.dumps(result)
    obj = stored(runtime, KEY)
    body = obj["Body"].read()
    assert key_id(runtime, obj["SSEKMSKeyId"]) == key_id(runtime, runtime.key_alias("mynumber"))
    manifest = json.loads(stored(runtime, KEY + ".manifest.json")["Body"].read())
    assert manifest["sha256"] == hashlib.sha256(body).hexdigest() == result["checksum"]
    assert manifest["rows"] == 2 and manifest["bytes"] == len(body)
    records = body.split(b"\r\n")
    # header, two data records, trailer, and the empty tail after the last CR+LF
    assert [r[:1] for r in records] == [b"1", b"2", b"2", b"8", b""]
    width = 1 + 24 + 8 + 12 + 12 + 24 + 60 + 60 + 8 + 1 + 7 + 120 + 12
    assert {len(r) for r in records[1:3]} == {width}
    taro = records[1].decode("cp932")
    # 異動区分: the code of the queued kind (eligibility-acquired → ELIG-ACQUIRED, docs/transfer.md "Layouts")
    assert taro.startswith("2ELIG-ACQUIRED           20260330P0000000001 " + TARO_NUMBER + "H0000000001 ")
    assert records[3] == b"8000000002".ljust(width, b" ")


def test_a_file_without_my_numbers_stays_under_the_data_key(api: TestClient, auth, runtime) -> None:
    """The twin: the 市民税課's file carries no number (PIA-III-2-b, PIA-II-5-b) and is under the data key."""
    _yearly_extract(runtime)
    approve(api, auth, **_shiminzei())
    result = run(api, auth, "shiminzei-annual", "2025-06-01").json()
    obj = stored(runtime, result["key"])
    assert key_id(runtime, obj["SSEKMSKeyId"]) == key_id(runtime, runtime.key_alias("data"))
    text = obj["Body"].read().decode("cp932")
    assert text.splitlines()[0] == "宛名番号,氏名,生年月日,住所,対象年,納付額" and TARO_NUMBER not in text


def test_a_rerun_gives_the_same_file_and_does_not_send_it_again(api: TestClient, auth, runtime) -> None:
    _queue_day(runtime)
    approve(api, auth)
    first = run(api, auth, "kouiki-daily", "2026-03-30").json()
    runtime.clock.advance(hours=1)
    second = run(api, auth, "kouiki-daily", "2026-03-30").json()
    assert second["result"] == "not-resent" and second["checksum"] == first["checksum"]
    versions = runtime.clients.client("s3").list_object_versions(Bucket=runtime.bucket_name("exchange"), Prefix=KEY)
    assert len([v for v in versions["Versions"] if v["Key"] == KEY]) == 1
    assert [e["result"] for e in _ledger(runtime)] == ["sent", "not-resent"]
    assert len(audit_events(runtime, "transfer.sent")) == 1


def test_a_rerun_with_other_content_is_refused(api: TestClient, auth, runtime) -> None:
    """The twin: data changed after the file went; the re-run refuses rather than overwrite what was sent."""
    _queue_day(runtime)
    approve(api, auth)
    run(api, auth, "kouiki-daily", "2026-03-30")
    person = runtime.repository(PersonRepository).get(TARO)
    runtime.records("persons").put({**person, "address": "熊本市北区植木町1"})
    r = run(api, auth, "kouiki-daily", "2026-03-30")
    assert r.status_code == 409 and r.json()["code"] == "transfer-already-sent-differs"


def test_missed_days_are_caught_up_in_order(api: TestClient, auth, runtime) -> None:
    for day in (28, 29, 30, 31):
        _queue_day(runtime, day)
    approve(api, auth)
    assert run(api, auth, "kouiki-daily", "2026-03-28").json()["result"] == "sent"
    report = scheduled_run("kouiki-daily", {"today": "2026-04-01"}, runtime)  # 29, 30, 31 were missed
    assert [(r["period"], r["result"], r["rows"]) for r in report["runs"]] == [
        ("2026-03-29", "sent", 2), ("2026-03-30", "sent", 2), ("2026-03-31", "sent", 2)]
    assert scheduled_run("kouiki-daily", {"today": "2026-04-01"}, runtime)["runs"] == []


def test_a_catch_up_stops_at_a_refusal_and_resumes_there(api: TestClient, auth, runtime) -> None:
    """Nothing is skipped: a refused day stops the catch-up, and the next run starts from that day."""
    for day in (29, 30, 31):
        _queue_day(runtime, day)
    first = approve(api, auth)
    assert run(api, auth, "kouiki-daily", "2026-03-29").json()["result"] == "sent"
    api.post(f"/transfer/approvals/{first}/revoke", json={"reason": "見直し"}, headers=auth(STEWARD))
    refused = scheduled_run("kouiki-daily", {"today": "2026-04-01"}, runtime)["runs"]
    assert [(r["period"], r["result"]) for r in refused] == [("2026-03-30", "refused")]
    approve(api, auth)
    resumed = scheduled_run("kouiki-daily", {"today": "2026-04-01"}, runtime)["runs"]
    assert [(r["period"], r["result"]) for r in resumed] == [("2026-03-30", "sent"), ("2026-03-31", "sent")]


# --- suspension of use (PIA-IV-1) ------------------------------------------------------------------------------

def _shiminzei() -> dict:
    return {"recipient": "shiminzei-ka", "legal_basis": "熊本市個人番号の利用及び特定個人情報の提供に関する条例",
            "purpose": "社会保険料控除の確認", "conditions": "庁内連携のみ", "valid_from": "2025-01-01",
            "valid_to": "2026-12-31", "jobs": ["shiminzei-annual"], "frequency": "yearly",
            "fields": ["person_id", "name", "birth_date", "address", "year", "paid"]}


def _receipts(runtime, day: str, *rows: tuple[str, int]) -> None:
    """A daily 収納 extract as collection writes it (functions/collection/services/extracts.py)."""
    lines = [{"person_id": pid, "payment_number": f"N{pid}", "fiscal_year": 2025, "period": 1, "amount": amount,
              "excess": 0, "channel": "counter", "received_on": f"{day[:4]}-{day[4:6]}-{day[6:]}"}
             for pid, amount in rows]
    runtime.objects("exchange").put(f"extracts/daily/{day}/receipts.jsonl",
                                    "".join(json.dumps(r) + "\n" for r in lines).encode(), "application/x-ndjson")


def _yearly_extract(runtime) -> None:
    _receipts(runtime, "20250731", (TARO, 32400), (HANAKO, 12000))
    _receipts(runtime, "20251231", (TARO, 32400))
    _receipts(runtime, "20260105", (TARO, 99999))  # another year's: not counted


def _suspend(runtime, person_id: str) -> None:
    person = runtime.repository(PersonRepository).get(person_id)
    runtime.records("persons").put({**person, "suspended": True})


def test_a_suspended_person_is_left_out_and_the_ledger_records_the_omission(api: TestClient, auth, runtime) -> None:
    """PIA-IV-1 (利用停止) and PIA-III-5-a (the ledger names the omission)."""
    _yearly_extract(runtime)
    _suspend(runtime, HANAKO)
    approve(api, auth, **_shiminzei())
    result = run(api, auth, "shiminzei-annual", "2025-06-01").json()
    assert (result["rows"], result["omitted"]) == (1, 1)
    text = stored(runtime, result["key"])["Body"].read().decode("cp932")
    [line] = text.splitlines()[1:]
    assert line.startswith(f"{TARO},") and line.endswith(",2025,64800") and HANAKO not in text
    entry = _ledger(runtime, "shiminzei-annual")[-1]
    assert entry["omitted_ids"] == [HANAKO] and entry["omitted"] == 1


def test_a_transfer_the_law_requires_keeps_the_suspended_person(api: TestClient, auth, runtime) -> None:
    """The twin: 資格 events go to the 広域連合 by law (高確法第48条, 第54条); the ledger counts them."""
    _queue_day(runtime)
    _suspend(runtime, HANAKO)
    approve(api, auth)
    result = run(api, auth, "kouiki-daily", "2026-03-30").json()
    assert (result["rows"], result["omitted"], result["kept_by_law"]) == (2, 0, 1)


# --- the ledger for auditors ------------------------------------------------------------------------------------

def test_the_auditor_reads_the_ledger_and_the_read_is_audited(api: TestClient, auth, runtime) -> None:
    _queue_day(runtime)
    approval = approve(api, auth)
    run(api, auth, "kouiki-daily", "2026-03-30")
    r = api.get("/transfer/ledger", params={"from": "2026-04-01", "to": "2026-04-01"}, headers=auth(AUDITOR))
    assert r.status_code == 200
    [entry] = r.json()["entries"]
    assert (entry["job"], entry["period"], entry["recipient"], entry["approval_id"], entry["rows"], entry["run_by"],
            entry["result"]) == ("kouiki-daily", "2026-03-30", "kouiki-rengo", approval, 2, STEWARD, "sent")
    assert entry["fields"] == DAILY_FIELDS and TARO_NUMBER not in r.text
    assert audit_events(runtime, "transfer.ledger-read")


def test_only_auditors_read_the_ledger_and_periods_are_checked(api: TestClient, auth) -> None:
    params = {"from": "2026-04-01", "to": "2026-04-01"}
    assert api.get("/transfer/ledger", params=params, headers=auth(CLERK)).status_code == 403
    bad = api.get("/transfer/ledger", params={"from": "2026-04-02", "to": "2026-04-01"}, headers=auth(AUDITOR))
    assert bad.status_code == 422 and bad.json()["code"] == "invalid-period"


def test_a_period_that_has_not_ended_is_refused(api: TestClient, auth) -> None:
    approve(api, auth)
    r = run(api, auth, "kouiki-daily", "2026-04-01")
    assert r.status_code == 422 and r.json()["code"] == "transfer-period-open"


def test_the_self_inspection_report_holds_the_ledger(api: TestClient, auth, runtime) -> None:
    """Issue 15 item 5: the transfers, refusals included, are part of `choju audit-log inspect` / /audit/inspection."""
    _queue_day(runtime)
    run(api, auth, "kouiki-daily", "2026-03-30")  # refused: no approval yet
    runtime.clock.advance(minutes=5)
    approve(api, auth)
    run(api, auth, "kouiki-daily", "2026-03-30")
    r = api.get("/audit/inspection", params={"from": "2026-04-01T00:00:00+09:00", "to": "2026-04-02T00:00:00+09:00"},
                headers=auth(AUDITOR))
    assert [(t["job"], t["result"]) for t in r.json()["transfers"]] == [("kouiki-daily", "refused"),
                                                                        ("kouiki-daily", "sent")]
    from functions.platform.rules.inspection import inspect, render_markdown

    since = datetime(2026, 3, 31, 15, tzinfo=UTC)
    until = datetime(2026, 4, 1, 15, tzinfo=UTC)
    text = render_markdown(inspect([], since, until, runtime.repository(TransferLedger).between(since, until)))
    assert "## Transfers (PIA-III-5-a)" in text and "Refused transfers: **1**" in text


# --- sources as the other workflows write them ---------------------------------------------------------------

COLLECTION_FIELDS = ["record", "person_id", "payment_number", "fiscal_year", "period", "amount", "outstanding",
                     "due_date", "paid_on"]


def _collection_extract(runtime, day: str, queued_at: datetime) -> None:
    """Collection's daily extracts (functions/collection/services/extracts.py): written and queued the morning
    after the day they cover, entity `extract:<day>`."""
    _receipts(runtime, day, (TARO, 6400))
    arrears = {"person_id": HANAKO, "payment_number": "N0000000002", "fiscal_year": 2025, "period": 3,
               "due_date": "2025-09-30", "outstanding": 5000, "dunned_on": None}
    runtime.objects("exchange").put(f"extracts/daily/{day}/arrears.jsonl", (json.dumps(arrears) + "\n").encode(),
                                    "application/x-ndjson")
    for name in ("receipts", "arrears"):
        key = f"extracts/daily/{day}/{name}.jsonl"
        queue(runtime, f"extract:{day}", f"collection-{name}-daily", queued_at, f"TQ-{name}-{day}", key=key, rows=1)


def test_collections_extracts_go_in_the_file_of_the_day_they_cover(api: TestClient, auth, runtime) -> None:
    """The 2026-03-30 extracts, queued at 07:00 JST on the 31st, are in the 30th's file with the day received; the
    31st's file does not carry them again (its twin)."""
    _collection_extract(runtime, "20260330", datetime(2026, 3, 30, 22, tzinfo=UTC))
    approve(api, auth, jobs=["kouiki-collection-daily"], fields=COLLECTION_FIELDS,
            legal_basis="高齢者の医療の確保に関する法律第138条")
    result = run(api, auth, "kouiki-collection-daily", "2026-03-30").json()
    assert result["result"] == "sent" and result["rows"] == 2, result
    text = stored(runtime, result["key"])["Body"].read().decode("cp932")
    receipts = next(line for line in text.splitlines() if line.startswith("2receipts"))
    assert TARO in receipts and "20250731" not in receipts and receipts.rstrip().endswith("20260330")
    assert "20250930" in next(line for line in text.splitlines() if line.startswith("2arrears"))
    assert run(api, auth, "kouiki-collection-daily", "2026-03-31").json()["rows"] == 0


def test_the_income_file_carries_assessments_income_records(api: TestClient, auth, runtime) -> None:
    """所得・課税情報 as assessment's import stores it (`resident_tax` taxable/non-taxable/undetermined)."""
    taro_income_approved(runtime, api, auth)
    result = run(api, auth, "kouiki-income-monthly", "2026-03-15").json()
    assert result["result"] == "sent" and result["rows"] == 1, result
    line = stored(runtime, result["key"])["Body"].read().decode("cp932").splitlines()[1]
    assert line.startswith(f"2{TARO} {TARO_NUMBER}2025非課税  000000000000000000800000")


def test_the_ledger_and_the_approvals_come_in_pages(api: TestClient, auth, runtime) -> None:
    """Like every list (shared/api/pages.py): pages that add up to the whole, a cursor bound to its period."""
    for day in (27, 28, 29, 30):
        _queue_day(runtime, day)
    approve(api, auth)
    approve(api, auth, **_shiminzei())
    for day in (27, 28, 29, 30):
        run(api, auth, "kouiki-daily", f"2026-03-{day}")
    period = {"from": "2026-04-01", "to": "2026-04-01"}
    whole = api.get("/transfer/ledger", params=period, headers=auth(AUDITOR)).json()["entries"]
    seen, cursor = [], None
    while True:
        r = api.get("/transfer/ledger", params={**period, "limit": 3, **({"cursor": cursor} if cursor else {})},
                    headers=auth(AUDITOR))
        assert r.status_code == 200, r.text
        seen += [e["entry_id"] for e in r.json()["entries"]]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            break
    assert len(whole) == 4 and seen == [e["entry_id"] for e in whole]
    first = api.get("/transfer/ledger", params={**period, "limit": 1}, headers=auth(AUDITOR)).json()["next_cursor"]
    other = api.get("/transfer/ledger", params={"from": "2026-03-01", "to": "2026-04-01", "cursor": first},
                    headers=auth(AUDITOR))
    assert other.status_code == 422 and other.json()["code"] == "invalid-cursor"
    page = api.get("/transfer/approvals", params={"limit": 1}, headers=auth(STEWARD)).json()
    rest = api.get("/transfer/approvals", params={"cursor": page["next_cursor"]}, headers=auth(STEWARD)).json()
    assert len(page["approvals"]) == 1 and len(rest["approvals"]) == 1 and rest["next_cursor"] is None
    assert page["approvals"][0]["approval_id"] < rest["approvals"][0]["approval_id"]


def test_in_lambda_a_run_by_hand_starts_the_job_and_its_worker_sends_the_file(
        api: TestClient, auth, runtime, monkeypatch) -> None:
    """In Lambda `POST /transfer/runs` only starts the job (202): the chunks wait on the job's queue for the
    worker the event source mapping feeds; nothing is sent until it has run them. The twin of
    `test_a_confirmed_approval_allows_the_run`, where no worker exists and the request runs the chunks itself."""
    from functions.transfer.services.runs import KINDS
    from shared.batch.local import run_job_here

    _queue_day(runtime)
    approve(api, auth)
    monkeypatch.setattr(runtime, "settings", runtime.settings.model_copy(update={"chunks_here": None}))  # as in AWS
    r = run(api, auth, "kouiki-daily", "2026-03-30")
    assert r.status_code == 202, r.text
    started = r.json()
    assert (started["job"], started["state"]) == ("kouiki-daily", "running")
    assert not list(runtime.objects("exchange").list(KEY))  # nothing sent by the request itself
    assert [e["result"] for e in _ledger(runtime)] == []
    job = run_job_here(runtime, KINDS["kouiki-daily"], started["job_id"])  # the worker, fed from the queue
    assert job.state.value == "succeeded"
    assert [e["result"] for e in _ledger(runtime)] == ["sent"]
    assert stored(runtime, KEY)
