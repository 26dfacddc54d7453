"""Remove anything shaped like a My Number from text that leaves the process (design rule 5).

Shape: 12 digits, half- or full-width, optionally separated by spaces or hyphens (any dash form), not part
of a longer run of digits. It over-redacts on purpose: a 12-digit reference number in a log line is a
small loss, a leaked My Number is not.
"""

from __future__ import annotations

import re

_DIGIT = "[0-9０-９]"
_SEP = "[ \u3000\\-‐‑‒–—―−－ー]"
MY_NUMBER_SHAPE = re.compile(rf"(?<![0-9０-９]){_DIGIT}(?:{_SEP}?{_DIGIT}){{11}}(?![0-9０-９])")
REDACTED = "[REDACTED-MYNUMBER]"


def redact_my_numbers(text: str) -> str:
    return MY_NUMBER_SHAPE.sub(REDACTED, text)


def contains_my_number_shape(text: str) -> bool:
    return MY_NUMBER_SHAPE.search(text) is not None
