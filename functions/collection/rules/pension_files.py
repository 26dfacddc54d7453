"""特別徴収 (pension deduction) exchange files, as inferred in file-layouts.md §3 [P].

The 国保中央会 interface specification is not public; §3 reconstructs the shape from an open-source 介護保険
system: two 48-byte control records, then 500-byte records — header (区分 1), data (2) × n, trailer (3) — in
blocks per (通知内容コード, 特別徴収義務者コード); a reader checks (length − 96) mod 500 = 0. The data positions
below are §3's. What §3 leaves open and we assume (each marked [U] in docs/collection.md, to confirm with the
国保連 before going live): the 後期 制度コード, the 通知内容コード of 依頼 and 結果, the meaning of 各種金額1–3
and 各種区分 per kind, the 処理結果 codes, and the control records' contents.
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
    split_records,
    trailer_mismatches,
)

__all__ = ["CONTROL", "PENSION_DATA", "Kind", "PensionFile", "PensionRecord", "build_pension_file",
           "parse_pension_file"]

CONTROL_LENGTH, LENGTH = 48, 500
SCHEME_KOUKI = "2"  # 特別徴収制度コード: "0" is 介護 (§3); "2" for 後期 [U]


class Kind(str, Enum):
    """(file prefix, 通知内容コード) of each notice we read or write [U except 00]."""

    TARGETS = "00"  # Z11 特別徴収対象者情報 (年金保険者 → 市町村): 金額1 年金額 (年額), 金額2 介護保険料 (年額)
    REQUEST = "31"  # Z12 特別徴収依頼 (市町村 → 年金保険者): 区分 01 本徴収 / 02 仮徴収; 金額1–3 the 3 months
    RESULT = "41"  # Z14 特別徴収結果: 年月日 the payment day, 金額1 deducted; 処理結果 00 徴収済, else 不能

    @property
    def prefix(self) -> str:
        return {"00": "Z11", "31": "Z12", "41": "Z14"}[self.value]


CONTROL = Layout("特徴 control", CONTROL_LENGTH, (
    Field("file_kind", 1, 3, "C"), Field("created_on", 4, 8, "N"), Field("city_code", 12, 5, "N"),
    Field("count", 17, 9, "N"), Field("reserve", 26, 23, "C")))


def _block_fields(kind: str) -> tuple[Field, ...]:
    return (Field("record_kind", 1, 1, "N", kind), Field("city_code", 2, 5, "N"), Field("payer_code", 7, 3, "C"),
            Field("notice_kind", 10, 2, "N"), Field("medium", 12, 1, "C"), Field("scheme", 13, 1, "N"),
            Field("created_on", 14, 8, "N"))


PENSION_HEADER = Layout("特徴 header", LENGTH, (*_block_fields("1"), Field("reserve", 22, 479, "C")))
PENSION_DATA = Layout("特徴 data", LENGTH, (
    *_block_fields("2"), Field("basic_pension_number", 22, 10, "C"), Field("pension_code", 32, 4, "C"),
    Field("reserve1", 36, 3, "C"), Field("birth_date", 39, 8, "N"), Field("sex", 47, 1, "N"),
    Field("name_kana", 48, 25, "C"), Field("shift1", 73, 3, "C"), Field("name", 76, 50, "K"),
    Field("shift2", 126, 3, "C"), Field("postal_code", 129, 7, "C"), Field("address_kana", 136, 80, "C"),
    Field("shift3", 216, 3, "C"), Field("address", 219, 160, "K"), Field("shift4", 379, 3, "C"),
    Field("category", 382, 2, "C"), Field("outcome", 384, 2, "C"), Field("kouki_transfer", 386, 1, "C"),
    Field("on", 387, 8, "N"), Field("amount1", 395, 11, "N"), Field("amount2", 406, 11, "N"),
    Field("amount3", 417, 11, "N"), Field("reserve2", 428, 58, "C"), Field("mutual_aid_number", 486, 15, "C")))
PENSION_TRAILER = Layout("特徴 trailer", LENGTH, (
    *_block_fields("3"), Field("count", 22, 9, "N"), Field("total1", 31, 11, "N"), Field("total2", 42, 11, "N"),
    Field("total3", 53, 11, "N"), Field("reserve", 64, 437, "C")))


@dataclass(frozen=True)
class PensionRecord:
    basic_pension_number: str
    pension_code: str
    birth_date: date
    sex: str
    name_kana: str
    payer_code: str  # 特別徴収義務者コード (the pension insurer)
    category: str = ""  # 各種区分
    outcome: str = "00"  # 処理結果
    on: date | None = None  # 各種年月日
    amounts: tuple[int, int, int] = (0, 0, 0)
    name: str = ""
    record: int = 0


@dataclass(frozen=True)
class PensionFile:
    kind: Kind
    created_on: date
    city_code: str
    records: list[PensionRecord]


class _BadDate(ValueError):
    def __init__(self, field: Field) -> None:
        super().__init__(field.name)
        self.field = field


_DATA_FIELDS = {f.name: f for f in PENSION_DATA.fields}


def _yyyymmdd(text: str, field: str = "created_on", required: bool = False) -> date | None:
    if text == "0" * 8 and not required:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _BadDate(_DATA_FIELDS[field]) from None


def parse_pension_file(content: bytes, expected: Kind) -> PensionFile:
    """Validate the whole file (controls, every block, trailers) before anything is returned."""
    if len(content) < 2 * CONTROL_LENGTH or (len(content) - 2 * CONTROL_LENGTH) % LENGTH:
        raise FileRejected([RecordError(0, 0, "file", f"(length − 96) is not a multiple of {LENGTH}")], "特徴 file")
    errors: list[RecordError] = []
    controls = [CONTROL.decode(content[i * CONTROL_LENGTH:(i + 1) * CONTROL_LENGTH], i + 1) for i in range(2)]
    for _, found in controls:
        errors += found
    records: list[PensionRecord] = []
    block: list[PensionRecord] | None = None
    for index, raw in split_records(content[2 * CONTROL_LENGTH:], LENGTH, "特徴 file"):
        number = index + 2
        layout = {"1": PENSION_HEADER, "2": PENSION_DATA, "3": PENSION_TRAILER}.get(chr(raw[0]))
        if layout is None or (layout is PENSION_HEADER) != (block is None):
            errors.append(RecordError(number, 1, "record_kind", "a header opens a block, a trailer closes it"))
            break
        values, found = layout.decode(raw, number)
        errors += found
        if found:
            continue
        if values["notice_kind"] != expected.value or values["scheme"] != SCHEME_KOUKI:
            errors.append(RecordError(number, 10, "notice_kind", f"a {expected.prefix} file has 通知内容コード "
                                      f"{expected.value} and 制度コード {SCHEME_KOUKI}"))
            continue
        if layout is PENSION_HEADER:
            block = []
        elif layout is PENSION_DATA:
            try:
                assert block is not None
                block.append(_record(values, number))
            except _BadDate as bad:
                errors.append(RecordError(number, bad.field.start, bad.field.name, "not a date (YYYYMMDD)"))
        else:
            assert block is not None
            errors += _check_block(number, values, block)
            records += block
            block = None
    if block is not None and not errors:
        errors.append(RecordError(len(content), 0, "trailer", "the last block has no trailer"))
    if errors:
        raise FileRejected(errors, "特徴 file")
    try:
        created = _yyyymmdd(controls[0][0]["created_on"], required=True) or date.min
    except _BadDate:
        raise FileRejected([RecordError(1, 4, "created_on", "not a date (YYYYMMDD)")], "特徴 file") from None
    return PensionFile(expected, created, controls[0][0]["city_code"], records)


def _record(v: dict[str, str], number: int) -> PensionRecord:
    birth = _yyyymmdd(v["birth_date"], "birth_date", required=True)
    assert birth is not None
    return PensionRecord(v["basic_pension_number"], v["pension_code"], birth, v["sex"], v["name_kana"],
                         v["payer_code"], v["category"], v["outcome"], _yyyymmdd(v["on"], "on"),
                         (int(v["amount1"]), int(v["amount2"]), int(v["amount3"])), v["name"], number)


def _check_block(number: int, values: dict[str, str], block: list[PensionRecord]) -> list[RecordError]:
    return trailer_mismatches(PENSION_TRAILER, (number, values), _totals(block))


def _totals(block: Sequence[PensionRecord]) -> dict[str, int]:
    return {"count": len(block), "total1": sum(r.amounts[0] for r in block),
            "total2": sum(r.amounts[1] for r in block), "total3": sum(r.amounts[2] for r in block)}


def build_pension_file(kind: Kind, created_on: date, city_code: str, records: Sequence[PensionRecord]) -> bytes:
    """One block per 特別徴収義務者 (pension insurer), as §3 describes."""
    payers = sorted({r.payer_code for r in records})
    body = b""
    for payer in payers:
        block = [r for r in records if r.payer_code == payer]
        common = {"city_code": city_code, "payer_code": payer, "notice_kind": kind.value, "scheme": SCHEME_KOUKI,
                  "created_on": f"{created_on:%Y%m%d}"}
        body += PENSION_HEADER.encode(common)
        body += b"".join(PENSION_DATA.encode({
            **common, "basic_pension_number": r.basic_pension_number, "pension_code": r.pension_code,
            "birth_date": f"{r.birth_date:%Y%m%d}", "sex": r.sex, "name_kana": r.name_kana, "name": r.name,
            "category": r.category, "outcome": r.outcome, "on": f"{r.on:%Y%m%d}" if r.on else 0,
            "amount1": r.amounts[0], "amount2": r.amounts[1], "amount3": r.amounts[2]}) for r in block)
        body += PENSION_TRAILER.encode({**common, **_totals(block)})
    control = {"file_kind": kind.prefix, "created_on": f"{created_on:%Y%m%d}", "city_code": city_code}
    return (CONTROL.encode({**control, "count": len(records)}) + CONTROL.encode({**control, "count": len(payers)})
            + body)
