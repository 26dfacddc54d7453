"""個人番号 (My Number): normalisation and validation, pure.

The check digit follows 番号法施行令第8条 and 平成26年総務省令第85号第5条:
    検査用数字 = 11 − (Σ Pn × Qn mod 11), or 0 when (Σ Pn × Qn mod 11) ≤ 1,
    Pn = the n-th digit counting from the lowest of the 11 non-check digits,
    Qn = n + 1 for 1 ≤ n ≤ 6, n − 5 for 7 ≤ n ≤ 11.
Left to right over the first 11 digits that is the weight list 6,5,4,3,2,7,6,5,4,3,2.
The check only catches typing errors; it does not show the number was issued.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum

from shared.domain.errors import Invalid

WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
SEPARATORS = frozenset(" \u3000-‐‑‒–—―−－ー")


class MyNumberRule(str, Enum):
    CHARACTERS = "characters"  # only digits, spaces and hyphens
    LENGTH = "length"  # exactly 12 digits
    CHECK_DIGIT = "check-digit"  # the 12th digit per 総務省令第5条


class InvalidMyNumber(Invalid):
    """Says which rule failed; never carries the number itself."""

    code = "invalid-my-number"
    title = "The My Number is not valid"

    def __init__(self, rule: MyNumberRule, message: str, field: str = "my_number") -> None:
        super().__init__(message, errors=[{"field": field, "type": rule.value, "message": message}])
        self.rule = rule


@dataclass(frozen=True)
class MyNumber:
    """A validated 12-digit number. Its repr never shows the digits."""

    digits: str

    def __repr__(self) -> str:
        return "MyNumber(****)"

    __str__ = __repr__


def check_digit(first_eleven: str) -> int:
    remainder = sum(int(d) * w for d, w in zip(first_eleven, WEIGHTS, strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def normalise(raw: str) -> str:
    """Full-width digits become half-width; spaces and hyphens of any width are removed."""
    folded = unicodedata.normalize("NFKC", raw)
    return "".join(ch for ch in folded if ch not in SEPARATORS and not ch.isspace())


def parse_my_number(raw: str) -> MyNumber:
    digits = normalise(raw)
    if not all(ch in "0123456789" for ch in digits):
        raise InvalidMyNumber(MyNumberRule.CHARACTERS, "a My Number has only digits (spaces and hyphens are ignored)")
    if len(digits) != 12:
        raise InvalidMyNumber(MyNumberRule.LENGTH, f"a My Number has 12 digits, not {len(digits)}")
    if check_digit(digits[:11]) != int(digits[11]):
        raise InvalidMyNumber(MyNumberRule.CHECK_DIGIT, "the check digit does not match (番号法施行令第8条)")
    return MyNumber(digits)


# Kanji numerals a person might type instead of digits; NFKC already folds full-width and superscript digits.
_KANJI_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _digit_groups(text: str) -> list[list[str]]:
    """Runs of digit groups: digits, with only separators (spaces, dashes, dots, slashes …) between groups.

    Format characters (zero-width spaces, bidi controls) are dropped first, so they cannot split a number."""
    folded = unicodedata.normalize("NFKC", text).translate(_KANJI_DIGITS)
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    runs: list[list[str]] = [[]]
    group = ""
    for ch in folded:
        if ch in "0123456789":
            group += ch
            continue
        if group:
            runs[-1].append(group)
            group = ""
        if not (ch.isspace() or unicodedata.category(ch) in ("Pd", "Po", "Pc", "Zs") or ch in SEPARATORS):
            runs.append([])  # a letter or any other sign ends the run
    if group:
        runs[-1].append(group)
    return [run for run in runs if run]


def my_numbers_in(text: str) -> list[MyNumber]:
    """The valid My Numbers written anywhere in free text: 12 digits (ASCII, full-width, superscript or kanji
    numerals) split into groups by any separators, the 12th digit a valid check digit (番号法施行令第8条).

    A run of groups is searched for every stretch of whole groups with 12 digits in all ("2026-11-27 1234 5678
    9018" holds one); a single group of more than 12 digits is a longer number, not a My Number."""
    found = []
    for run in _digit_groups(text):
        for start in range(len(run)):
            digits = ""
            for group in run[start:]:
                digits += group
                if len(digits) >= 12:
                    break
            if len(digits) == 12 and check_digit(digits[:11]) == int(digits[11]):
                found.append(MyNumber(digits))
    return found
