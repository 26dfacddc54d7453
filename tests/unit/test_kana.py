"""Kana search keys: width, hiragana/katakana and spaces do not matter."""

import pytest

from shared.domain.kana import kana_key


@pytest.mark.parametrize("variant", ["クマモト タロウ", "くまもと たろう", "ｸﾏﾓﾄ ﾀﾛｳ", "クマモト　タロウ",
                                     "クマモトタロウ"])
def test_variants_share_one_key(variant: str) -> None:
    assert kana_key(variant) == "クマモトタロウ"


def test_voiced_half_width_kana_compose() -> None:
    assert kana_key("ｼﾞﾛｳ") == kana_key("ジロウ") == "ジロウ"


def test_different_names_stay_different() -> None:
    assert kana_key("クマモト タロウ") != kana_key("クマモト ハナコ")
