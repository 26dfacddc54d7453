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
