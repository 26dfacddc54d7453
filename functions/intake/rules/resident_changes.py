"""The 住基異動 file: a fixed-layout CSV of resident-register changes (docs/intake.md, "Layout").

Pure: parse and validate every row before anything is applied (design rule 9). A reject names the row,
the field and the reason, never the value (it may be a My Number).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from shared.domain.calendar import SUPPORTED_DAYS
from shared.domain.errors import Invalid
from shared.domain.mynumber import InvalidMyNumber, parse_my_number


class ChangeCode(str, Enum):
    MOVE_IN = "01"  # 転入
    MOVE_OUT = "02"  # 転出
    ADDRESS_CHANGE = "03"  # 転居
    BIRTH = "04"  # 出生
    DEATH = "05"  # 死亡
    HOUSEHOLD_CHANGE = "06"  # 世帯変更
    NAME_CHANGE = "07"  # 氏名変更
    MY_NUMBER_CHANGE = "08"  # 個人番号変更
    NON_RESIDENT_REGISTRATION = "09"  # 住登外登録
    MOVE_OUT_CONFIRMED = "10"  # 転出確定: the actual move date and destination, from the 転入通知
    MOVE_OUT_CANCELLED = "11"  # 転出取消
    MOVE_OUT_CORRECTED = "12"  # 転出訂正: a corrected 転出 date or destination


CHANGE_NAMES = {
    ChangeCode.MOVE_IN: "転入", ChangeCode.MOVE_OUT: "転出", ChangeCode.ADDRESS_CHANGE: "転居",
    ChangeCode.BIRTH: "出生", ChangeCode.DEATH: "死亡", ChangeCode.HOUSEHOLD_CHANGE: "世帯変更",
    ChangeCode.NAME_CHANGE: "氏名変更", ChangeCode.MY_NUMBER_CHANGE: "個人番号変更",
    ChangeCode.NON_RESIDENT_REGISTRATION: "住登外登録", ChangeCode.MOVE_OUT_CONFIRMED: "転出確定",
    ChangeCode.MOVE_OUT_CANCELLED: "転出取消", ChangeCode.MOVE_OUT_CORRECTED: "転出訂正",
}

COLUMNS = (
    "record_no", "change_code", "change_date", "notified_date", "atena_code", "household_code", "name",
    "name_kana", "birth_date", "sex", "relationship", "is_head", "postal_code", "address", "address_detail",
    "other_address", "other_prefecture", "my_number",
)
# Columns every row must fill; others depend on the change code.
ALWAYS = ("record_no", "change_code", "change_date", "atena_code")
NEEDED = {
    ChangeCode.MOVE_IN: ("household_code", "name", "name_kana", "birth_date", "sex", "address", "other_prefecture"),
    ChangeCode.BIRTH: ("household_code", "name", "name_kana", "birth_date", "sex", "address"),
    ChangeCode.NON_RESIDENT_REGISTRATION: ("name", "name_kana", "birth_date", "sex", "address"),
    ChangeCode.MOVE_OUT: ("other_address", "other_prefecture"),
    ChangeCode.ADDRESS_CHANGE: ("address",),
    ChangeCode.DEATH: (),
    ChangeCode.HOUSEHOLD_CHANGE: ("household_code", "relationship"),
    ChangeCode.NAME_CHANGE: ("name", "name_kana"),
    ChangeCode.MY_NUMBER_CHANGE: ("my_number",),
    ChangeCode.MOVE_OUT_CONFIRMED: ("other_address", "other_prefecture"),
    ChangeCode.MOVE_OUT_CANCELLED: (),
    ChangeCode.MOVE_OUT_CORRECTED: ("other_address", "other_prefecture"),
}


@dataclass(frozen=True)
class Reject:
    row: int  # 1-based data row number (the header is row 0)
    field: str
    reason: str


@dataclass(frozen=True)
class ResidentChange:
    row: int
    code: ChangeCode
    change_date: date
    person_id: str
    values: dict[str, Any]  # person fields to set (see shared.domain.person.PERSON_FIELDS)
    my_number: str | None = None  # validated digits, to be sealed before storage
    other_prefecture: str | None = None  # 転入前 / 転出先 prefecture (JIS X 0401)


def _date(raw: str) -> date:
    if len(raw) != 8 or not raw.isdigit():
        raise ValueError("a date is YYYYMMDD")
    day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    if not SUPPORTED_DAYS[0] <= day <= SUPPORTED_DAYS[1]:  # 99991231 would overflow the day after (法第53条)
        raise ValueError(f"a date between {SUPPORTED_DAYS[0]:%Y%m%d} and {SUPPORTED_DAYS[1]:%Y%m%d}")
    return day


def _parse_row(number: int, raw: dict[str, str]) -> tuple[ResidentChange | None, list[Reject]]:
    rejects: list[Reject] = []

    def reject(field: str, reason: str) -> None:
        rejects.append(Reject(number, field, reason))

    try:
        code = ChangeCode(raw["change_code"])
    except ValueError:
        reject("change_code", f"unknown change code; one of {', '.join(c.value for c in ChangeCode)}")
        return None, rejects
    for name in (*ALWAYS, *NEEDED[code]):
        if not raw.get(name):
            reject(name, f"required for {CHANGE_NAMES[code]}")
    dates: dict[str, date] = {}
    for name in ("change_date", "notified_date", "birth_date"):
        if raw.get(name):
            try:
                dates[name] = _date(raw[name])
            except ValueError as error:
                reject(name, str(error))
    if raw.get("atena_code") and not (len(raw["atena_code"]) == 10 and raw["atena_code"].isdigit()):
        reject("atena_code", "宛名コード is 10 digits")
    if raw.get("household_code") and not (len(raw["household_code"]) == 10 and raw["household_code"].isdigit()):
        reject("household_code", "世帯コード is 10 digits")
    if raw.get("sex") and raw["sex"] not in ("1", "2"):
        reject("sex", "1 (男) or 2 (女)")
    if raw.get("is_head") and raw["is_head"] not in ("0", "1"):
        reject("is_head", "0 or 1")
    if raw.get("other_prefecture") and not (len(raw["other_prefecture"]) == 2 and raw["other_prefecture"].isdigit()):
        reject("other_prefecture", "a JIS X 0401 prefecture code (2 digits)")
    my_number = None
    if raw.get("my_number"):
        try:
            my_number = parse_my_number(raw["my_number"]).digits
        except InvalidMyNumber as invalid:
            reject("my_number", f"invalid My Number ({invalid.rule.value})")
    if rejects:
        return None, rejects
    return ResidentChange(number, code, dates["change_date"], f"P{raw['atena_code']}",
                          _values(code, raw, dates), my_number, raw.get("other_prefecture") or None), []


def _values(code: ChangeCode, raw: dict[str, str], dates: dict[str, date]) -> dict[str, Any]:
    """The person fields a change sets (the eligibility consequences are decided when it is applied)."""
    changed_on = dates["change_date"].isoformat()
    values: dict[str, Any] = {"change_reason": CHANGE_NAMES[code], "changed_on": changed_on}
    if "notified_date" in dates:
        values["notified_on"] = dates["notified_date"].isoformat()
    copy = {"name": "name", "name_kana": "name_kana", "sex": "sex", "relationship": "relationship",
            "postal_code": "postal_code", "address": "address", "address_detail": "address_detail"}
    for column, field in copy.items():
        if raw.get(column):
            values[field] = raw[column]
    if raw.get("household_code"):
        values["household_id"] = f"H{raw['household_code']}"
    if raw.get("is_head"):
        values["is_household_head"] = raw["is_head"] == "1"
    if "birth_date" in dates:
        values["birth_date"] = dates["birth_date"].isoformat()
    if code is ChangeCode.MOVE_IN:
        values.update(resident_status="registered", previous_address=raw["other_address"] or None,
                      resident_changed_on=changed_on, resident_change_reason="転入")
    elif code in (ChangeCode.MOVE_OUT, ChangeCode.MOVE_OUT_CONFIRMED, ChangeCode.MOVE_OUT_CORRECTED):
        values.update(resident_status="moved-out", moved_out_address=raw["other_address"],
                      moved_out_prefecture=raw["other_prefecture"], nonresident_changed_on=changed_on,
                      nonresident_change_reason=CHANGE_NAMES[code])
    elif code is ChangeCode.DEATH:
        values.update(resident_status="deceased", nonresident_changed_on=changed_on,
                      nonresident_change_reason="死亡")
    elif code is ChangeCode.MOVE_OUT_CANCELLED:
        values.update(resident_status="registered")
    elif code is ChangeCode.NON_RESIDENT_REGISTRATION:
        values.update(resident_status="non-resident")
    elif code is ChangeCode.BIRTH:
        values.update(resident_status="registered", resident_changed_on=changed_on, resident_change_reason="出生")
    return {k: v for k, v in values.items() if v is not None}


@dataclass
class ParsedFile:
    changes: list[ResidentChange]
    rejects: list[Reject]
    rows: int


class FileRefused(Invalid):
    """The file as a whole cannot be read (encoding, header)."""

    code = "file-refused"
    title = "The file is refused"


# --- streaming: records with their byte offsets, so a file is never held whole (design rules 8, 9) ----------

@dataclass(frozen=True)
class Scanned:
    """One non-blank data row: where it is in the file, and what it says or why it is refused."""

    row: int
    start: int  # byte offset of the record
    end: int  # byte offset just after it (line break included)
    change: ResidentChange | None
    rejects: tuple[Reject, ...]


def split_records(pieces: Iterable[bytes], offset: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(start, end, bytes) of each CSV record in a stream of byte pieces, `offset` being the stream's position in
    the file. A record ends at a line feed outside quotes; neither CP932 nor UTF-8 uses the bytes of `\n` or `"`
    inside a multi-byte character, so the split is safe before decoding."""
    buffer, base, position, scanned, quotes = b"", offset, 0, 0, 0
    for piece in pieces:
        buffer = buffer[position:] + piece
        base, scanned, position = base + position, scanned - position, 0
        while (newline := buffer.find(b"\n", scanned)) >= 0:
            quotes += buffer.count(b'"', scanned, newline)
            scanned = newline + 1
            if quotes % 2:
                continue  # the line break is inside a quoted field
            yield base + position, base + scanned, buffer[position:scanned]
            position, quotes = scanned, 0
        quotes += buffer.count(b'"', scanned)
        scanned = len(buffer)
    if position < len(buffer):
        yield base + position, base + len(buffer), buffer[position:]


