"""Printed 資格確認書 (design rule 11; PIA-I-1-a, PIA-III-2-c): the cards of the 75歳到達 run, valid from the
birthday, into the documents bucket one file per chunk; the card of one record at the counter as an audited read.

Hand-checked: 宇土 春子 (P0000000006) born 1952-08-01 turns 75 on 2027-08-01 = 令和9年8月1日; her card, made on
2027-07-20 (令和9年7月20日) in the month before, is valid to the 7/31 after the birthday, 2028-07-31 = 令和10年7月31日.
八代 健 (P0000000007) born 1952-08-15 turns 75 on 令和9年8月15日, valid to the same day.
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from functions.intake.services.certificate_print import print_run
from functions.intake.services.certificates import certificate_values
from functions.intake.services.reaching_75 import run_reaching_75
from shared.adapters.dynamo import to_item
from shared.adapters.persons import PersonRepository
from shared.domain.person import derived_fields
from tests.audit_events import audit_events
from tests.notices.pdf import has_row, no_my_number, page_sizes_mm, text, text_lines

CLERK, AUDITOR = "S1001", "S1007"
HARUKO, KEN, TARO = "P0000000006", "P0000000007", "P0000000001"
AUGUST = (date(2027, 8, 1), date(2027, 8, 31))
MADE_ON = date(2027, 7, 20)


@pytest.fixture
def august_birthdays(runtime):
    """Move the two demo people reaching 75 to fixed birthdays in August 2027 (the demo's are next month)."""
    people = runtime.repository(PersonRepository)
    for person_id, born in ((HARUKO, "1952-08-01"), (KEN, "1952-08-15")):
        record = {**people.get(person_id), "birth_date": born}
        record.update(derived_fields(record))
        runtime.clients.client("dynamodb").put_item(TableName=runtime.table_name("persons"), Item=to_item(record))
    return runtime


def test_a_card_mailed_before_the_birthday_is_valid_from_the_birthday_to_the_next_july(august_birthdays) -> None:
    rt = august_birthdays
    result = run_reaching_75(rt, *AUGUST, MADE_ON)
    assert result["certificates_issued"] == 2
    card = rt.records("certificates").get(f"QC-{HARUKO}-2027-08-01")
    assert (card["issued_on"], card["valid_from"], card["valid_until"]) == ("2027-07-20", "2027-08-01", "2028-07-31")
    assert card["print"]["valid_until"] == "2028-07-31"
    # Twin: dated from the day it is made, the card would expire on 2027-07-31, before the insurance starts.
    assert certificate_values(rt.repository(PersonRepository).get(HARUKO), "new", MADE_ON)["valid_until"] == \
        "2027-07-31"


def test_the_run_prints_its_cards_into_the_documents_bucket_and_a_rerun_writes_the_same_bytes(
        august_birthdays) -> None:
    rt = august_birthdays
    result = run_reaching_75(rt, *AUGUST, MADE_ON)
    # Chunks are numbered from 1, one a birth month searched: 1 = 1952-07, 2 = 1952-08 (both cards); file 0000.
    key = "notices/certificate/reaching-75-20270801-20270831/0002-0000.pdf"
    assert result["files"] == [key]
    pdf = rt.objects("documents").get(key)
    lines = text_lines(pdf)
    assert page_sizes_mm(pdf) == [(86.0, 54.0), (86.0, 54.0)]
    for row in (("氏名", "宇土 春子（ウト ハルコ）"), ("発効期日", "令和9年8月1日"), ("有効期限", "令和10年7月31日"),
                ("交付年月日", "令和9年7月20日"), ("氏名", "八代 健（ヤツシロ ケン）"), ("発効期日", "令和9年8月15日")):
        assert has_row(lines, row), row
    # 宇土 春子's record holds a My Number (encrypted); the card does not carry it.
    assert rt.repository(PersonRepository).get(HARUKO)["mynumber_enc"] and no_my_number(pdf)
    again = run_reaching_75(rt, *AUGUST, MADE_ON)
    assert again["certificates_issued"] == 0 and again["files"] == [key]
    assert rt.objects("documents").get(key) == pdf
    runs = audit_events(rt, "notice.print-run")
    assert [(r["target"], r["detail"]["notices"], r["detail"]["files"]) for r in runs] == \
        [("reaching-75-20270801-20270831", "2", "1")] * 2


def test_a_run_is_cut_into_one_file_per_chunk(august_birthdays) -> None:
    rt = august_birthdays
    run_reaching_75(rt, *AUGUST, MADE_ON)
    keys = print_run(rt, "chunked", [f"QC-{HARUKO}-2027-08-01", f"QC-{KEN}-2027-08-15"], chunk=1)
    assert keys == ["notices/certificate/chunked/0000.pdf", "notices/certificate/chunked/0001.pdf"]
    first, second = (rt.objects("documents").get(k) for k in keys)
    assert "宇土 春子（ウト ハルコ）" in text(first) and "八代" not in text(first)
    assert "八代 健（ヤツシロ ケン）" in text(second) and len(page_sizes_mm(second)) == 1


def _issue_renewal(rt) -> str:
    from functions.intake.services.certificates import run_annual_renewal

    run_annual_renewal(rt, date(2027, 8, 1))
    return f"QC-{TARO}-renewal-2027"


def test_a_clerk_prints_a_card_at_the_counter_as_an_audited_read(api: TestClient, auth, runtime) -> None:
    certificate_id = _issue_renewal(runtime)
    r = api.get(f"/intake/persons/{TARO}/certificates/{certificate_id}/pdf", params={"purpose": "再交付（紛失）"},
                headers=auth(CLERK))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.headers["cache-control"] == "no-store"
    number = r.headers["content-disposition"].removeprefix('attachment; filename="').removesuffix('.pdf"')
    assert number.startswith("QC-20270801-")
    lines = text_lines(r.content)
    for row in (("氏名", "熊本 太郎（クマモト タロウ）"), ("生年月日", "昭和23年5月10日　　性別　男"),
                ("発効期日", "令和9年8月1日"), ("有効期限", "令和10年7月31日"), ("被保険者番号", "10000001")):
        assert has_row(lines, row), row
    assert number in lines and no_my_number(r.content)  # 熊本 太郎's record holds a My Number
    event = audit_events(runtime, "notice.print")[-1]
    assert (event["staff_id"], event["target"], event["purpose"]) == (CLERK, TARO, "再交付（紛失）")
    assert event["detail"] == {"kind": "certificate", "record": certificate_id, "document_number": number}
    again = api.get(f"/intake/persons/{TARO}/certificates/{certificate_id}/pdf", params={"purpose": "再印刷"},
                    headers=auth(CLERK))
    assert again.content == r.content  # the same record prints the same card with the same number


def test_printing_needs_a_purpose_the_permission_and_a_record_of_that_person(api: TestClient, auth, runtime) -> None:
    from tests.api.test_errors import assert_problem

    certificate_id = _issue_renewal(runtime)
    path = f"/intake/persons/{TARO}/certificates/{certificate_id}/pdf"
    assert_problem(api.get(path, headers=auth(CLERK)), 422, "validation-failed")
    assert_problem(api.get(path, params={"purpose": "監査"}, headers=auth(AUDITOR)), 403, "forbidden")
    other = f"/intake/persons/P0000000002/certificates/{certificate_id}/pdf"
    assert_problem(api.get(other, params={"purpose": "再交付"}, headers=auth(CLERK)), 404, "not-found")
    missing = f"/intake/persons/{TARO}/certificates/QC-nothing/pdf"
    assert_problem(api.get(missing, params={"purpose": "再交付"}, headers=auth(CLERK)), 404, "not-found")
    assert not audit_events(runtime, "notice.print")


def test_choju_reaching_75_apply_names_the_files_it_printed(runtime, state_dir, monkeypatch, capsys) -> None:
    from datetime import timedelta

    from shared.cli.main import main
    from tests.conftest import env_for

    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    today = runtime.clock().date()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)  # the demo's two birthdays are next month
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    assert main(["reaching-75", "--from", first.isoformat(), "--to", last.isoformat(), "--apply"]) == 0
    # Chunk 2: the second birth month searched, the demo's two people reaching 75 next month.
    key = f"notices/certificate/reaching-75-{first:%Y%m%d}-{last:%Y%m%d}/0002-0000.pdf"
    out = capsys.readouterr().out
    assert "queued 2 events, issued 2 certificates" in out
    assert f"printed: s3://{runtime.bucket_name('documents')}/{key}" in out.splitlines()
    assert "宇土 春子" in text(runtime.objects("documents").get(key))


