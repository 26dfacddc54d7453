"""Scanned documents: the only non-JSON bodies the API takes (PIA-I-1-f, III-7-c)."""

from __future__ import annotations

__all__ = ["DOCUMENT_TYPES", "MAX_DOCUMENT_BYTES", "content_matches"]

# Lambda's synchronous payload limit is 6 MB and binary bodies arrive base64-encoded: 4 MiB of file fits.
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff")
_MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
}


def content_matches(media_type: str, body: bytes) -> bool:
    """The declared type must be what the bytes are: a renamed executable is not a PDF."""
    return any(body.startswith(magic) for magic in _MAGIC.get(media_type, ()))
