"""What one audit event is and how it is stored, as pure functions (design rule 7; PIA-III-2-c, III-3-f, III-8).

A request writes its event once, as a new item with a unique, time-ordered id: no head to read, nothing to
retry. The id starts with the UTC time to the microsecond, so ids sort by time and a time window is a key range;
a per-process counter keeps one process's events in order within a microsecond, and random bits make ids of
different processes distinct. The item lives in the partition `<UTC day>#<shard>` (the shard comes from the
random bits, spreading one day's writes over SHARDS partitions) and carries `pending` until the sealer links it
into the hash chain.

Every field that can come from a request (a path, a claimed token subject, a purpose typed at the counter) is
cut to a safe length and stripped of My Number shapes before it is stored, so no request can break the write
(an index key is at most 2 KB) and no My Number reaches the log in clear (design rule 5).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from shared.security.redaction import redact_my_numbers

__all__ = ["APPEND_ATTRIBUTES", "CHAIN", "CONTENT_ATTRIBUTES", "EVENT_ATTRIBUTES", "EVENT_PARTITION_PATTERN",
           "HEAD_ATTRIBUTES", "HEAD_KEY", "KEY_ATTRIBUTES", "LIMITS", "SEALED_ATTRIBUTES", "SEAL_ATTRIBUTES",
           "SEAL_UPDATE_ATTRIBUTES", "SHARDS", "AuditEvent", "bounded", "canonical_json", "day_shard", "event_id",
           "event_item", "event_time", "id_floor", "shard_of"]

SHARDS = 4  # partitions per day: each takes 1,000 writes a second, so a day takes 4,000 (at most 10: one digit)
CHAIN = "main"
# The sealer's own item: the chain's head, in a partition no event id can name.
HEAD_KEY = {"day_shard": f"chain#{CHAIN}", "event_id": "head"}

# The table key and every index key (storage declaration): IAM's attribute conditions must name them all.
KEY_ATTRIBUTES = ("day_shard", "event_id", "target", "pending", "chain", "seq")
# What a request writes.
CONTENT_ATTRIBUTES = ("at", "staff_id", "action", "outcome", "target", "purpose", "request_id", "detail")
EVENT_ATTRIBUTES = ("day_shard", "event_id", *CONTENT_ATTRIBUTES, "pending")
# What the sealer adds (and it removes `pending`); the head item's fields.
SEAL_ATTRIBUTES = ("chain", "seq", "prev_hash", "sealed_at", "hash")
HEAD_ATTRIBUTES = ("head_seq", "head_hash", "sealed_at", "batch")  # batch: a claimed seal not yet finalized
# A sealed event has exactly these; any other attribute is a verification failure.
SEALED_ATTRIBUTES = frozenset(("day_shard", "event_id", *CONTENT_ATTRIBUTES, *SEAL_ATTRIBUTES))
# What IAM lets a role name (infra/audit_log.py, checked by policies): IAM wants every key attribute listed, so a put
# may name `seq` and `chain` but never `hash`, `prev_hash` or `sealed_at`; the sealer names the seal and the head.
APPEND_ATTRIBUTES = tuple(sorted({*KEY_ATTRIBUTES, *EVENT_ATTRIBUTES}))
SEAL_UPDATE_ATTRIBUTES = tuple(sorted({*KEY_ATTRIBUTES, *SEAL_ATTRIBUTES, *HEAD_ATTRIBUTES}))
# The partitions events are written to, as an IAM pattern: "2026-04-01#3", never the head's "chain#main".
EVENT_PARTITION_PATTERN = "????-??-??#?"

# Longest stored value of each field, in characters (a 2 KB path must never fail the write).
LIMITS = {"staff_id": 128, "action": 96, "outcome": 16, "target": 256, "purpose": 256, "request_id": 128}
DETAIL_KEYS = 24
DETAIL_KEY_LENGTH = 64
DETAIL_VALUE_LENGTH = 512


@dataclass(frozen=True)
class AuditEvent:
    staff_id: str  # who; "anonymous" when no verified identity exists (refused sign-in)
    action: str  # e.g. "auth.sign-in", "person.mynumber-read"
    outcome: str  # "success" | "refused" | "failure"
    target: str = "-"  # person or resource id
    purpose: str = "-"
    request_id: str = "-"
    detail: Mapping[str, str] = field(default_factory=dict)


def bounded(value: object, limit: int) -> str:
    """The value as stored: My Number shapes redacted, never empty, at most `limit` characters. A cut value ends
    with '…#' and 12 hex digits of the full value's SHA-256, so two long values stay distinguishable."""
    text = redact_my_numbers(str(value)) or "-"
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"{text[:limit - 14]}…#{digest}"


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 as is: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _bounded_detail(detail: Mapping[str, object]) -> dict[str, str]:
    items = sorted(detail.items())[:DETAIL_KEYS]
    return {bounded(k, DETAIL_KEY_LENGTH): bounded(v, DETAIL_VALUE_LENGTH) for k, v in items}


# Hex digits spelled as the letters a–p (same order): no part of an id is a run of digits that could read as a
# My Number, so an id in a URL path passes the free-text guard (issue 18) — `HHMMSSffffff` alone would be 12 digits
# whose last is a valid check digit one time in ten.
_LETTERED = str.maketrans("0123456789abcdef", "abcdefghijklmnop")
_HEX = str.maketrans("abcdefghijklmnop", "0123456789abcdef")


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%Su%f")  # u (µ) splits seconds from microseconds


def id_floor(at: datetime) -> str:
    """The smallest id an event at `at` can have: window queries run from id_floor(since) to id_floor(until)."""
    return f"{_stamp(at)}Z"


def event_time(event_id: str) -> datetime:
    """When the event with this id was written (UTC); ValueError if it is not an event id."""
    return datetime.strptime(event_id[:len("20260401T090000u123456Z")], "%Y%m%dT%H%M%Su%fZ").replace(tzinfo=UTC)


def event_id(at: datetime, counter: int, entropy: str) -> str:
    """`20260401T090000u123456Z-aaaack-dpkjemblacno`: UTC time (date, time, microseconds: digit runs of at most
    eight), this process's counter and 12 random hex digits (`entropy`), both spelled in letters a–p."""
    return f"{id_floor(at)}-{f'{counter:06x}'.translate(_LETTERED)}-{entropy.lower().translate(_LETTERED)}"


def shard_of(event_id: str) -> int:
    return int(event_id[-12:-10].translate(_HEX), 16) % SHARDS


def day_shard(day: date, shard: int) -> str:
    return f"{day.isoformat()}#{shard}"


def event_item(event: AuditEvent, at: datetime, event_id: str) -> dict[str, Any]:
    """The item a request writes: bounded content, its partition, and `pending` for the sealer to find it."""
    shard = shard_of(event_id)
    return {
        "day_shard": day_shard(at.astimezone(UTC).date(), shard),
        "event_id": event_id,
        "at": at.astimezone(UTC).isoformat(),
        **{name: bounded(getattr(event, name), limit) for name, limit in LIMITS.items()},
        "detail": canonical_json(_bounded_detail(event.detail)),
        "pending": str(shard),
    }
