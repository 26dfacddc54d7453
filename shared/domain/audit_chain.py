"""The audit log's hash chain, as pure functions (design rule 7; PIA-III-2-c, III-8).

The sealer gives each written event the next sequence number and the hash of the event before it, then hashes
the whole stored event: every attribute but `hash` itself, as canonical JSON. Editing, deleting or reordering a
sealed event therefore breaks the chain, an attribute added after sealing is outside the hash, and the digests
anchored under Object Lock (audit_verify) catch a history rewritten with fresh hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from shared.domain.audit_events import CHAIN, canonical_json

__all__ = ["GENESIS_HASH", "Head", "canonical_encoding", "record_hash", "seal_batch"]

GENESIS_HASH = "0" * 64
# Set on an event while it waits for the sealer; never part of a sealed event.
PENDING = "pending"


class Head(NamedTuple):
    """The newest sealed event: its sequence number and hash ((0, genesis) before the first)."""

    seq: int
    hash: str


GENESIS = Head(0, GENESIS_HASH)


def canonical_encoding(record: Mapping[str, Any]) -> bytes:
    """Every attribute of the stored event except `hash`, as canonical JSON in UTF-8."""
    return canonical_json({k: v for k, v in record.items() if k != "hash"}).encode("utf-8")


def record_hash(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_encoding(record)).hexdigest()


def seal_batch(events: Iterable[Mapping[str, Any]], head: Head, sealed_at: str) -> list[dict[str, Any]]:
    """The events as they will be stored once sealed after `head`, in the order given."""
    sealed = []
    seq, prev = head
    for event in events:
        seq += 1
        record = {k: v for k, v in event.items() if k not in (PENDING, "hash")}
        record.update({"chain": CHAIN, "seq": seq, "prev_hash": prev, "sealed_at": sealed_at})
        record["hash"] = prev = record_hash(record)
        sealed.append(record)
    return sealed
