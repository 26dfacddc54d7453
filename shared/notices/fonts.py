"""The two Japanese fonts every notice uses: reportlab's built-in CID fonts, which need no font file.

HeiseiMin-W3 (明朝) and HeiseiKakuGo-W5 (ゴシック) are Adobe-Japan1 CID fonts that PDF viewers and printers
substitute with their own Japanese font; the PDF references them by name, so nothing is downloaded or embedded
and the Lambda layer carries no font file. Registered once per process, on first use.
"""

from __future__ import annotations

from functools import cache

__all__ = ["GOTHIC", "MINCHO", "register_fonts"]

MINCHO = "HeiseiMin-W3"
GOTHIC = "HeiseiKakuGo-W5"


@cache
def register_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    for name in (MINCHO, GOTHIC):
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return MINCHO, GOTHIC
