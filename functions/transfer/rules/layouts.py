"""Turning rows into a recipient's file: fixed-length records or CSV, in the recipient's encoding (design rule 9).

Fixed layouts (docs/transfer.md "Layouts"): a header record "1", data records "2", a trailer "8" with the count,
CR+LF after each record, widths in bytes of the encoded text. N fields are digits right-aligned and zero-filled
(dates as YYYYMMDD), C fields text left-aligned and space-filled. A value longer than its field is refused
(FieldTooLong, naming the column and the widths, never the value): nothing is cut silently. A column with codes
writes the code of the value and refuses a value without one. A character the encoding cannot hold (外字) is
sent as "●", as the 広域連合's interface does (docs/file-layouts.md §5).
CSV: a header line of the columns' labels, then one line per row, CR+LF, quoted where needed. Pure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from functions.transfer.rules.jobs import Column, TransferJob

__all__ = ["GAIJI", "FieldTooLong", "as_day", "coded", "encode_rows", "file_head", "file_tail", "fixed_field",
           "record_width"]

GAIJI = "●"
EOL = b"\r\n"


class FieldTooLong(ValueError):
    """A value that does not fit its fixed-width field: the file is refused, never written with the value cut."""


def coded(column: Column, value: Any) -> Any:
    """The value a column writes: the code of `value` when the column has codes (refused when it has none)."""
    if not column.codes:
        return value
    codes = dict(column.codes)
    if value not in codes:
        raise ValueError(f"{column.label} ({column.field}): no code for {value!r}; add it to the layout's codes")
    return codes[value]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _encode(text: str, encoding: str) -> bytes:
    return b"".join(ch.encode(encoding, errors="strict") if _fits(ch, encoding) else GAIJI.encode(encoding)
                    for ch in text)


def _fits(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def fixed_field(column: Column, value: Any, encoding: str) -> bytes:
    text = _text(coded(column, value))
    if column.kind == "N":
        digits = "".join(c for c in text if c.isdigit() and c.isascii())
        if len(digits) > column.width:
            raise FieldTooLong(f"{column.label} ({column.field}) does not fit {column.width} digits")
        return digits.rjust(column.width, "0").encode("ascii") if digits else b" " * column.width
    out = _encode(text, encoding)
    if len(out) > column.width:
        raise FieldTooLong(f"{column.label} ({column.field}) is {len(out)} bytes, longer than its {column.width}-byte "
                           "field: refused, never cut")
    return out + b" " * (column.width - len(out))


def header(job: TransferJob, period: str, width: int) -> bytes:
    return f"1{job.name:<24}{period:<24}".encode("ascii").ljust(width, b" ")[:width] + EOL


def trailer(count: int, width: int) -> bytes:
    return f"8{count:09d}".encode("ascii").ljust(width, b" ") + EOL


def record_width(job: TransferJob) -> int:
    return 1 + sum(c.width for c in job.columns)


def _fixed(job: TransferJob, rows: Iterable[Mapping[str, Any]]) -> bytes:
    return b"".join(b"2" + b"".join(fixed_field(c, row.get(c.field), job.encoding) for c in job.columns) + EOL
                    for row in rows)


def _csv(job: TransferJob, rows: Iterable[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_text(coded(c, row.get(c.field))) for c in job.columns])
    return _encode(buffer.getvalue(), job.encoding)


def encode_rows(job: TransferJob, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The data records of some rows (one chunk's part of the file; header and trailer are added at the end)."""
    return _fixed(job, rows) if job.layout == "fixed" else _csv(job, rows)


def file_head(job: TransferJob, period: str) -> bytes:
    if job.layout == "fixed":
        return header(job, period, record_width(job))
    return _encode(",".join(c.label for c in job.columns) + "\r\n", job.encoding)


def file_tail(job: TransferJob, count: int) -> bytes:
    return trailer(count, record_width(job)) if job.layout == "fixed" else b""


def as_day(value: Any) -> str:
    """Dates in files are YYYYMMDD."""
    return value.strftime("%Y%m%d") if isinstance(value, date) else _text(value).replace("-", "")[:8]
