"""全銀協 預金口座振替 (91) and 総合振込 (21) files, byte for byte against file-layouts.md §1–§2.

The expected records are written out field by field with their positions, not produced by the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest

from functions.collection.rules.zengin import (
    DebitItem,
    FileHeader,
    ResultCode,
    TransferItem,
    build_debit_file,
    build_transfer_file,
    parse_debit_file,
    transfer_date_year,
)
from shared.domain.fixed_width import FileRejected

HEADER = FileHeader(consignor_code="0000012345", consignor_name="ｸﾏﾓﾄｼ", on=date(2025, 7, 31), bank_code="0182",
                    bank_name="ﾋｺﾞｷﾞﾝｺｳ", branch_code="001", branch_name="ﾎﾝﾃﾝ", account_type="1",
                    account_number="1234567")
TARO = DebitItem(bank_code="0182", branch_code="023", account_type="1", account_number="7654321",
                 holder="ｸﾏﾓﾄ ﾀﾛｳ", amount=9_800, customer_number="2025010000000101", new_code="1")
HANAKO = DebitItem(bank_code="9900", branch_code="178", account_type="1", account_number="0012345",
                   holder="ｸﾏﾓﾄ ﾊﾅｺ", amount=9_800, customer_number="2025010000000202")


def kana(text: str, width: int) -> bytes:
    data = text.encode("cp932")
    assert len(data) == len(text)  # half-width: one byte per character
    return data.ljust(width, b" ")


EXPECTED_HEADER = (b"1"                          # 1     データ区分
                    b"91"                       # 2–3   種別コード
                    b"0"                        # 4     コード区分 (JIS)
                    b"0000012345"               # 5–14  委託者コード
                   + kana("ｸﾏﾓﾄｼ", 40)          # 15–54 委託者名
                   + b"0731"                     # 55–58 引落日 MMDD
                   + b"0182"                     # 59–62 取引銀行番号
                   + kana("ﾋｺﾞｷﾞﾝｺｳ", 15)       # 63–77 取引銀行名
                   + b"001"                      # 78–80 取引支店番号
                   + kana("ﾎﾝﾃﾝ", 15)            # 81–95 取引支店名
                   + b"1"                        # 96    預金種目
                   + b"1234567"                  # 97–103 口座番号
                   + b" " * 17)                  # 104–120 ダミー
EXPECTED_TARO = (b"2"                            # 1     データ区分
                  b"0182"                       # 2–5   引落銀行番号
                 + b" " * 15                     # 6–20  引落銀行名 (optional: blank)
                 + b"023"                        # 21–23 引落支店番号
                 + b" " * 15                     # 24–38 引落支店名
                 + b" " * 4                      # 39–42 ダミー
                 + b"1"                          # 43    預金種目 普通
                 + b"7654321"                    # 44–50 口座番号
                 + kana("ｸﾏﾓﾄ ﾀﾛｳ", 30)          # 51–80 預金者名
                 + b"0000009800"                 # 81–90 引落金額
                 + b"1"                          # 91    新規コード (第1回)
                 + b"2025010000000101    "       # 92–111 顧客番号 (our 納付番号)
                 + b"0"                          # 112   振替結果コード ("0" in a request)
                 + b" " * 8)                     # 113–120 ダミー
EXPECTED_TRAILER = (b"8" + b"000002" + b"000000019600"            # 1, 2–7 合計件数, 8–19 合計金額
                    + b"000000" + b"000000000000"                 # 20–25, 26–37 振替済 (zero in a request)
                    + b"000000" + b"000000000000" + b" " * 65)    # 38–43, 44–55 振替不能; 56–120 ダミー
EXPECTED_END = b"9" + b" " * 119


def test_a_debit_request_byte_for_byte() -> None:
    content = build_debit_file(HEADER, [TARO, HANAKO])
    records = [content[i:i + 120] for i in range(0, len(content), 120)]
    assert len(content) == 5 * 120
    assert records[0] == EXPECTED_HEADER
    assert records[1] == EXPECTED_TARO
    assert records[2][43:50] == b"0012345" and records[2][1:5] == b"9900"
    assert records[3] == EXPECTED_TRAILER
    assert records[4] == EXPECTED_END


def test_crlf_line_ends_when_the_bank_wants_them() -> None:
    content = build_debit_file(HEADER, [TARO], crlf=True)
    assert len(content) == 4 * 122 and content[120:122] == b"\r\n" and content.endswith(b"9" + b" " * 119 + b"\r\n")
    assert parse_debit_file(content, result=False).items[0].customer_number == TARO.customer_number


def test_a_result_file_round_trips_with_codes_and_totals() -> None:
    """The bank returns the same records with 振替結果コード and the 済/不能 totals:
    1 × 9,800 済, 1 × 9,800 資金不足."""
    short = DebitItem(**{**HANAKO.__dict__, "result": ResultCode.INSUFFICIENT_FUNDS})
    content = build_debit_file(HEADER, [TARO, short], result=True)
    trailer = content[360:480]
    assert trailer[:55] == (b"8" + b"000002" + b"000000019600" + b"000001" + b"000000009800" + b"000001"
                            + b"000000009800")
    assert content[240 + 111:240 + 112] == b"1"  # HANAKO's 振替結果コード, byte 112
    parsed = parse_debit_file(content)
    assert [(i.customer_number, i.amount, i.result, i.record) for i in parsed.items] == [
        ("2025010000000101", 9_800, ResultCode.DEBITED, 2),
        ("2025010000000202", 9_800, ResultCode.INSUFFICIENT_FUNDS, 3)]
    rebuilt = build_debit_file(HEADER, [DebitItem(**{**i.__dict__, "record": 0}) for i in parsed.items], result=True)
    assert rebuilt == content


def _reject(content: bytes, result: bool = True) -> dict:
    with pytest.raises(FileRejected) as rejected:
        parse_debit_file(content, result=result)
    return rejected.value.errors[0]


def test_a_letter_in_an_amount_is_rejected_at_its_position() -> None:
    content = bytearray(build_debit_file(HEADER, [TARO]))
    content[120 + 85] = ord("X")  # record 2, byte 86: inside 引落金額 (81–90)
    assert _reject(bytes(content), result=False) == {"record": 2, "position": 81, "field": "amount",
                                                     "reason": "10 digits expected"}


def test_a_full_width_character_in_a_name_is_rejected_at_its_byte() -> None:
    content = bytearray(build_debit_file(HEADER, [TARO]))
    content[120 + 52:120 + 54] = "あ".encode("cp932")  # bytes 53–54 of record 2: a double-byte character
    assert _reject(bytes(content), result=False) == {
        "record": 2, "position": 53, "field": "holder", "reason": "not a half-width character"}


def test_a_short_last_record_is_rejected_with_its_number() -> None:
    content = build_debit_file(HEADER, [TARO])[:-1]
    assert _reject(content) == {"record": 4, "position": 0, "field": "record",
                                "reason": "the last record has 119 bytes; every record has 120"}


def test_records_out_of_order_are_rejected() -> None:
    content = build_debit_file(HEADER, [TARO])
    assert _reject(content[120:240] + content) == {"record": 1, "position": 1, "field": "data_kind",
                                                   "reason": "データ区分 2 where 1 is expected"}
    assert _reject(content[:240] + content[360:])["reason"] == "データ区分 9 where 2 or 8 is expected"
    assert _reject(content[:-120])["reason"] == "no end record (データ区分 9)"


def test_a_trailer_that_does_not_add_up_is_rejected() -> None:
    content = bytearray(build_debit_file(HEADER, [TARO, HANAKO]))
    content[360 + 6] = ord("3")  # 合計件数 000003 instead of 000002
    assert _reject(bytes(content), result=False) == {"record": 4, "position": 2, "field": "total_count",
                                                     "reason": "is 3; the records add up to 2"}


def test_a_result_whose_done_and_failed_do_not_add_up_is_rejected() -> None:
    request = build_debit_file(HEADER, [TARO])  # a request's trailer has zero 済/不能
    error = _reject(request, result=True)
    assert (error["record"], error["field"]) == (3, "done_count")


def test_bare_line_feeds_are_refused() -> None:
    records = build_debit_file(HEADER, [TARO])
    with_lf = b"".join(records[i:i + 120] + b"\n" for i in range(0, len(records), 120))
    with pytest.raises(FileRejected):
        parse_debit_file(with_lf)


def test_an_unknown_result_code_is_read_as_9_and_flagged() -> None:
    content = bytearray(build_debit_file(HEADER, [TARO], result=True))
    content[120 + 111] = ord("5")
    content[240 + 19:240 + 55] = b"000000000000000000" + b"000001000000009800"  # 済 0, 不能 1
    item = parse_debit_file(bytes(content)).items[0]
    assert (item.result, item.unknown_result) == (ResultCode.OTHER, True)


def test_a_refund_transfer_file_byte_for_byte() -> None:
    header = FileHeader("0000067890", "ｸﾏﾓﾄｼ", date(2025, 9, 10), "0182", "ﾋｺﾞｷﾞﾝｺｳ", "001", "ﾎﾝﾃﾝ", "1", "1234567")
    item = TransferItem(bank_code="0182", branch_code="023", account_type="1", account_number="7654321",
                        recipient="ｸﾏﾓﾄ ﾀﾛｳ", amount=12_300, customer_code1="OPABCDEFGH")
    content = build_transfer_file(header, [item])
    assert content[:14] == b"1" + b"21" + b"0" + b"0000067890"   # 1, 2–3 種別 21, 4, 5–14 振込依頼人コード
    assert content[54:58] == b"0910"                              # 55–58 振込指定日
    assert content[120:240] == (b"2" + b"0182" + b" " * 15 + b"023" + b" " * 15   # 1, 2–5, 6–20, 21–23, 24–38
                                + b" " * 4 + b"1" + b"7654321"                      # 39–42 手形交換所, 43, 44–50
                                + kana("ｸﾏﾓﾄ ﾀﾛｳ", 30) + b"0000012300" + b"0"      # 51–80, 81–90, 91 新規コード
                                + b"OPABCDEFGH" + b" " * 10                         # 92–101, 102–111 顧客コード
                                + b"7" + b" " + b" " * 7)                           # 112 テレ振込, 113 EDI, dummy
    assert content[240:360] == b"8" + b"000001" + b"000000012300" + b" " * 101
    assert content[360:] == EXPECTED_END


@pytest.mark.parametrize(("mmdd", "around", "expected"), [
    ("1226", date(2026, 1, 5), date(2025, 12, 26)),  # a late-December debit read in January
    ("0131", date(2026, 1, 30), date(2026, 1, 31)),
    ("0105", date(2025, 12, 28), date(2026, 1, 5)),
])
def test_the_year_of_a_mmdd_date_is_the_nearest(mmdd: str, around: date, expected: date) -> None:
    assert transfer_date_year(mmdd, around) == expected
