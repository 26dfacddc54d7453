"""全銀協 fixed-length files: 預金口座振替 (種別コード 91) request and result, 総合振込 (種別コード 21) for refunds.

Layouts as in file-layouts.md §1 and §2 [V]: 120-byte CP932 records, header (データ区分 1), data (2) × n,
trailer (8), end (9); a result file is the request with each 振替結果コード set and the trailer's 振替済 /
振替不能 counts filled. Parsing validates the whole file before anything is returned (design rule 9): layout,
characters, record order, and that every trailer adds up; an error names the record and byte position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from shared.domain.fixed_width import (
    Field,
    FileRejected,
    Layout,
    RecordError,
    join_records,
    read_sectioned,
    trailer_mismatches,
)

__all__ = [
    "DEBIT_DATA", "DEBIT_HEADER", "DEBIT_TRAILER", "END", "RECORD_LENGTH", "TRANSFER_DATA", "TRANSFER_HEADER",
    "TRANSFER_TRAILER", "DebitFile", "DebitItem", "FileHeader", "ResultCode", "TransferItem", "build_debit_file",
    "build_transfer_file", "parse_debit_file", "transfer_date_year",
]

RECORD_LENGTH = 120
DEBIT_TYPE, TRANSFER_TYPE = "91", "21"


def _header(type_code: str) -> Layout:
    """§1 header (also §2's, where field 4 is the 振込依頼人コード and field 6 the 振込指定日)."""
    return Layout(f"header {type_code}", RECORD_LENGTH, (
        Field("data_kind", 1, 1, "N", "1"), Field("type_code", 2, 2, "N", type_code), Field("code_kind", 4, 1, "N"),
        Field("consignor_code", 5, 10, "N"), Field("consignor_name", 15, 40, "C"), Field("date_mmdd", 55, 4, "N"),
        Field("bank_code", 59, 4, "N"), Field("bank_name", 63, 15, "C"), Field("branch_code", 78, 3, "N"),
        Field("branch_name", 81, 15, "C"), Field("account_type", 96, 1, "N"), Field("account_number", 97, 7, "N"),
        Field("dummy", 104, 17, "C")))


DEBIT_HEADER = _header(DEBIT_TYPE)
TRANSFER_HEADER = _header(TRANSFER_TYPE)
DEBIT_DATA = Layout("debit data", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "2"), Field("bank_code", 2, 4, "N"), Field("bank_name", 6, 15, "C"),
    Field("branch_code", 21, 3, "N"), Field("branch_name", 24, 15, "C"), Field("dummy1", 39, 4, "C"),
    Field("account_type", 43, 1, "N"), Field("account_number", 44, 7, "N"), Field("holder", 51, 30, "C"),
    Field("amount", 81, 10, "N"), Field("new_code", 91, 1, "N"), Field("customer_number", 92, 20, "C"),
    Field("result_code", 112, 1, "N"), Field("dummy2", 113, 8, "C")))
DEBIT_TRAILER = Layout("debit trailer", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "8"), Field("total_count", 2, 6, "N"), Field("total_amount", 8, 12, "N"),
    Field("done_count", 20, 6, "N"), Field("done_amount", 26, 12, "N"), Field("failed_count", 38, 6, "N"),
    Field("failed_amount", 44, 12, "N"), Field("dummy", 56, 65, "C")))
TRANSFER_DATA = Layout("transfer data", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "2"), Field("bank_code", 2, 4, "N"), Field("bank_name", 6, 15, "C"),
    Field("branch_code", 21, 3, "N"), Field("branch_name", 24, 15, "C"), Field("clearing_house", 39, 4, "C"),
    Field("account_type", 43, 1, "N"), Field("account_number", 44, 7, "N"), Field("recipient", 51, 30, "C"),
    Field("amount", 81, 10, "N"), Field("new_code", 91, 1, "N"), Field("customer_code1", 92, 10, "C"),
    Field("customer_code2", 102, 10, "C"), Field("transfer_kind", 112, 1, "N"), Field("edi", 113, 1, "C"),
    Field("dummy", 114, 7, "C")))
TRANSFER_TRAILER = Layout("transfer trailer", RECORD_LENGTH, (
    Field("data_kind", 1, 1, "N", "8"), Field("total_count", 2, 6, "N"), Field("total_amount", 8, 12, "N"),
    Field("dummy", 20, 101, "C")))
END = Layout("end", RECORD_LENGTH, (Field("data_kind", 1, 1, "N", "9"), Field("dummy", 2, 119, "C")))


class ResultCode(str, Enum):
    """振替結果コード (file-layouts §1 [V]); an unknown code is read as 9 and reported."""

    DEBITED = "0"  # 振替済
    INSUFFICIENT_FUNDS = "1"  # 資金不足
    NO_ACCOUNT = "2"  # 取引なし (解約, or the account data does not match)
    STOPPED_BY_PAYER = "3"  # 預金者の都合による振替停止
    NO_MANDATE = "4"  # 預金口座振替依頼書なし
    STOPPED_BY_CONSIGNOR = "8"  # 委託者の都合による振替停止
    OTHER = "9"  # その他


@dataclass(frozen=True)
class FileHeader:
    consignor_code: str  # 委託者コード (assigned by the bank), or 振込依頼人コード
    consignor_name: str  # half-width kana
    on: date  # 振替日 / 振込指定日 (written MMDD)
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    code_kind: str = "0"  # 0 JIS, 1 EBCDIC (we write JIS)

    def values(self) -> dict[str, str]:
        return {"code_kind": self.code_kind, "consignor_code": self.consignor_code,
                "consignor_name": self.consignor_name, "date_mmdd": f"{self.on:%m%d}", "bank_code": self.bank_code,
                "bank_name": self.bank_name, "branch_code": self.branch_code, "branch_name": self.branch_name,
                "account_type": self.account_type, "account_number": self.account_number}


