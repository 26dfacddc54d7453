"""Remove anything shaped like a My Number from text that leaves the process (design rule 5).

Shape: 12 digits — half-width, full-width or superscript, mixed freely — optionally separated by single spaces or
hyphens (any dash form), standing as a whole token. "Whole" means the run is not glued to letters or digits: not
part of a longer run of digits, and not joined by a hyphen or a dot to a word such as a request id
(`3f2a9c1b-1234-5678-9012-…`) or a decimal (`0.123456789012`). Japanese text has no spaces, so kana and kanji
count as boundaries (`番号は123456789012です` is redacted). Within that shape it over-redacts on purpose: a
12-digit reference number standing alone in a log line is a small loss, a leaked My Number is not.
"""

from __future__ import annotations

import re

__all__ = ["MY_NUMBER_SHAPE", "REDACTED", "contains_my_number_shape", "redact_my_numbers"]

_DIGITS = "0-9０-９⁰¹²³⁴⁵⁶⁷⁸⁹"
_DIGIT = f"[{_DIGITS}]"
# What makes a token a word: ASCII and full-width letters and digits, the underscore, superscript digits.
_WORD = f"[{_DIGITS}A-Za-zＡ-Ｚａ-ｚ_]"
# Separators allowed between the digits of one number.
_SEP = "[ \u3000\\-‐‑‒–—―−－ー]"
# Characters that glue a digit run to a neighbouring word (hyphens and dots), so the run is not a token alone.
_JOIN = "[\\-‐‑‒–—―−－.．]"
MY_NUMBER_SHAPE = re.compile(
    rf"(?<!{_WORD})(?<!{_WORD}{_JOIN})(?<!{_DIGIT}{_SEP})"
    rf"{_DIGIT}(?:{_SEP}?{_DIGIT}){{11}}"
    rf"(?!{_WORD})(?!{_JOIN}{_WORD})(?!{_SEP}{_DIGIT})"
)
REDACTED = "[REDACTED-MYNUMBER]"


def redact_my_numbers(text: str) -> str:
    return MY_NUMBER_SHAPE.sub(REDACTED, text)


def contains_my_number_shape(text: str) -> bool:
    return MY_NUMBER_SHAPE.search(text) is not None
