"""Names as the banks' fixed-length files carry them: half-width katakana, digits, capitals, a few symbols.

file-layouts.md §1: allowed are カナ (ﾞ and ﾟ as separate characters), 0–9, A–Z, space and ( ) . - /; small kana
(ｬｭｮｯ …) are written full-size. A holder name typed at the counter (全角カナ, ひらがな, mixed widths) is
normalised to that form; what cannot be written is refused with its position, never silently dropped.
"""

from __future__ import annotations

import unicodedata

from shared.domain.errors import Invalid

__all__ = ["NotWritable", "zengin_kana"]

_ALLOWED_ASCII = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ().-/")
# Half-width katakana ｦ…ﾟ (U+FF66–U+FF9F), the character set of JIS X 0201's right half.
_HALF_KANA = [chr(c) for c in range(0xFF66, 0xFFA0)]
_SMALL_TO_FULL = dict(zip("ｧｨｩｪｫｬｭｮｯ", "ｱｲｳｴｵﾔﾕﾖﾂ", strict=True))


def _full_to_half() -> dict[str, str]:
    """Full-width katakana → half-width, built from NFKC itself (which maps the other way), voiced ones too."""
    table: dict[str, str] = {}
    for half in _HALF_KANA:
        table.setdefault(unicodedata.normalize("NFKC", half), _SMALL_TO_FULL.get(half, half))
        for mark in "ﾞﾟ":
            composed = unicodedata.normalize("NFKC", half + mark)
            if len(composed) == 1:
                table.setdefault(composed, half + mark)
    table.update({"ヮ": "ﾜ", "ヵ": "ｶ", "ヶ": "ｹ", "ヰ": "ｲ", "ヱ": "ｴ", "・": ".", "ー": "ｰ", "－": "-"})
    return table


_TABLE = _full_to_half()


class NotWritable(Invalid):
    code = "kana-not-writable"
    title = "The name cannot be written in the bank's character set"


def zengin_kana(text: str, max_length: int | None = None, field: str = "holder_kana") -> str:
    """`text` in the banks' half-width form; refused with the position of the first character it cannot write."""
    out: list[str] = []
    for position, raw in enumerate(unicodedata.normalize("NFKC", text.strip()), start=1):
        ch = chr(ord(raw) + 0x60) if 0x3041 <= ord(raw) <= 0x3096 else raw  # ひらがな → カタカナ
        if ch.isspace():
            out.append(" ")
        elif ch.upper() in _ALLOWED_ASCII:
            out.append(ch.upper())
        elif ch in _TABLE:
            out.append(_TABLE[ch])
        else:
            raise NotWritable(f"character {position} of {field} cannot be written in half-width kana",
                              errors=[{"field": field, "position": position, "type": "kana-not-writable"}])
    written = " ".join("".join(out).split())  # one space between words
    if not written:
        raise NotWritable(f"{field} is empty", errors=[{"field": field, "type": "empty"}])
    if max_length is not None and len(written) > max_length:
        raise NotWritable(f"{field} takes {len(written)} half-width characters; at most {max_length}",
                          errors=[{"field": field, "type": "too-long"}])
    return written
