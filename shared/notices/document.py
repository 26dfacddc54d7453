"""Rendering: templates (one per document) drawn onto pages of one PDF, and the numbers notices carry.

A template is data plus a small function: its kind, its title, its page size, and `draw(sheet, data, context)`
for one notice. `render` makes the PDF of one notice; `NoticeWriter` puts many notices into one PDF, one after
another, for a batch chunk (design rule 8: one file per chunk). Output is deterministic (reportlab's invariant
mode: no creation time, a fixed document id), so a re-run of a chunk writes the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar

from shared.notices.fonts import register_fonts
from shared.notices.issuer import Issuer
from shared.notices.sheet import MM, Sheet

__all__ = ["A4", "CARD", "Context", "Notice", "NoticeWriter", "PageSize", "Template", "document_number", "render"]

D = TypeVar("D")


class PageSize(NamedTuple):
    width: float  # mm
    height: float


A4 = PageSize(210, 297)
# The card form of the 被保険者証 and 資格確認書: 縦54ミリメートル、横86ミリメートル.
CARD = PageSize(86, 54)


@dataclass(frozen=True)
class Context:
    """What every notice prints besides its data: who sends it, its number, the day it is issued, and whether it
    is a preview from sample figures (then it is marked 見本)."""

    issuer: Issuer
    number: str
    issued_on: date
    sample: bool = False


@dataclass(frozen=True)
class Template(Generic[D]):
    kind: str  # e.g. "certificate"; the file name and the audit detail use it
    title: str  # 後期高齢者医療 資格確認書
    size: PageSize
    draw: Callable[[Sheet, D, Context], None]
    code: str  # two letters that open its document numbers


class Notice(NamedTuple):
    """One notice to print: its template, the template's data, and its context."""

    template: Template[Any]
    data: Any
    context: Context


_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O; letters only, so a number never looks like a My Number


def document_number(template: Template[Any], record_id: str, issued_on: date) -> str:
    """The number printed on a notice, derived from what it prints (the record) and its day: printing the same
    record on the same day gives the same number, and the audit event ties the number to the record."""
    digest = int.from_bytes(hashlib.sha256(f"{template.kind}\x1f{record_id}".encode()).digest()[:8], "big")
    letters = ""
    for _ in range(8):
        digest, index = divmod(digest, len(_LETTERS))
        letters += _LETTERS[index]
    return f"{template.code}-{issued_on:%Y%m%d}-{letters}"


class NoticeWriter:
    """Several notices in one PDF: each `add` starts a new page."""

    def __init__(self, title: str, author: str) -> None:
        from reportlab.pdfgen.canvas import Canvas

        register_fonts()
        self._buffer = io.BytesIO()
        self._canvas = Canvas(self._buffer, invariant=1, pageCompression=1)
        self._canvas.setTitle(title)
        self._canvas.setAuthor(author)
        self._canvas.setCreator("choju")
        self._drawn: dict[tuple[Any, ...], tuple[str, ...]] = {}  # operators each string drew (Sheet)
        self.pages = 0

    def add(self, template: Template[D], data: D, context: Context) -> None:
        self._canvas.setPageSize((template.size.width * MM, template.size.height * MM))
        sheet = Sheet(self._canvas, template.size.width, template.size.height, template.kind,
                      "見本" if context.sample else None, self._drawn)
        template.draw(sheet, data, context)
        sheet.finish_page()
        self.pages += 1

    def pdf(self) -> bytes:
        if not self.pages:
            raise ValueError("no notice was added")
        self._canvas.save()
        return self._buffer.getvalue()


def render(template: Template[D], data: D, context: Context) -> bytes:
    """The PDF of one notice."""
    writer = NoticeWriter(template.title, context.issuer.mayor)
    writer.add(template, data, context)
    return writer.pdf()
