"""No My Number on paper unless the document legally carries one (design rule 5; PIA-III-2-a).

None of the notices here carries the 個人番号: the 資格確認書 has no such item, and payment and dunning notices
never did. Every string a template draws passes through `check_text`; a valid My Number (12 digits in any width,
with or without separators, and a matching check digit) stops the rendering before a byte is written. A
12-digit shape with a wrong check digit is not a My Number and is printed (reference numbers may look like one).
"""

from __future__ import annotations

from shared.domain.errors import Invalid
from shared.domain.mynumber import InvalidMyNumber, parse_my_number
from shared.security.redaction import MY_NUMBER_SHAPE

__all__ = ["MyNumberInNotice", "check_text", "holds_my_number"]


class MyNumberInNotice(Invalid):
    code = "my-number-in-notice"
    title = "A My Number would be printed"


def holds_my_number(text: str) -> bool:
    for match in MY_NUMBER_SHAPE.finditer(text):
        try:
            parse_my_number(match.group())
        except InvalidMyNumber:
            continue
        return True
    return False


def check_text(text: str, kind: str) -> str:
    """`text` if it holds no valid My Number; otherwise refuse (the detail never repeats the number)."""
    if holds_my_number(text):
        raise MyNumberInNotice(f"the {kind} would print a My Number, which it may not carry (番号法第19条)")
    return text
