"""Identifiers for records the system creates (change requests, receipts, exports)."""

from __future__ import annotations

import secrets

from shared.security.redaction import contains_my_number_shape

# 宛名番号: "P" and 4 to 20 digits or capitals (the demo data uses P + 10 digits, new persons P + 12 of base 32).
PERSON_ID_PATTERN = r"^P[0-9A-Z]{4,20}$"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U to misread at the counter


def new_id(prefix: str, length: int = 16) -> str:
    """A random id that never looks like a My Number (so redaction and leak scans leave it alone)."""
    while True:
        body = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if not contains_my_number_shape(body):
            return f"{prefix}{body}"
