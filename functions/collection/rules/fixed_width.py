"""Fixed-length records, as the banks, the convenience-store agent and the pension insurers exchange them.

A layout is data: fields with 1-based byte positions, `N` (digits, right-aligned, zero-filled) or `C` (half-width
text, left-aligned, space-filled), checked at import to cover the record exactly, so a typo in a position is a
failure at start-up and not a shifted file (file-layouts.md, conventions at the top). Decoding checks every byte
and names where a record is wrong: record number, byte position, field and reason — never the value, which may
be an account number (design rule 9; the 全銀 files are CP932 single-byte, JIS X 0201).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from shared.domain.errors import Invalid

__all__ = ["Field", "FileRejected", "Layout", "RecordError", "Sectioned", "join_records", "read_sectioned",
           "split_records", "trailer_mismatches"]

ENCODING = "cp932"


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
    kind: str  # "N" digits, "C" half-width text, "K" CP932 text that may hold double-byte kanji
    fixed: str | None = None  # the only value allowed (e.g. データ区分)

    @property
    def end(self) -> int:
        return self.start + self.length - 1


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


def read_sectioned(content: bytes, header: Layout, data: Layout, trailer: Layout, end: Layout,
                   what: str) -> Sectioned:
    """Decode a header (データ区分 1) – data (2) × n – trailer (8) – end (9) file whole, refusing it at the first
    record out of order and with every field error; the caller checks what the records mean."""
    layouts = {"1": header, "2": data, "8": trailer, "9": end}
    errors: list[RecordError] = []
    found: dict[str, list[tuple[int, dict[str, str]]]] = {"1": [], "2": [], "8": [], "9": []}
    expected = "1"
    for number, record in split_records(content, header.length, what):
        kind = chr(record[0])
        if kind not in layouts:
            errors.append(RecordError(number, 1, "data_kind", f"unknown データ区分 {kind!r}"))
            break
        if kind not in expected:
            wanted = " or ".join(expected) if expected else "nothing (after the end record)"
            errors.append(RecordError(number, 1, "data_kind", f"データ区分 {kind} where {wanted} is expected"))
            break
        values, field_errors = layouts[kind].decode(record, number)
        errors += field_errors
        found[kind].append((number, values))
        expected = {"1": "28", "2": "28", "8": "9", "9": ""}[kind]
    if not errors and not found["9"]:
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
