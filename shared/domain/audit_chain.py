"""The audit log's hash chain, as pure functions (design rule 7; PIA-III-2-c, III-8).

Each record holds the SHA-256 of the previous record's canonical encoding, so editing, deleting or
reordering any record breaks the chain at that point, and `verify_chain` names the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "staff_id",
    "action",
    "target",
    "purpose",
    "outcome",
    "request_id",
    "detail",
    "prev_hash",
)


def canonical_encoding(record: Mapping[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same record always gives the same bytes."""
    body = {name: record.get(name) for name in HASHED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def record_hash(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_encoding(record)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    latest_hash: str
    broken_at: int | None = None  # seq of the first record that does not fit
    reason: str | None = None


def verify_chain(records: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Walk records in seq order; stop at the first gap, edit or reordering."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    for record in records:
        seq = int(record["seq"])
        if seq != expected_seq:
            return ChainReport(False, count, prev_hash, expected_seq,
                               f"record {expected_seq} is missing (next is {seq})")
        if record.get("prev_hash") != prev_hash:
            return ChainReport(False, count, prev_hash, seq,
                               "prev_hash does not match the previous record (reordered or previous record changed)")
        if record_hash(record) != record.get("hash"):
            return ChainReport(False, count, prev_hash, seq, "content does not match its hash (record edited)")
        prev_hash = record["hash"]
        expected_seq += 1
        count += 1
    return ChainReport(True, count, prev_hash)
