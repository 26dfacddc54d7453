"""A PDF of many notices appends the operators of a string or rule drawn before on the same canvas instead of
drawing it again (shared/notices/sheet.py `Sheet._once`): the bytes must be exactly those of drawing every page
afresh, and a string is still checked for a My Number the first time it is drawn."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from shared.notices.certificate import CERTIFICATE
from shared.notices.document import A4, CARD, Context, NoticeWriter, Template
from shared.notices.fonts import GOTHIC
from shared.notices.guard import MyNumberInNotice
from shared.notices.sheet import Sheet
from tests.notices.test_renderer import CARD_DATA, VALID_MY_NUMBER, context

KEPT_ONCE = Sheet._once


def _draw_again(self: Sheet, key: tuple[Any, ...], draw: Any) -> None:
    draw()


def _forgets_the_size(self: Sheet, key: tuple[Any, ...], draw: Any) -> None:
    """A kept-operators lookup whose key leaves out the font size (the twin's fault)."""
    KEPT_ONCE(self, key[:5] + key[6:] if key[0] == "text" else key, draw)


def _same_spot(sheet: Sheet, size: float, _: Context) -> None:
    """The same strings at the same places, in a size of the data's choosing."""
    sheet.text(10, 10, "被保険者番号", size, GOTHIC)
    sheet.rule(5, 20, 50, 0.3, dash=size > 8)


SAME_SPOT_CARD: Template[float] = Template("spot", "spot", CARD, _same_spot, "SP")
SAME_SPOT_A4: Template[float] = Template("spot", "spot", A4, _same_spot, "SP")


def _run(pages: list[tuple[Template[Any], Any]]) -> bytes:
    writer = NoticeWriter("run", "熊本市長")
    for template, data in pages:
        writer.add(template, data, context())
    return writer.pdf()


CARDS = [(CERTIFICATE, replace(CARD_DATA, name=name, address=f"熊本市中央区手取本町{n}-1"))
         for n, name in enumerate(("熊本 太郎", "熊本 花子", "天草 ミツ", "熊本 太郎"), start=1)]
MIXED = [(SAME_SPOT_CARD, 6.0), (SAME_SPOT_CARD, 9.0), (SAME_SPOT_A4, 6.0), (SAME_SPOT_CARD, 6.0), *CARDS]


@pytest.mark.parametrize("pages", [CARDS, MIXED], ids=["cards", "sizes-and-pages"])
def test_kept_operators_give_the_bytes_of_drawing_every_page_afresh(pages: list[Any],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    kept = _run(pages)
    monkeypatch.setattr(Sheet, "_once", _draw_again)
    assert kept == _run(pages)


def test_twin_a_key_without_the_font_size_gives_other_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Sheet, "_once", _draw_again)
    afresh = _run(MIXED)
    monkeypatch.setattr(Sheet, "_once", _forgets_the_size)
    assert _run(MIXED) != afresh


def test_a_my_number_is_refused_on_a_later_page_of_the_same_pdf() -> None:
    writer = NoticeWriter("run", "熊本市長")
    writer.add(CERTIFICATE, CARD_DATA, context())
    with pytest.raises(MyNumberInNotice):
        writer.add(CERTIFICATE, replace(CARD_DATA, address=f"熊本市 {VALID_MY_NUMBER}"), context())


def test_card_pages_keep_their_own_dates() -> None:
    """Two cards of one run issued on different days print their own 交付年月日 (a key without the text would
    repeat the first)."""
    from tests.notices.pdf import text_lines

    writer = NoticeWriter("run", "熊本市長")
    for day in (date(2026, 8, 1), date(2026, 9, 1)):
        writer.add(CERTIFICATE, CARD_DATA, context(issued_on=day))
    lines = text_lines(writer.pdf())
    assert "令和8年8月1日" in lines and "令和8年9月1日" in lines