@dataclass(frozen=True)
class DebitItem:
    bank_code: str
    branch_code: str
    account_type: str  # 1 普通, 2 当座
    account_number: str
    holder: str  # half-width kana (zengin_text.zengin_kana)
    amount: int
    customer_number: str  # our 納付番号: the key that matches the result to the request
    new_code: str = "0"  # 1 第1回引落分, 2 変更分, 0 その他
    result: ResultCode = ResultCode.DEBITED  # "0" in a request
    bank_name: str = ""
    branch_name: str = ""
    record: int = 0  # its record number when read from a file
    unknown_result: bool = False  # the bank sent a code outside the list (read as 9)


@dataclass(frozen=True)
class TransferItem:
    bank_code: str
    branch_code: str
    account_type: str  # 1 普通, 2 当座, 4 貯蓄, 9 その他
    account_number: str
    recipient: str
    amount: int
    customer_code1: str = ""
    customer_code2: str = ""
    transfer_kind: str = "7"  # 7 テレ振込
    bank_name: str = ""
    branch_name: str = ""


def build_debit_file(header: FileHeader, items: Sequence[DebitItem], *, result: bool = False,
                     crlf: bool = False) -> bytes:
    """A 預金口座振替 request; with `result=True` the result file as a bank returns it (codes and 済/不能 totals)."""
    done = [i for i in items if i.result is ResultCode.DEBITED] if result else []
    failed = [i for i in items if i.result is not ResultCode.DEBITED] if result else []
    records = [DEBIT_HEADER.encode(header.values())]
    records += [DEBIT_DATA.encode({
        "bank_code": i.bank_code, "bank_name": i.bank_name, "branch_code": i.branch_code,
        "branch_name": i.branch_name, "account_type": i.account_type, "account_number": i.account_number,
        "holder": i.holder, "amount": i.amount, "new_code": i.new_code, "customer_number": i.customer_number,
        "result_code": i.result.value if result else "0"}) for i in items]
    records.append(DEBIT_TRAILER.encode({
        "total_count": len(items), "total_amount": sum(i.amount for i in items),
        "done_count": len(done), "done_amount": sum(i.amount for i in done),
        "failed_count": len(failed), "failed_amount": sum(i.amount for i in failed)}))
    records.append(END.encode({}))
    return join_records(records, crlf)


def build_transfer_file(header: FileHeader, items: Sequence[TransferItem], crlf: bool = False) -> bytes:
    """A 総合振込 file (refunds to the people's accounts)."""
    records = [TRANSFER_HEADER.encode(header.values())]
    records += [TRANSFER_DATA.encode({
        "bank_code": i.bank_code, "bank_name": i.bank_name, "branch_code": i.branch_code,
        "branch_name": i.branch_name, "account_type": i.account_type, "account_number": i.account_number,
        "recipient": i.recipient, "amount": i.amount, "new_code": "0", "customer_code1": i.customer_code1,
        "customer_code2": i.customer_code2, "transfer_kind": i.transfer_kind}) for i in items]
    records.append(TRANSFER_TRAILER.encode({"total_count": len(items), "total_amount": sum(i.amount for i in items)}))
    records.append(END.encode({}))
    return join_records(records, crlf)


@dataclass(frozen=True)
class DebitFile:
    header: dict[str, str]
    items: list[DebitItem]

    @property
    def mmdd(self) -> str:
        return self.header["date_mmdd"]


def transfer_date_year(mmdd: str, around: date) -> date:
    """振替日 is MMDD without a year (§1): the date nearest to `around` (a result read in early January for a
    late-December debit belongs to the previous year)."""
    month, day = int(mmdd[:2]), int(mmdd[2:])
    candidates = [date(around.year + delta, month, day) for delta in (-1, 0, 1)
                  if not (month == 2 and day == 29 and (around.year + delta) % 4)]
    return min(candidates, key=lambda d: abs((d - around).days))


def _item(values: dict[str, str], record: int) -> DebitItem:
    code = values["result_code"]
    known = code in ResultCode._value2member_map_
    return DebitItem(values["bank_code"], values["branch_code"], values["account_type"], values["account_number"],
                     values["holder"], int(values["amount"]), values["customer_number"], values["new_code"],
                     ResultCode(code) if known else ResultCode.OTHER, values["bank_name"], values["branch_name"],
                     record, unknown_result=not known)


def parse_debit_file(content: bytes, *, result: bool = True) -> DebitFile:
    """A 預金口座振替 result file (or with `result=False` a request), validated whole. One header–data–trailer group
    and the end record: we send one group per request, so a multi-group answer is refused [P]."""
    sections = read_sectioned(content, DEBIT_HEADER, DEBIT_DATA, DEBIT_TRAILER, END, "口座振替 file")
    items = [_item(values, number) for number, values in sections.data]
    errors = _check_trailer(*sections.trailer, items, result)
    if errors:
        raise FileRejected(errors, "口座振替 file")
    return DebitFile(sections.header, items)


def _check_trailer(number: int, values: dict[str, str], items: list[DebitItem], result: bool) -> list[RecordError]:
    """The trailer must add up: counts and amounts of all records; in a result also 済 and 不能 (済 + 不能 = 合計);
    in a request those are zero."""
    done = [i for i in items if i.result is ResultCode.DEBITED] if result else []
    failed = [i for i in items if i.result is not ResultCode.DEBITED] if result else []
    return trailer_mismatches(DEBIT_TRAILER, (number, values), {
        "total_count": len(items), "total_amount": sum(i.amount for i in items),
        "done_count": len(done), "done_amount": sum(i.amount for i in done),
        "failed_count": len(failed), "failed_amount": sum(i.amount for i in failed)})
