"""The 福祉 department's 生活保護 異動 file (issue 12 item 5; 法第51条第1号, 第52条, 第53条第2項), from hand-computed
statute cases.

Records are built by hand from the table in docs/intake.md ("生活保護 異動"), not from the code's layout; every
expected date is written out beside its source.
法第51条第1号: 「生活保護法による保護を受けている世帯（その保護を停止されている世帯を除く。）に属する者」
is not insured. 法第53条第2項: coming under 第51条第1号, the 資格 is lost 「その日から」.
法第52条: no longer under it → acquired that day.

Demo (shared/local/demo_data.py): 熊本 太郎 P0000000001, born 1948-05-10, insured from 2023-05-10; 熊本 一郎
P0000000003, born 1980-02-14 (46).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from functions.intake.services.assistance_import import file_identity, import_public_assistance
from functions.intake.services.resident_import import import_resident_changes
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.fixed_width import FileRejected
from shared.domain.person import derived_fields
from tests.audit_events import audit_events
from tests.resident_files import csv_bytes, move_in

TARO, ICHIRO = "P0000000001", "P0000000003"


@pytest.fixture(autouse=True)
def _on_2026_06_01(clock) -> None:
    clock.now = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


def header(created: str = "20260601") -> str:
    return "1" + "431001" + created + " " * 65  # 1 "1" | 2–7 市町村コード | 8–15 作成年月日 | 16–80 予備


def data(no: int, atena: str, action: str, day: str) -> str:
    # 1 "2" | 2–7 レコード番号 | 8–17 宛名コード | 18 異動区分 (1 開始 2 停止 3 停止解除 4 廃止)
    # | 19–26 異動日 | 27–80 予備
    return "2" + f"{no:06d}" + atena + action + day + " " * 54


def trailer(count: int) -> str:
    return "8" + f"{count:06d}" + " " * 73  # 1 "8" | 2–7 件数 | 8–80 予備


def file(*rows: str, crlf: bool = True, count: int | None = None) -> bytes:
    records = [header(), *rows, trailer(len(rows) if count is None else count)]
    assert all(len(r) == 80 for r in records)
    return ("\r\n" if crlf else "").join(records).encode("ascii") + (b"\r\n" if crlf else b"")


def person(runtime, person_id: str) -> dict[str, Any]:
    found = runtime.repository(PersonRepository).get(person_id)
    assert found is not None
    return found


def queued(runtime) -> list[tuple[str, str]]:
    return sorted((q["entity_id"], q["kind"]) for q in runtime.repository(TransferQueue).ready("kouiki-rengo"))


def test_a_start_loses_on_that_day_and_the_end_acquires_on_that_day(runtime) -> None:
    # 開始 2026-06-10 → 喪失日 2026-06-10 itself (法第53条第2項), not 6/11.
    report = import_public_assistance(runtime, file(data(1, "0000000001", "1", "20260610")))
    assert (report.status, report.rows, report.applied, report.events) == ("applied", 1, 1, 1)
    taro = person(runtime, TARO)
    assert (taro["eligibility_status"], taro["eligibility_lost_on"], taro["eligibility_change_reason"],
            taro["public_assistance_since"]) == ("lost", "2026-06-10", "生活保護開始", "2026-06-10")
    # 廃止 2026-09-01 → 資格取得日 2026-09-01 (法第52条: 該当しなくなった日); the first period is kept.
    report = import_public_assistance(runtime, file(data(1, "0000000001", "4", "20260901")))
    assert (report.status, report.events) == ("applied", 1)
    taro = person(runtime, TARO)
    assert (taro["eligibility_status"], taro["eligibility_acquired_on"], taro.get("eligibility_lost_on"),
            taro["insurer"]) == ("insured", "2026-09-01", None, "43")
    assert [p["lost_on"] for p in taro["eligibility_history"]] == ["2026-06-10"]
    assert queued(runtime) == [(TARO, "eligibility-acquired"), (TARO, "eligibility-lost")]
    assert [e["outcome"] for e in audit_events(runtime, "import.public-assistance")] == ["success", "success"]


def test_a_suspension_is_not_an_exclusion_and_its_lifting_is(runtime) -> None:
    # 開始 6/10 (lost 6/10); 停止 7/01: 「その保護を停止されている世帯を除く」 → not excluded, insured again 7/01;
    # 停止解除 8/01: under 保護 again → lost 8/01 (第53条第2項).
    import_public_assistance(runtime, file(data(1, "0000000001", "1", "20260610")))
    import_public_assistance(runtime, file(data(1, "0000000001", "2", "20260701")))
    taro = person(runtime, TARO)
    assert (taro["eligibility_status"], taro["eligibility_acquired_on"]) == ("insured", "2026-07-01")
    import_public_assistance(runtime, file(data(1, "0000000001", "3", "20260801")))
    taro = person(runtime, TARO)
    assert (taro["eligibility_status"], taro["eligibility_lost_on"]) == ("lost", "2026-08-01")


def test_assistance_of_someone_not_otherwise_insured_changes_no_eligibility(runtime) -> None:
    # 46 years old: 開始 and 停止 are recorded, but no 資格 follows either way (法第50条) → no event.
    import_public_assistance(runtime, file(data(1, "0000000003", "1", "20260610")))
    report = import_public_assistance(runtime, file(data(1, "0000000003", "2", "20260701")))
    assert report.events == 0 and person(runtime, ICHIRO).get("eligibility_status") != "insured"
    assert person(runtime, ICHIRO)["public_assistance_suspended_from"] == "2026-07-01"
    assert queued(runtime) == []


def test_a_move_in_under_public_assistance_does_not_acquire(runtime) -> None:
    # Born 1949-03-01 (77), on the register as 住登外 with 保護 from 2026-03-01 (file); 転入 from 福岡 on
    # 2026-04-01: 法第51条第1号 → not insured, no acquisition (the twin without the 保護 acquires on 4/1).
    record = {"person_id": "P1000000101", "household_id": "H9000000101", "name": "転入 太郎",
              "name_kana": "テンニュウ タロウ", "birth_date": "1949-03-01", "sex": "1", "address": "福岡市博多区1-1",
              "resident_status": "non-resident", "suspended": False, "version": 1}
    record.update(derived_fields(record))
    runtime.repository(PersonRepository).put_new(record)
    import_public_assistance(runtime, file(data(1, "1000000101", "1", "20260301")))
    import_resident_changes(runtime, "jyuki-renkei-utf8", csv_bytes([
        move_in(1, "1000000101", birth="19490301", prefecture="40", change_date="20260401")]))
    moved = person(runtime, "P1000000101")
    assert moved["eligibility_status"] == "not-insured" and not moved.get("eligibility_acquired_on")
    assert queued(runtime) == []


def test_a_bad_file_is_refused_whole_with_its_record_numbers_again_and_again(runtime) -> None:
    bad = file(data(1, "0000000001", "1", "20260610"),  # valid, but not applied: the file is refused whole
               data(2, "0000000003", "1", "20260231"),  # 2月31日, no such date — record 3 of the file
               data(3, "0000000004", "7", "20260610"),  # 異動区分 7 — record 4
               count=2)  # trailer says 2 — record 5
    for _ in range(2):  # a refused file sent again is refused again, never already-applied
        with pytest.raises(FileRejected) as refused:
            import_public_assistance(runtime, bad)
        assert [(e.record, e.field) for e in refused.value.record_errors] == [
            (3, "action_date"), (4, "action"), (5, "count")]
    assert person(runtime, TARO)["eligibility_status"] == "insured" and not person(runtime, TARO).get(
        "public_assistance_since")
    assert [e["outcome"] for e in audit_events(runtime, "import.public-assistance")] == ["refused", "refused"]


def test_unknown_persons_and_impossible_changes_are_refused_with_their_records(runtime) -> None:
    bad = file(data(1, "0000000001", "1", "20260610"),
               data(2, "0000000009", "1", "20260610"),  # record 3: unknown 宛名コード
               data(3, "0000000003", "4", "20260610"))  # record 4: 廃止 without a 保護 on record
    with pytest.raises(FileRejected) as refused:
        import_public_assistance(runtime, bad)
    assert [(e.record, e.field) for e in refused.value.record_errors] == [(3, "atena_code"), (4, "action")]
    assert not person(runtime, TARO).get("public_assistance_since")
    files = runtime.records("inbound-files").get(file_identity(bad))
    assert files is not None and files["status"] == "refused"


def test_an_older_row_never_overwrites_newer_data(runtime) -> None:
    import_public_assistance(runtime, file(data(1, "0000000001", "1", "20260610")))
    with pytest.raises(FileRejected) as refused:  # 廃止 dated before the 開始 on record
        import_public_assistance(runtime, file(data(1, "0000000001", "4", "20260601")))
    assert [(e.record, e.field) for e in refused.value.record_errors] == [(2, "action_date")]


def test_the_same_records_sent_again_with_other_line_ends_are_applied_once(runtime) -> None:
    rows = data(1, "0000000001", "1", "20260610")
    assert import_public_assistance(runtime, file(rows)).status == "applied"
    again = import_public_assistance(runtime, file(rows, crlf=False))
    assert again.status == "already-applied"
    assert queued(runtime) == [(TARO, "eligibility-lost")]
    assert person(runtime, TARO)["eligibility_lost_on"] == "2026-06-10"


def test_the_cli_applies_a_file_and_refuses_a_bad_one(runtime, state_dir, monkeypatch, tmp_path, capsys) -> None:
    """`choju import-public-assistance FILE`: the same import as above, from an operator's shell."""
    from shared.cli.main import main
    from tests.conftest import env_for

    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    good = tmp_path / "seikatsuhogo.dat"
    good.write_bytes(file(data(1, "0000000001", "1", "20260610")))
    assert main(["import-public-assistance", str(good)]) == 0
    assert "status=applied rows=1 applied=1 events=1" in capsys.readouterr().out
    taro = person(runtime, TARO)
    assert (taro["eligibility_status"], taro["eligibility_lost_on"]) == ("lost", "2026-06-10")  # 法第53条第2項
    assert main(["import-public-assistance", str(good)]) == 0  # sent again: applied once
    assert "status=already-applied" in capsys.readouterr().out
    bad = tmp_path / "bad.dat"  # the twin: a trailer count that does not match refuses the file, nothing applied
    bad.write_bytes(file(data(1, "0000000003", "1", "20260610"), count=2))
    assert main(["import-public-assistance", str(bad)]) == 1
    assert "refused" in capsys.readouterr().err
    assert person(runtime, ICHIRO).get("public_assistance_since") is None


