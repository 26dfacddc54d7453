"""Applying 住基異動 files (PIA-I-1-b, PIA-III-2-d, PIA-III-2-i, PIA-II-5-a): registered counterparties only,
nothing half-applied, idempotent."""

from __future__ import annotations

import csv
import io
import json

import pytest

from functions.intake.batch import on_inbound_file
from functions.intake.rules.resident_changes import FileRefused
from functions.intake.services.resident_import import import_resident_changes
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.counterparties import UnknownCounterparty
from shared.local.demo_data import demo_my_number
from tests.resident_files import csv_bytes, move_in, row

TARO = "P0000000001"  # insured, 1948-05-10


def queued(runtime) -> list[dict]:
    return runtime.repository(TransferQueue).ready("kouiki-rengo")


def test_a_valid_file_updates_persons_and_raises_eligibility_events(runtime) -> None:
    content = csv_bytes([
        move_in(1, "1000000101", birth="19490301", prefecture="40"),  # 77, from 福岡: acquires on the move-in day
        row(2, "05", "0000000001", change_date="20260429"),  # 熊本 太郎 dies 4/29: loses on 4/30
        row(3, "03", "0000000002", address="熊本市中央区水前寺1-1"),  # 熊本 花子 (insured) moves within the city
    ], "cp932")
    report = import_resident_changes(runtime, "jyuki-renkei", content)
    assert (report.status, report.applied, report.rejected, report.events) == ("applied", 3, 0, 3)
    newcomer = runtime.repository(PersonRepository).get("P1000000101")
    assert newcomer["eligibility_status"] == "insured" and newcomer["eligibility_acquired_on"] == "2026-04-01"
    assert newcomer["eligibility_change_reason"] == "転入" and newcomer["kana_key"] == "テンニュウタロウ"
    taro = runtime.repository(PersonRepository).get(TARO)
    assert taro["resident_status"] == "deceased" and taro["eligibility_lost_on"] == "2026-04-30"
    assert runtime.repository(PersonRepository).get("P0000000002")["address"] == "熊本市中央区水前寺1-1"
    kinds = sorted(q["kind"] for q in queued(runtime))
    assert kinds == ["eligibility-acquired", "eligibility-lost", "insured-person-changed"]


def test_a_move_in_from_within_the_prefecture_is_not_a_new_acquisition(runtime) -> None:
    report = import_resident_changes(runtime, "jyuki-renkei-utf8",
                                     csv_bytes([move_in(1, "1000000102", prefecture="43")]))
    assert report.events == 1 and queued(runtime)[0]["kind"] == "insured-person-changed"
    assert runtime.repository(PersonRepository).get("P1000000102").get("eligibility_acquired_on") is None


def test_a_file_with_rejects_is_not_applied_at_all_for_a_strict_counterparty(runtime) -> None:
    content = csv_bytes([row(1, "03", "0000000002", address="熊本市中央区水前寺1-1"), row(2, "99", "0000000004")],
                        "cp932")
    before = runtime.repository(PersonRepository).get("P0000000002")
    report = import_resident_changes(runtime, "jyuki-renkei", content)
    assert (report.status, report.applied, report.rejected) == ("refused", 0, 1)
    assert runtime.repository(PersonRepository).get("P0000000002") == before and queued(runtime) == []
    body = runtime.clients.client("s3").get_object(Bucket=runtime.bucket_name("exchange"),
                                                   Key=report.reject_report_key)["Body"].read().decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["row", "field", "reason"] and rows[1][:2] == ["2", "change_code"] and len(rows) == 2


def test_partial_application_when_the_counterparty_allows_it(runtime) -> None:
    content = csv_bytes([row(1, "03", "0000000002", address="熊本市中央区水前寺1-1"), row(2, "99", "0000000004")])
    report = import_resident_changes(runtime, "jyuki-renkei-utf8", content)
    assert (report.status, report.applied, report.rejected) == ("partially-applied", 1, 1)
    assert runtime.repository(PersonRepository).get("P0000000002")["address"] == "熊本市中央区水前寺1-1"


