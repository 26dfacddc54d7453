"""Reading a rendered notice back: its text lines (pypdf), its page sizes, and a page as an image (pypdfium2)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from shared.notices.guard import holds_my_number


def text_lines(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines() if line.strip()]


def text(pdf: bytes) -> str:
    return "\n".join(text_lines(pdf))


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(round(float(p.mediabox.width) * 25.4 / 72, 1), round(float(p.mediabox.height) * 25.4 / 72, 1))
            for p in PdfReader(io.BytesIO(pdf)).pages]


def has_row(lines: Sequence[str], row: Sequence[str]) -> bool:
    """The cells of one table row, in order, on consecutive lines (pypdf gives each cell its own line)."""
    n = len(row)
    return any(list(lines[i:i + n]) == list(row) for i in range(len(lines) - n + 1))


def no_my_number(pdf: bytes) -> bool:
    return not holds_my_number(text(pdf).replace("\n", " "))