def _changed_behind_the_index(rt, monkeypatch, person_id: str, **change: str) -> dict:
    """Store `change` on the person (a clerk's, a new version) while the birth-month index, eventually
    consistent, still shows the person as before; returns the record as now stored."""
    stale = rt.repository(PersonRepository).get(person_id)
    changed = {**stale, **change, "version": int(stale["version"]) + 1}
    rt.clients.client("dynamodb").put_item(TableName=rt.table_name("persons"), Item=to_item(changed))
    real = PersonRepository.by_birth_month

    def index_lagging(self: PersonRepository, month: str) -> list[dict]:
        return [stale if p["person_id"] == person_id else p for p in real(self, month)]

    monkeypatch.setattr(PersonRepository, "by_birth_month", index_lagging)
    return changed


def test_the_run_does_not_undo_a_change_made_after_the_index_was_read(august_birthdays, monkeypatch) -> None:
    """The birth-month index is eventually consistent: the run sees 春子 as she was before a clerk changed her
    address; it records her acquisition on the record as it is now, keeping the new address."""
    rt = august_birthdays
    people = rt.repository(PersonRepository)
    moved = _changed_behind_the_index(rt, monkeypatch, HARUKO, address="熊本市中央区手取本町1-1")
    run_reaching_75(rt, *AUGUST, MADE_ON)
    now = people.get(HARUKO)
    assert now["address"] == "熊本市中央区手取本町1-1"  # the clerk's change survives (a whole-record write lost it)
    assert (now["eligibility_acquired_on"], now["version"]) == ("2027-08-01", moved["version"] + 1)
    card = rt.records("certificates").get(f"QC-{HARUKO}-2027-08-01")
    assert card["print"]["address"] == "熊本市中央区手取本町1-1"


def test_a_person_who_moved_out_after_the_index_was_read_gets_no_acquisition_event_or_card(
        august_birthdays, monkeypatch) -> None:
    """The index still shows 春子 as a resident; meanwhile she moved out of the prefecture. Judged again on the
    re-read she no longer reaches 75 here (法第50条: not a resident of the area), so nothing is recorded for her —
    the events were once computed from the stale list and queued an acquisition for someone who had left."""
    rt = august_birthdays
    people = rt.repository(PersonRepository)
    left = _changed_behind_the_index(rt, monkeypatch, HARUKO, resident_status="moved-out")
    summary = run_reaching_75(rt, *AUGUST, MADE_ON)
    assert people.get(HARUKO)["version"] == left["version"]  # not written
    assert not people.get(HARUKO).get("eligibility_acquired_on")
    assert rt.records("transfer-queue").get(f"R75-{HARUKO}-2027-08-01") is None
    assert rt.records("certificates").get(f"QC-{HARUKO}-2027-08-01") is None
    assert rt.records("transfer-queue").get(f"R75-{KEN}-2027-08-15") is not None  # the others as before
    assert summary["people"] == 1 and summary["queued"] == 1
