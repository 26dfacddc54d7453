"""The 収納データ layout (docs/collection.md; file-layouts §4 leaves it to the agent) and the 特別徴収 layout
(file-layouts §3 [P]): byte for byte, and a malformed record rejected with its position."""

from __future__ import annotations

from datetime import date

import pytest

from functions.collection.rules.payment_file import Channel, PaymentRecord, build_payment_file, parse_payment_file
from functions.collection.rules.pension_files import Kind, PensionRecord, build_pension_file, parse_pension_file
from shared.domain.fixed_width import FileRejected

PAID = PaymentRecord(0, "CVS0000000000000001", "2025010000000101", date(2025, 7, 30), date(2025, 8, 8), 9_800,
                     outlet="LW001234")


def test_a_final_convenience_store_file_byte_for_byte() -> None:
    content = build_payment_file(Channel.CVS_FINAL, date(2025, 8, 1), "0000054321", "CVS AGENT", [PAID])
    assert content[:120] == (b"1" + b"03" + b"20250801" + b"0000054321"    # 1, 2–3 種別 確報, 4–11, 12–21
                             + b"CVS AGENT".ljust(40) + b" " * 59)           # 22–61 収納機関名, 62–120
    assert content[120:240] == (b"2" + b"CVS0000000000000001 "             # 1, 2–21 受付番号
                                + b"2025010000000101    "                  # 22–41 納付番号
                                + b"20250730" + b"20250808"                # 42–49 収納日, 50–57 入金日
                                + b"0000009800" + b"0" + b"LW001234"       # 58–67 金額, 68 取消区分, 69–76 店舗
                                + b" " * 44)                               # 77–120
    assert content[240:360] == b"8" + b"000001" + b"000000009800" + b"000000" + b"000000000000" + b" " * 83
    assert content[360:] == b"9" + b" " * 119
    parsed = parse_payment_file(content)
    assert parsed.channel is Channel.CVS_FINAL and parsed.records == [PaymentRecord(
        2, PAID.reference, PAID.payment_number, PAID.received_on, PAID.funded_on, 9_800, False, "LW001234")]


def _reject(content: bytes) -> dict:
    with pytest.raises(FileRejected) as rejected:
        parse_payment_file(content)
    return rejected.value.errors[0]


def test_only_a_preliminary_file_may_cancel() -> None:
    cancelled = PaymentRecord(0, "CVS2", "2025010000000101", date(2025, 7, 30), None, 9_800, cancelled=True)
    assert parse_payment_file(build_payment_file(Channel.CVS_PRELIMINARY, date(2025, 7, 31), "1", "A",
                                                 [cancelled])).records[0].cancelled
    final = build_payment_file(Channel.CVS_FINAL, date(2025, 8, 1), "1", "A",
                               [PaymentRecord(0, "CVS2", "1", date(2025, 7, 30), date(2025, 8, 8), 9_800,
                                              cancelled=True)])
    assert _reject(final) == {"record": 2, "position": 68, "field": "cancelled", "reason": "only a 速報 cancels"}


def test_a_bad_date_a_repeated_reference_and_a_wrong_total_are_each_named() -> None:
    content = bytearray(build_payment_file(Channel.COUNTER, date(2025, 8, 1), "1", "A", [PAID, PAID]))
    assert _reject(bytes(content))["reason"] == "受付番号 repeats in the file"
    content[120 + 45:120 + 49] = b"1332"  # 収納日 2025-13-32
    with pytest.raises(FileRejected) as rejected:
        parse_payment_file(bytes(content))
    assert rejected.value.errors[0] == {"record": 2, "position": 42, "field": "received_on",
                                        "reason": "not a date (YYYYMMDD)"}


def test_a_final_record_without_its_funding_day_is_rejected() -> None:
    unfunded = PaymentRecord(0, "R1", "1", date(2025, 7, 30), None, 100)
    assert _reject(build_payment_file(Channel.COUNTER, date(2025, 8, 1), "1", "A", [unfunded]))["field"] == \
        "funded_on"


TARGET = PensionRecord("1234567890", "1150", date(1948, 5, 10), "1", "ｸﾏﾓﾄ ﾀﾛｳ", "001",
                       amounts=(1_800_000, 60_000, 0), name="熊本　太郎")


def test_a_pension_target_file_byte_for_byte() -> None:
    content = build_pension_file(Kind.TARGETS, date(2025, 5, 20), "43100", [TARGET])
    assert len(content) == 96 + 3 * 500  # two 48-byte controls, header, one data record, trailer
    assert content[:48] == b"Z11" + b"20250520" + b"43100" + b"000000001" + b" " * 23
    data = content[96 + 500:96 + 1000]
    assert data[:21] == b"2" + b"43100" + b"001" + b"00" + b" " + b"2" + b"20250520"  # 1, 2–6, 7–9, 10–11, 12, 13
    assert data[21:35] == b"1234567890" + b"1150"                                  # 22–31 基礎年金番号, 32–35
    assert data[38:47] == b"19480510" + b"1"                                       # 39–46 生年月日, 47 性別
    assert data[47:72] == "ｸﾏﾓﾄ ﾀﾛｳ".encode("cp932").ljust(25)                    # 48–72 カナ氏名
    assert data[75:125] == "熊本　太郎".encode("cp932").ljust(50)                  # 76–125 漢字氏名
    assert data[394:427] == b"00001800000" + b"00000060000" + b"00000000000"        # 395–427 金額1–3
    parsed = parse_pension_file(content, Kind.TARGETS)
    assert parsed.records[0].amounts == (1_800_000, 60_000, 0) and parsed.records[0].name == "熊本　太郎"


def test_a_pension_file_of_the_wrong_length_or_kind_is_rejected() -> None:
    content = build_pension_file(Kind.TARGETS, date(2025, 5, 20), "43100", [TARGET])
    with pytest.raises(FileRejected):
        parse_pension_file(content[:-1], Kind.TARGETS)
    with pytest.raises(FileRejected) as rejected:
        parse_pension_file(content, Kind.RESULT)
    assert rejected.value.errors[0]["field"] == "notice_kind"


def test_a_pension_block_whose_trailer_does_not_add_up_is_rejected() -> None:
    content = bytearray(build_pension_file(Kind.TARGETS, date(2025, 5, 20), "43100", [TARGET]))
    content[96 + 1000 + 30] = ord("9")  # trailer 31–41 合計金額1
    with pytest.raises(FileRejected) as rejected:
        parse_pension_file(bytes(content), Kind.TARGETS)
    assert rejected.value.errors[0]["record"] == 5 and rejected.value.errors[0]["position"] == 31
