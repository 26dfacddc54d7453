"""Fixed-length record files (header 1, data 2…, trailer 8), the shape of the 所得 and 保険料情報 exchanges.

Pure. The whole file is read and checked before anything is applied (design rule 9): a file that cannot be
read as a whole (encoding, record length, order, header, trailer counts) is refused; a data record that breaks
a rule becomes a reject naming its record number, field and reason, never its value. Records are ASCII (digits
and spaces), so the same layout reads alike as CP932 or UTF-8; lines end with CRLF, LF or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from shared.domain.errors import Invalid

__all__ = ["Field", "FileRefused", "Layout", "Parsed", "Reject", "RowError", "count_trailer", "day", "digits", "flag",
           "parse_records", "reject_repeats"]

T = TypeVar("T")


class FileRefused(Invalid):
    """The file as a whole cannot be read (encoding, record length, order, header, trailer)."""

    code = "file-refused"
    title = "The file is refused"


class RowError(ValueError):
    """One field of one data record breaks a rule."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Reject:
    row: int  # the data record's position in the file (1 = the first data record)
    field: str
    reason: str


@dataclass(frozen=True)
class Field:
    name: str
    start: int  # 1-based position, as the layout tables in docs/assessment.md
    length: int

    def cut(self, record: str) -> str:
        return record[self.start - 1:self.start - 1 + self.length]


@dataclass(frozen=True)
class Layout:
    record_length: int
    header: tuple[Field, ...]
    data: tuple[Field, ...]
    trailer: tuple[Field, ...]


@dataclass
class Parsed(Generic[T]):
    header: dict[str, str]
    rows: list[T]
    rejects: list[Reject]
    count: int  # data records in the file


def digits(values: dict[str, str], name: str) -> int:
    raw = values[name]
    if not raw.isdigit():
        raise RowError(name, "digits only, zero-filled")
    return int(raw)


def day(values: dict[str, str], name: str, optional: bool = False) -> date | None:
    raw = values[name]
    if optional and raw == "0" * len(raw):
        return None
    try:
        if len(raw) != 8 or not raw.isdigit():
            raise ValueError
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        raise RowError(name, "a date is YYYYMMDD" + (" (00000000 for none)" if optional else "")) from None


def flag(values: dict[str, str], name: str, allowed: str) -> str:
    if values[name] not in allowed:
        raise RowError(name, f"one of {', '.join(allowed)}")
    return values[name]


def _records(text: str, length: int) -> list[str]:
    if "\n" in text or "\r" in text:
        lines = [line.rstrip("\r") for line in text.replace("\r\n", "\n").split("\n")]
        return [line for line in lines if line]
    if len(text) % length:
        raise FileRefused(f"the file is {len(text)} bytes long, not a whole number of {length}-byte records")
    return [text[i:i + length] for i in range(0, len(text), length)]


def parse_records(content: bytes, encoding: str, layout: Layout, read: Callable[[int, dict[str, str]], T],
                  check_trailer: Callable[[dict[str, str], list[dict[str, str]]], None]) -> Parsed[T]:
    """Decode, split and check the frame of the file; `read` turns one data record (and its position) into a row
    or raises
    RowError; `check_trailer` compares the trailer's totals with the records (raising FileRefused)."""
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as error:
        raise FileRefused(f"the file is not valid {encoding} (byte {error.start})") from None
    records = _records(text.lstrip("\ufeff"), layout.record_length)
    for number, record in enumerate(records, start=1):
        if len(record) != layout.record_length or not record.isascii():
            raise FileRefused(f"record {number} is not a {layout.record_length}-character ASCII record")
    if len(records) < 2 or records[0][0] != "1" or records[-1][0] != "8":
        raise FileRefused("a file is a header record (1), data records (2) and a trailer record (8)")
    body = records[1:-1]
    if any(r[0] != "2" for r in body):
        raise FileRefused("between the header and the trailer every record is a data record (2)")
    values = [{f.name: f.cut(r) for f in layout.data} for r in body]
    check_trailer({f.name: f.cut(records[-1]) for f in layout.trailer}, values)
    rows: list[T] = []
    rejects: list[Reject] = []
    for position, raw in enumerate(values, start=1):
        try:
            rows.append(read(position, raw))
        except RowError as error:
            rejects.append(Reject(position, error.field, error.reason))
    return Parsed({f.name: f.cut(records[0]) for f in layout.header}, rows, rejects, len(body))


def reject_repeats(parsed: Parsed[Any], key: Callable[[Any], object], field: str, reason: str) -> None:
    """Reject every row after the first with the same key (a file never says one thing twice)."""
    seen: set[object] = set()
    kept = []
    for row in parsed.rows:
        if key(row) in seen:
            parsed.rejects.append(Reject(row.position, field, reason))
        else:
            seen.add(key(row))
            kept.append(row)
    parsed.rows = kept
    parsed.rejects.sort(key=lambda r: r.row)


def count_trailer(trailer: dict[str, str], rows: list[dict[str, str]], total_field: str, trailer_total: str) -> None:
    """The trailer's record count and the sum of one amount field must match the data records."""
    if not trailer["count"].isdigit() or int(trailer["count"]) != len(rows):
        raise FileRefused(f"the trailer counts {trailer['count'].strip() or 'nothing'}; the file has "
                          f"{len(rows)} data records")
    amounts = [int(r[total_field]) for r in rows if r[total_field].isdigit()]
    if len(amounts) == len(rows) and (not trailer[trailer_total].isdigit() or
                                      int(trailer[trailer_total]) != sum(amounts)):
        raise FileRefused(f"the trailer's {trailer_total} does not equal the sum of the records' {total_field}")
