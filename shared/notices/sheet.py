"""A page to draw a notice on, in millimetres from the top-left corner, with the two Japanese fonts.

Templates only place text, boxes, rules and tables; the sheet turns that into PDF operators, checks every
string for a My Number before it is drawn (`guard.py`), and wraps Japanese text (which has no spaces) by width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Literal

from shared.notices.fonts import GOTHIC, MINCHO
from shared.notices.guard import check_text

__all__ = ["MM", "Align", "Sheet"]

MM = 72 / 25.4  # PDF points per millimetre
Align = Literal["left", "right", "center"]


@lru_cache(maxsize=8192)
def _string_width(text: str, font: str, size: float) -> float:
    """A string's width in points; kept, since every card and notice measures the same labels again."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


class Sheet:
    """One page of a canvas. `kind` names the document in a refusal; `height` is the page height in mm.

    `drawn` is the canvas's record of the PDF operators each string drew (NoticeWriter keeps one per PDF): a run of
    cards draws the same labels at the same places on every page, and appending the operators again gives the same
    bytes as drawing again, at a fraction of the cost."""

    def __init__(self, canvas: Any, width: float, height: float, kind: str, mark: str | None = None,
                 drawn: dict[tuple[Any, ...], tuple[str, ...]] | None = None) -> None:
        self._c = canvas
        self.width = width
        self.height = height
        self.kind = kind
        self.mark = mark  # 見本 on every page of a preview from sample figures
        self._drawn = {} if drawn is None else drawn

    def finish_page(self) -> None:
        if self.mark:
            self.stamp(self.mark)
        self._c.showPage()

    def new_page(self) -> None:
        """End this page and continue the same notice on a fresh one of the same size."""
        self.finish_page()
        self._c.setPageSize((self.width * MM, self.height * MM))

    def _y(self, y: float) -> float:
        return (self.height - y) * MM

    def text(self, x: float, y: float, text: str, size: float = 9, font: str = MINCHO,
             align: Align = "left") -> None:
        """`text` with its baseline at `y` mm from the top; `x` is its left, right or centre edge."""
        self._c.setFont(font, size)
        self._once(("text", self.height, x, y, text, size, font, align),
                   lambda: self._drawer(align)(x * MM, self._y(y), check_text(text, self.kind)))

    def _drawer(self, align: Align) -> Any:
        return {"left": self._c.drawString, "right": self._c.drawRightString,
                "center": self._c.drawCentredString}[align]

    def _once(self, key: tuple[Any, ...], draw: Callable[[], None]) -> None:
        """`draw()`, or the operators the same call appended to a page of this canvas before (then the string was
        checked before too). Only calls whose operators depend on nothing but the key go through here: the font and
        the line width are set outside."""
        code = self._c._code  # reportlab's operators of the page being drawn
        operators = self._drawn.get(key)
        if operators is None:
            start = len(code)
            draw()
            self._drawn[key] = tuple(code[start:])
        else:
            code.extend(operators)

    def title(self, y: float, text: str, size: float = 15) -> None:
        self.text(self.width / 2, y, text, size, GOTHIC, "center")

    def width_of(self, text: str, size: float, font: str = MINCHO) -> float:
        return _string_width(text, font, size) / MM

    def fitting(self, text: str, width: float, size: float, font: str = MINCHO) -> float:
        """The font size at which `text` fits `width` mm: `size`, or smaller down to 60% of it (a long address
        on a card), never below."""
        needed = self.width_of(text, size, font)
        return size if needed <= width else max(size * 0.6, size * width / needed)

    def lines_of(self, text: str, width: float, size: float, font: str = MINCHO) -> list[str]:
        """`text` broken into lines no wider than `width` mm, character by character (Japanese has no spaces),
        keeping explicit line breaks."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for ch in paragraph:
                if line and self.width_of(line + ch, size, font) > width:
                    lines.append(line)
                    line = ""
                line += ch
            lines.append(line)
        return lines

    def paragraph(self, x: float, y: float, width: float, text: str, size: float = 9, font: str = MINCHO,
                  leading: float | None = None) -> float:
        """Wrapped text from baseline `y`; returns the baseline after the last line."""
        step = leading or size * 0.5
        for line in self.lines_of(text, width, size, font):
            self.text(x, y, line, size, font)
            y += step
        return y

    def box(self, x: float, y: float, w: float, h: float, line_width: float = 0.5) -> None:
        self._c.setLineWidth(line_width)
        self._c.rect(x * MM, self._y(y + h), w * MM, h * MM)

    def rule(self, x1: float, y: float, x2: float, line_width: float = 0.5, dash: bool = False) -> None:
        self._line(x1, y, x2, y, line_width, dash)

    def vrule(self, x: float, y1: float, y2: float, line_width: float = 0.5, dash: bool = False) -> None:
        self._line(x, y1, x, y2, line_width, dash)

    def _line(self, x1: float, y1: float, x2: float, y2: float, line_width: float, dash: bool) -> None:
        def draw() -> None:
            self._c.setDash(2, 2) if dash else self._c.setDash()
            self._c.line(x1 * MM, self._y(y1), x2 * MM, self._y(y2))
            self._c.setDash()

        self._c.setLineWidth(line_width)
        self._once(("line", self.height, x1, y1, x2, y2, dash), draw)

    def table(self, x: float, y: float, widths: Sequence[float], rows: Sequence[Sequence[str]],
              header: Sequence[str] | None = None, row_height: float = 6.5, size: float = 9,
              aligns: Sequence[Align] | None = None) -> float:
        """A ruled table with its top at `y`; numbers right-aligned through `aligns`. Returns its bottom."""
        aligns = aligns or ["left"] * len(widths)
        all_rows = ([list(header)] if header else []) + [list(r) for r in rows]
        total = sum(widths)
        for index, row in enumerate(all_rows):
            top = y + index * row_height
            baseline = top + row_height / 2 + size * 0.35 / MM
            is_header = header is not None and index == 0
            left = x
            for cell, width, align in zip(row, widths, aligns, strict=True):
                edge = {"left": left + 1.5, "right": left + width - 1.5, "center": left + width / 2}[
                    "center" if is_header else align]
                font = GOTHIC if is_header else MINCHO
                self.text(edge, baseline, cell, self.fitting(cell, width - 3, size, font), font,
                          "center" if is_header else align)
                left += width
        height = row_height * len(all_rows)
        self.box(x, y, total, height)
        for index in range(1, len(all_rows)):
            self.rule(x, y + index * row_height, x + total, 0.8 if header and index == 1 else 0.3)
        left = x
        for width in widths[:-1]:
            left += width
            self.vrule(left, y, y + height, 0.3)
        return y + height

    def fields(self, x: float, y: float, label_width: float, value_width: float,
               rows: Sequence[tuple[str, str]], row_height: float = 6.5, size: float = 9) -> float:
        """Label and value pairs in a ruled grid (the 資格確認書's and the headers' items). Returns its bottom."""
        return self.table(x, y, (label_width, value_width), rows, None, row_height, size, ("left", "left"))

    def stamp(self, text: str) -> None:
        """A large grey diagonal mark across the page (見本 on previews from sample figures)."""
        self._c.saveState()
        self._c.setFillGray(0.55)
        self._c.setFillAlpha(0.35)
        self._c.setFont(GOTHIC, 60)
        self._c.translate(self.width / 2 * MM, self.height / 2 * MM)
        self._c.rotate(30)
        self._c.drawCentredString(0, 0, check_text(text, self.kind))
        self._c.restoreState()
