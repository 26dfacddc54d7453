"""Fixed-length records, read the same way by every workflow that exchanges them (design rule 9).

Two readers over one `Field`:

- **Typed byte layouts** (`Layout`, `read_sectioned`): the 全銀 files, the 収納代行 and 国保連 files and the
  広域連合's 被保険者情報. A layout is data: fields with 1-based *byte* positions, `N` (digits, right-aligned,
  zero-filled), `C` (half-width text, left-aligned, space-filled) or `K` (CP932 text that may hold double-byte
  kanji, two bytes each), checked at import to cover the record exactly, so a typo in a position is a failure at
  start-up and not a shifted file (file-layouts.md, conventions at the top). Decoding checks every byte and names
  where a record is wrong: record number, byte position, field and reason — never the value, which may be an
  account number. Any error refuses the whole file (`FileRejected`).
- **ASCII frames with rejects** (`Frame`, `parse_records`): the 所得 and 保険料情報 exchanges, whose records are
  ASCII (digits and spaces), so the same layout reads alike as CP932 or UTF-8; lines end with CRLF, LF or
  nothing. A file that cannot be read as a whole (encoding, record length, order, header, trailer counts) is
  refused (`FileRefused`); a data record that breaks a rule becomes a `Reject` naming its record number, field
  and reason, never its value.

Pure: no I/O, no AWS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from shared.domain.errors import Invalid

__all__ = ["ENCODING", "Field", "FileRefused", "FileRejected", "Frame", "Layout", "Parsed", "RecordError", "Reject",
           "RowError", "Sectioned", "count_trailer", "day", "digits", "flag", "join_records", "parse_records",
           "read_sectioned", "reject_repeats", "split_records", "trailer_mismatches"]

ENCODING = "cp932"
T = TypeVar("T")

# --- typed byte layouts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordError:
    record: int  # 1-based record number in the file
    position: int  # 1-based byte position in the record (0: the record as a whole)
    field: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"record": self.record, "position": self.position, "field": self.field, "reason": self.reason}

    def __str__(self) -> str:
        return f"record {self.record}, byte {self.position} ({self.field}): {self.reason}"


class FileRejected(Invalid):
    """The file breaks its layout; nothing of it is applied (design rule 9)."""

    code = "file-rejected"
    title = "The file is rejected"

    def __init__(self, errors: list[RecordError], what: str = "file") -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"the {what} is rejected at {first}{more}", errors=[e.as_json() for e in errors])
        self.record_errors = errors


@dataclass(frozen=True)
class Field:
    name: str
    start: int  # 1-based
    length: int
    kind: str = "C"  # "N" digits, "C" half-width text, "K" CP932 text that may hold double-byte kanji
    fixed: str | None = None  # the only value allowed (e.g. データ区分)

    @property
    def end(self) -> int:
        return self.start + self.length - 1

    def cut(self, record: str) -> str:
        """This field of a record already decoded (ASCII records: a character is a byte)."""
        return record[self.start - 1:self.end]


def _is_single_byte_text(data: bytes) -> bool:
    """JIS X 0201: printable ASCII and half-width katakana (0xA1–0xDF); nothing else in a 全銀 text field."""
    return all(0x20 <= b <= 0x7E or 0xA1 <= b <= 0xDF for b in data)


@dataclass(frozen=True)
class Layout:
    name: str
    length: int
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        position = 1
        for field in self.fields:
            if field.start != position:
                raise ValueError(f"{self.name}: {field.name} starts at {field.start}, expected {position}")
            position = field.end + 1
        if position != self.length + 1:
            raise ValueError(f"{self.name}: fields cover {position - 1} bytes, the record has {self.length}")

    def encode(self, values: Mapping[str, Any]) -> bytes:
        """One record; a value that does not fit its field is a programming error, not a file to send."""
        out = bytearray()
        for field in self.fields:
            value = field.fixed if field.fixed is not None else values.get(field.name)
            if field.kind == "N":
                text = str(int(value or 0)).zfill(field.length)
                if len(text) != field.length or not text.isascii() or not text.isdigit():
                    raise ValueError(f"{self.name}.{field.name}: {field.length} digits at most")
                out += text.encode("ascii")
            else:
                data = str(value or "").encode(ENCODING)
                if len(data) > field.length or (field.kind == "C" and not _is_single_byte_text(data)):
                    raise ValueError(f"{self.name}.{field.name}: {field.length} bytes of text at most")
                out += data.ljust(field.length, b" ")
        return bytes(out)

    def decode(self, record: bytes, number: int) -> tuple[dict[str, str], list[RecordError]]:
        """Field → text (N as its digits, C without trailing spaces), and the errors found."""
        if len(record) != self.length:
            return {}, [RecordError(number, 0, self.name, f"{len(record)} bytes, expected {self.length}")]
        values: dict[str, str] = {}
        errors: list[RecordError] = []
        for field in self.fields:
            data = record[field.start - 1:field.end]
            if field.kind == "N" and not (data.isascii() and data.isdigit()):
                errors.append(RecordError(number, field.start, field.name, f"{field.length} digits expected"))
                continue
            if field.kind == "C" and not _is_single_byte_text(data):
                bad = next(i for i, b in enumerate(data) if not (0x20 <= b <= 0x7E or 0xA1 <= b <= 0xDF))
                errors.append(RecordError(number, field.start + bad, field.name, "not a half-width character"))
                continue
            try:
                text = data.decode(ENCODING)
            except UnicodeDecodeError as bad:
                errors.append(RecordError(number, field.start + bad.start, field.name, "not CP932 text"))
                continue
            if field.fixed is not None and text != field.fixed:
                errors.append(RecordError(number, field.start, field.name, f"must be {field.fixed!r}"))
                continue
            values[field.name] = text if field.kind == "N" else text.rstrip(" \u3000")
        return values, errors


def split_records(content: bytes, length: int, what: str = "file") -> Iterator[tuple[int, bytes]]:
    """(record number, bytes) of a file of `length`-byte records, with no line ends or CR+LF after each one
    (banks differ; a bare CR or LF is refused, as 宮崎銀行 refuses it: file-layouts §1)."""
    if not content:
        raise FileRejected([RecordError(1, 0, "file", "the file is empty")], what)
    crlf = len(content) >= length + 2 and content[length:length + 2] == b"\r\n"
    step = length + 2 if crlf else length
    if len(content) % step:
        last = len(content) // step + 1
        raise FileRejected([RecordError(last, 0, "record", f"the last record has {len(content) % step} bytes; "
                                        f"every record has {length}{' + CR LF' if crlf else ''}")], what)
    for index in range(len(content) // step):
        chunk = content[index * step:(index + 1) * step]
        if crlf and chunk[length:] != b"\r\n":
            raise FileRejected([RecordError(index + 1, length + 1, "line end", "CR LF expected")], what)
        yield index + 1, chunk[:length]


@dataclass(frozen=True)
class Sectioned:
    """A file of one header, its data records, a trailer and the end record, each decoded."""

    header: dict[str, str]
    data: list[tuple[int, dict[str, str]]]  # (record number, values)
    trailer: tuple[int, dict[str, str]]


def read_sectioned(content: bytes, header: Layout, data: Layout, trailer: Layout, end: Layout | None,
                   what: str) -> Sectioned:
    """Decode a header (データ区分 1) – data (2) × n – trailer (8) – end (9) file whole, refusing it at the first
    record out of order and with every field error; the caller checks what the records mean. With `end` None
    the file ends with its trailer (no end record)."""
    layouts = {"1": header, "2": data, "8": trailer, **({"9": end} if end is not None else {})}
    errors: list[RecordError] = []
    found: dict[str, list[tuple[int, dict[str, str]]]] = {"1": [], "2": [], "8": [], "9": []}
    expected = "1"
    for number, record in split_records(content, header.length, what):
        kind = chr(record[0])
        if kind not in layouts:
            errors.append(RecordError(number, 1, "data_kind", f"unknown データ区分 {kind!r}"))
            break
        if kind not in expected:
            wanted = " or ".join(expected) if expected else \
                f"nothing (after the {'end record' if end is not None else 'trailer'})"
            errors.append(RecordError(number, 1, "data_kind", f"データ区分 {kind} where {wanted} is expected"))
            break
        values, field_errors = layouts[kind].decode(record, number)
        errors += field_errors
        found[kind].append((number, values))
        expected = {"1": "28", "2": "28", "8": "9" if end is not None else "", "9": ""}[kind]
    if not errors and end is None and not found["8"]:
        errors.append(RecordError(len(content) // header.length, 0, "trailer", "no trailer (データ区分 8)"))
    if not errors and end is not None and not found["9"]:
        errors.append(RecordError(len(content) // header.length, 0, "end", "no end record (データ区分 9)"))
    if errors:
        raise FileRejected(errors, what)
    return Sectioned(found["1"][0][1], found["2"], found["8"][0])


def trailer_mismatches(layout: Layout, trailer: tuple[int, dict[str, str]],
                       expected: dict[str, int]) -> list[RecordError]:
    """The trailer's totals that differ from what the data records add up to."""
    number, values = trailer
    starts = {f.name: f.start for f in layout.fields}
    return [RecordError(number, starts[name], name, f"is {int(values[name])}; the records add up to {want}")
            for name, want in expected.items() if int(values[name]) != want]


def join_records(records: list[bytes], crlf: bool = False) -> bytes:
    """Records back to back, or each followed by CR LF where the counterparty wants line ends."""
    end = b"\r\n" if crlf else b""
    return b"".join(record + end for record in records)


# --- ASCII frames with rejects ---------------------------------------------------------------------------------
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
class Frame:
    """A file of ASCII records: header (1), data (2)…, trailer (8); each record type names the fields it reads
    (positions not named are 予備)."""

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


def parse_records(content: bytes, encoding: str, layout: Frame, read: Callable[[int, dict[str, str]], T],
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
