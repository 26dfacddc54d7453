"""Ids derived from what caused a record, so a re-run finds the record it made instead of making another
(design rule 8): a payment's receipt id comes from its agent and reference, its over-payment from the receipt.

Only capital letters: a derived id never looks like a My Number, so log redaction leaves it alone.
"""

from __future__ import annotations

import hashlib

__all__ = ["derived_id", "derived_number"]

_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # 24 letters, no I or O to misread


def derived_id(prefix: str, *parts: str, length: int = 18) -> str:
    digest = int.from_bytes(hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest(), "big")
    letters = []
    for _ in range(length):
        digest, index = divmod(digest, len(_LETTERS))
        letters.append(_LETTERS[index])
    return prefix + "".join(letters)


def derived_number(*parts: str, digits: int = 18) -> str:
    """A 納付番号 for a 期 the collection workflow creates (a 特別徴収 期 moved to 普通徴収): digits, starting with
    9, derived from what it replaces, so a repeated run creates the same one."""
    digest = int.from_bytes(hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest(), "big")
    return "9" + str(digest % 10 ** (digits - 1)).zfill(digits - 1)