# The longest a record of this layout can be: 18 fields, the longest (address) 200 characters of at most 3 bytes.
# A longer record is a reject with a reason, never the csv module's field-size error (131,072 characters).
MAX_RECORD_BYTES = 8192


def _decode(raw: bytes, encoding: str, start: int) -> list[str]:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise FileRefused(f"the file is not valid {encoding} (byte {start + error.start})") from None
    return next(csv.reader([text.rstrip("\r\n")]), [])


def normalised(raw: bytes) -> bytes:
    """A record without its line break: what identifies its content (CRLF and LF files are the same rows)."""
    return raw.rstrip(b"\r\n") + b"\n"


def content_hash(pieces: Iterable[bytes]) -> str:
    """SHA-256 of the file's records, line breaks normalised: the identity of what the counterparty sent."""
    hasher = hashlib.sha256()
    for _, _, raw in split_records(pieces):
        hasher.update(normalised(raw))
    return hasher.hexdigest()


def check_header(raw: bytes, encoding: str) -> None:
    header = _decode(raw, encoding, 0)
    if header:
        header[0] = header[0].lstrip("\ufeff")
    if tuple(h.strip() for h in header) != COLUMNS:
        raise FileRefused(f"the header must be exactly: {','.join(COLUMNS)}")


def scan(records: Iterable[tuple[int, int, bytes]], encoding: str, first_row: int = 0,
         seen: set[str] | None = None) -> Iterator[Scanned]:
    """Validate records one by one; row `first_row` is the header when it is 0. `seen` collects record numbers
    across the whole file (duplicates are rejects); a worker re-reading a range passes None."""
    number = first_row - 1
    for start, end, raw in records:
        number += 1
        if number == 0:
            check_header(raw, encoding)
            continue
        if len(raw) > MAX_RECORD_BYTES:
            yield Scanned(number, start, end, None, (Reject(number, "*", f"the record is longer than "
                                                                          f"{MAX_RECORD_BYTES} bytes"),))
            continue
        values = _decode(raw, encoding, start)
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(COLUMNS):
            yield Scanned(number, start, end, None, (Reject(number, "*", f"{len(values)} columns, "
                                                                          f"expected {len(COLUMNS)}"),))
            continue
        raw_values = {name: value.strip() for name, value in zip(COLUMNS, values, strict=True)}
        if seen is not None:
            if raw_values["record_no"] in seen:
                yield Scanned(number, start, end, None, (Reject(number, "record_no", "duplicate record number"),))
                continue
            seen.add(raw_values["record_no"])
        change, rejects = _parse_row(number, raw_values)
        yield Scanned(number, start, end, change, tuple(rejects))
    if number < 0:
        raise FileRefused(f"the header must be exactly: {','.join(COLUMNS)}")


def parse_file(content: bytes, encoding: str) -> ParsedFile:
    """Decode with the counterparty's declared encoding, check the header, validate every row (a whole file in
    memory: small files and tests; imports stream with `scan`)."""
    changes: list[ResidentChange] = []
    rejects: list[Reject] = []
    rows = 0
    for scanned in scan(split_records([content]), encoding, seen=set()):
        rows += 1
        rejects.extend(scanned.rejects)
        if scanned.change:
            changes.append(scanned.change)
    return ParsedFile(changes, rejects, rows)
