"""Normalise names written in kana for search: width, hiragana/katakana and spacing do not matter."""

from __future__ import annotations

import unicodedata

_HIRAGANA_START, _HIRAGANA_END, _TO_KATAKANA = 0x3041, 0x3096, 0x60


def kana_key(text: str) -> str:
    """ｶﾅ, カナ and かな give the same key; spaces (any width) are dropped."""
    folded = unicodedata.normalize("NFKC", text)
    out = []
    for ch in folded:
        if ch.isspace():
            continue
        code = ord(ch)
        out.append(chr(code + _TO_KATAKANA) if _HIRAGANA_START <= code <= _HIRAGANA_END else ch)
    return "".join(out).upper()