def test_applying_the_same_file_twice_changes_nothing(runtime) -> None:
    content = csv_bytes([row(1, "03", "0000000002", address="熊本市中央区水前寺1-1")], "cp932")
    import_resident_changes(runtime, "jyuki-renkei", content)
    after_first = runtime.repository(PersonRepository).get("P0000000002")
    again = import_resident_changes(runtime, "jyuki-renkei", content)
    assert again.status == "already-applied" and runtime.repository(PersonRepository).get("P0000000002") == after_first
    assert len(queued(runtime)) == 1


class Killed(BaseException):
    """The process dies (a Lambda killed at its time-out): no `except Exception` of ours runs."""


def test_a_restart_after_a_crash_does_not_apply_a_row_twice(runtime, monkeypatch) -> None:
    """Rows carry their file and row reference; a re-run after a crash skips the rows already applied."""
    content = csv_bytes([row(1, "03", "0000000002", address="熊本市中央区水前寺1-1"),
                         row(2, "03", "0000000004", address="熊本市東区新町1")], "cp932")

    def die(*args, **kwargs):
        raise Killed  # after the chunk's writes, before its checkpoint

    monkeypatch.setattr(runtime.jobs, "complete_chunk", die)
    with pytest.raises(Killed):
        import_resident_changes(runtime, "jyuki-renkei", content)
    versions = {p: runtime.repository(PersonRepository).get(p)["version"] for p in ("P0000000002", "P0000000004")}
    monkeypatch.undo()
    report = import_resident_changes(runtime, "jyuki-renkei", content)
    # The same counts as an uninterrupted run: the replayed chunk's event is written again under its derived id.
    assert report.status == "applied" and report.applied == 2 and report.events == 1
    assert {p: runtime.repository(PersonRepository).get(p)["version"] for p in versions} == versions
    assert len(queued(runtime)) == 1


def test_an_unregistered_counterparty_is_refused_before_parsing(runtime) -> None:
    with pytest.raises(UnknownCounterparty):
        import_resident_changes(runtime, "someone-else", csv_bytes([row(1, "05", "0000000001")]))
    with pytest.raises(UnknownCounterparty):  # registered, but not for this kind of file
        import_resident_changes(runtime, "kouiki-rengo", csv_bytes([row(1, "05", "0000000001")]))


def test_a_wrongly_encoded_file_is_refused_whole(runtime) -> None:
    with pytest.raises(FileRefused):
        import_resident_changes(runtime, "jyuki-renkei-utf8",
                                csv_bytes([row(1, "07", "0000000004", name="髙橋 次郎", name_kana="タカハシ")],
                                          "cp932"))


def test_a_my_number_from_the_register_is_sealed(runtime) -> None:
    number = demo_my_number("27182818284")
    import_resident_changes(runtime, "jyuki-renkei-utf8", csv_bytes([row(1, "08", "0000000005", my_number=number)]))
    record = runtime.repository(PersonRepository).get("P0000000005")
    assert runtime.vault.decrypt(record["mynumber_enc"]).digits == number
    raw = runtime.clients.client("dynamodb").scan(TableName=runtime.table_name("persons"))["Items"]
    assert number not in json.dumps(raw)


def test_files_dropped_under_the_inbound_prefix_are_applied_by_the_batch_handler(runtime) -> None:
    s3 = runtime.clients.client("s3")
    bucket = runtime.bucket_name("exchange")
    s3.put_object(Bucket=bucket, Key="inbound/jyuki-renkei/20260401.csv",
                  Body=csv_bytes([row(1, "03", "0000000002", address="熊本市中央区水前寺1-1")], "cp932"))
    s3.put_object(Bucket=bucket, Key="inbound/stranger/x.csv", Body=b"x")
    event = {"Records": [{"s3": {"bucket": {"name": bucket}, "object": {"key": "inbound/jyuki-renkei/20260401.csv"}}},
                         {"s3": {"bucket": {"name": bucket}, "object": {"key": "inbound/stranger/x.csv"}}}]}
    result = on_inbound_file(event, None, runtime=runtime)
    assert [f["status"] for f in result["files"]] == ["applied", "refused"]
    assert runtime.repository(PersonRepository).get("P0000000002")["address"] == "熊本市中央区水前寺1-1"