def _s3_event(key: str) -> dict[str, Any]:
    return {"Records": [{"s3": {"bucket": {"name": "exchange"}, "object": {"key": key}}}]}


def test_a_file_the_welfare_department_drops_into_its_inbound_folder_is_applied_once(runtime) -> None:
    """In AWS the 保護課 puts its file under inbound/fukushi-hogo/ and the bucket's notification runs
    on_inbound_file: it used to hand the file to the 住基 import, which refused it (fukushi-hogo may not send
    住基異動), so the file was never applied. The import stores nothing again (its own notification would loop)."""
    from functions.intake.batch import on_inbound_file

    key = "inbound/fukushi-hogo/hogo-20260601.dat"
    runtime.objects("exchange").put(key, file(data(1, "0000000001", "1", "20260610")), "application/octet-stream")
    result = on_inbound_file(_s3_event(key), None, runtime=runtime)
    assert result["files"] == [{"key": key, "file_hash": result["files"][0]["file_hash"], "status": "applied",
                                "rows": 1, "applied": 1, "events": 1}]
    taro = person(runtime, TARO)
    assert (taro["eligibility_status"], taro["eligibility_lost_on"]) == ("lost", "2026-06-10")  # 法第53条第2項
    assert [s.key for s in runtime.objects("exchange").list("inbound/fukushi-hogo/")] == [key]  # not stored again
    again = on_inbound_file(_s3_event(key), None, runtime=runtime)  # S3 delivers an event more than once
    assert again["files"][0]["status"] == "already-applied"
    assert queued(runtime) == [(TARO, "eligibility-lost")]


def test_a_bad_welfare_file_from_s3_is_refused_with_its_records_and_others_still_run(runtime) -> None:
    from functions.intake.batch import on_inbound_file

    bad, good = "inbound/fukushi-hogo/hogo-bad.dat", "inbound/fukushi-hogo/hogo-good.dat"
    runtime.objects("exchange").put(bad, file(data(1, "0000000001", "9", "20260610")), "application/octet-stream")
    runtime.objects("exchange").put(good, file(data(1, "0000000001", "1", "20260610")), "application/octet-stream")
    event = {"Records": _s3_event(bad)["Records"] + _s3_event(good)["Records"]}
    results = on_inbound_file(event, None, runtime=runtime)["files"]
    assert [(r["key"], r["status"]) for r in results] == [(bad, "refused"), (good, "applied")]
    assert "record 2" in results[0]["reason"] or "レコード" in results[0]["reason"], results[0]["reason"]
