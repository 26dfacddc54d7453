"""The 住基異動 file is validated completely before anything is applied (design rule 9; PIA-III-2-d, PIA-II-3-b)."""

import pytest

from functions.intake.rules.resident_changes import ChangeCode, FileRefused, parse_file
from tests.resident_files import csv_bytes, move_in, row


def test_a_valid_file_parses_every_row() -> None:
    parsed = parse_file(csv_bytes([move_in(1, "1000000101"), row(2, "05", "0000000001", change_date="20260415"),
                                   row(3, "03", "0000000004", address="熊本市東区新町1")]), "utf-8")
    assert parsed.rejects == [] and parsed.rows == 3
    assert [c.code for c in parsed.changes] == [ChangeCode.MOVE_IN, ChangeCode.DEATH, ChangeCode.ADDRESS_CHANGE]
    moved = parsed.changes[0]
    assert moved.person_id == "P1000000101" and moved.values["household_id"] == "H9000000101"
    assert moved.values["birth_date"] == "1950-01-01" and moved.other_prefecture == "40"


def test_cp932_is_read_when_declared() -> None:
    content = csv_bytes([row(1, "07", "0000000004", name="髙橋 次郎", name_kana="タカハシ ジロウ")], "cp932")
    parsed = parse_file(content, "cp932")
    assert parsed.changes[0].values["name"] == "髙橋 次郎"


def test_the_wrong_encoding_refuses_the_whole_file() -> None:
    content = csv_bytes([row(1, "07", "0000000004", name="髙橋 次郎", name_kana="タカハシ ジロウ")], "cp932")
    with pytest.raises(FileRefused, match="utf-8"):
        parse_file(content, "utf-8")


def test_a_wrong_header_refuses_the_whole_file() -> None:
    with pytest.raises(FileRefused, match="header"):
        parse_file(b"no,header,here\r\n1,2,3\r\n", "utf-8")


@pytest.mark.parametrize("bad, field", [
    (row(1, "99", "0000000001"), "change_code"),
    (row(1, "03", "0000000001"), "address"),  # 転居 needs the new address
    (row(1, "05", "0000000001", change_date="20260231"), "change_date"),
    (row(1, "05", "12345"), "atena_code"),
    (move_in(1, "1000000101", birth="1950-01-01"), "birth_date"),
    (move_in(1, "1000000101", sex="3"), "sex"),
    (row(1, "08", "0000000001", my_number="123456789010"), "my_number"),  # wrong check digit
    (row(1, "02", "0000000001", other_address="福岡市", other_prefecture="Fukuoka"), "other_prefecture"),
])
def test_each_kind_of_bad_row_is_rejected_by_field(bad: dict, field: str) -> None:
    parsed = parse_file(csv_bytes([bad]), "utf-8")
    assert parsed.changes == [] and [(r.row, r.field) for r in parsed.rejects][:1] == [(1, field)]


def test_rejects_never_carry_the_value() -> None:
    parsed = parse_file(csv_bytes([row(1, "08", "0000000001", my_number="123456789010")]), "utf-8")
    assert "123456789010" not in repr(parsed.rejects)


def test_short_rows_and_duplicate_record_numbers_are_rejected() -> None:
    content = csv_bytes([row(1, "05", "0000000001"), row(1, "05", "0000000002")]) + b"3,05\r\n"
    parsed = parse_file(content, "utf-8")
    assert [(r.row, r.field) for r in parsed.rejects] == [(2, "record_no"), (3, "*")]
    assert len(parsed.changes) == 1
