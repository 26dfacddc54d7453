"""住基異動 imports that cannot half-apply (issue 12 item 9; design rule 9, PIA-I-1-b, III-2-d)."""

from __future__ import annotations

import hashlib

import pytest

from functions.intake.rules.resident_changes import FileRefused
from functions.intake.services.resident_import import import_resident_changes
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from tests.audit_events import audit_events
from tests.resident_files import csv_bytes, move_in, row

HANAKO = "P0000000002"
GOOD = row(1, "03", "0000000002", address="熊本市中央区水前寺1-1")


def queued(runtime) -> list[dict]:
    return runtime.repository(TransferQueue).ready("kouiki-rengo")


def test_an_overlong_address_refuses_the_whole_file_before_any_row_changes(runtime) -> None:
    before = runtime.repository(PersonRepository).get(HANAKO)
    content = csv_bytes([GOOD, row(2, "03", "0000000004", address="熊" * 201)], "cp932")  # 住所 is ≤ 200
    report = import_resident_changes(runtime, "jyuki-renkei", content)
    assert (report.status, report.rejected) == ("refused", 1) and report.rejects[0]["row"] == 2
    assert runtime.repository(PersonRepository).get(HANAKO) == before and queued(runtime) == []
    recorded = runtime.records("inbound-files").get(report.file_hash)
    assert recorded["status"] == "refused"
    assert [e["outcome"] for e in audit_events(runtime, "import.resident-changes")] == ["refused"]
    again = import_resident_changes(runtime, "jyuki-renkei", content)  # sent again: refused again, not applied
    assert again.status == "refused"
    assert [e["outcome"] for e in audit_events(runtime, "import.resident-changes")] == ["refused", "refused"]


def test_a_file_unreadable_as_a_whole_is_recorded_and_audited(runtime) -> None:
    content = b"not,the,header\r\n"
    with pytest.raises(FileRefused):
        import_resident_changes(runtime, "jyuki-renkei-utf8", content)
    assert runtime.records("inbound-files").get(hashlib.sha256(content).hexdigest())["status"] == "refused"
    assert [e["outcome"] for e in audit_events(runtime, "import.resident-changes")] == ["refused"]


def test_the_same_rows_with_lf_instead_of_crlf_are_not_applied_twice(runtime) -> None:
    crlf = csv_bytes([GOOD])
    lf = crlf.replace(b"\r\n", b"\n")
    assert crlf != lf
    assert import_resident_changes(runtime, "jyuki-renkei-utf8", crlf).status == "applied"
    assert import_resident_changes(runtime, "jyuki-renkei-utf8", lf).status == "already-applied"
    assert len(queued(runtime)) == 1


def test_a_row_for_an_unknown_atena_code_is_a_reject_never_a_nameless_person(runtime) -> None:
    report = import_resident_changes(runtime, "jyuki-renkei-utf8",
                                     csv_bytes([GOOD, row(2, "03", "0000009999", address="熊本市北区1-1")]))
    assert (report.status, report.applied, report.rejected) == ("partially-applied", 1, 1)
    assert report.rejects[0]["field"] == "atena_code"
    assert runtime.repository(PersonRepository).get("P0000009999") is None


def test_a_move_within_the_city_after_a_rejected_move_in_is_a_reject(runtime) -> None:
    bad_move_in = move_in(1, "1000000301", sex="9")  # 性別 9 is not a code: the 転入 is rejected
    report = import_resident_changes(runtime, "jyuki-renkei-utf8", csv_bytes([
        bad_move_in, row(2, "03", "1000000301", address="熊本市東区1-1", change_date="20260405")]))
    assert sorted((r["row"], r["field"]) for r in report.rejects) == [(1, "sex"), (2, "atena_code")]
    assert runtime.repository(PersonRepository).get("P1000000301") is None


def test_an_older_file_never_overwrites_newer_data(runtime) -> None:
    newer = row(1, "03", "0000000002", address="熊本市中央区新しい1-1", change_date="20260410")
    older = row(1, "03", "0000000002", address="熊本市中央区古い9-9", change_date="20260405")
    import_resident_changes(runtime, "jyuki-renkei-utf8", csv_bytes([newer]))
    report = import_resident_changes(runtime, "jyuki-renkei-utf8", csv_bytes([older]))
    # 2026-04-05 < 2026-04-10 (the person's last change): a reject, the newer address stays.
    assert report.rejects[0]["field"] == "change_date"
    assert runtime.repository(PersonRepository).get(HANAKO)["address"] == "熊本市中央区新しい1-1"


def test_a_huge_field_is_a_clear_reject_not_a_traceback(runtime) -> None:
    report = import_resident_changes(runtime, "jyuki-renkei-utf8",
                                     csv_bytes([GOOD, row(2, "03", "0000000004", address="x" * 131_072)]))
    assert report.rejected == 1 and "longer than" in report.rejects[0]["reason"]
