"""Token verification and My Number redaction."""

__all__ = ["redaction", "tokens"]
