"""docs/notices.md shows every document as residents receive it: each is rendered to PNG here, and the pictures in
the docs are of the same pages (same pixel size; regenerate with `python -m shared.local.notice_gallery
docs/notices` after changing a template)."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pytest
from PIL import Image

from shared.local.notice_gallery import DEFAULT_DPI, DPI, gallery_notice, page_png
from shared.notices.document import render
from shared.notices.kinds import KINDS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_document_renders_to_a_picture_like_the_one_in_the_docs(kind: str) -> None:
    notice = gallery_notice(kind)
    picture = _image(page_png(render(*notice), DPI.get(kind, DEFAULT_DPI)))
    size = notice.template.size
    dpi = DPI.get(kind, DEFAULT_DPI)
    assert picture.size == (math.ceil(size.width / 25.4 * dpi), math.ceil(size.height / 25.4 * dpi))  # whole pixels
    assert picture.getextrema()[0] < 100  # ink on the page
    assert _image((DOCS / "notices" / f"{kind}.png").read_bytes()).size == picture.size


def test_the_docs_show_one_picture_of_each_document_and_no_other() -> None:
    shown = re.findall(r"!\[[^\]]*\]\(notices/([a-z-]+)\.png\)", (DOCS / "notices.md").read_text(encoding="utf-8"))
    assert sorted(shown) == sorted(KINDS)
    assert sorted(p.stem for p in (DOCS / "notices").glob("*.png")) == sorted(KINDS)
