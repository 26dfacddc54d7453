"""Sealing the audit log and verifying it, over the shared adapters (design rule 7; PIA-III-2-c, III-8).

`seal` links the events written since the last run into the chain and, when the chain moved, anchors the new
head as a digest under Object Lock. `verify` walks the whole chain and checks it against the sealer's head and
against every digest ever stored (every version, even behind a delete marker), and reports events that have
waited longer than the sealing delay.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from shared.domain.audit_chain import Head
from shared.domain.audit_verify import ChainReport, verify_chain
from shared.runtime import Runtime

__all__ = ["SEALING_DELAY", "SETTLE", "SealRun", "anchor", "seal", "verify"]

# Events are sealed once this old, so a write still in flight (another instance's clock, a retried request)
# usually lands in order; a later one is simply sealed on the next run.
SETTLE = timedelta(seconds=2)
# An event still unsealed after this is reported by `verify`: the sealer is behind or stopped.
SEALING_DELAY = timedelta(minutes=2)


class SealRun(NamedTuple):
    sealed: int
    head: Head
    digest: str | None  # the key of the digest written, if the chain moved


def anchor(rt: Runtime, head: Head, writer: str) -> str:
    return rt.audit_digests.write(head, rt.clock(), writer)


def seal(rt: Runtime, settle: timedelta = SETTLE, *, anchor_digest: bool = True, writer: str = "sealer") -> SealRun:
    """Seal what was written up to now − settle; anchor the new head if the chain moved."""
    result = rt.audit_sealer.seal(through=rt.clock() - settle)
    digest = anchor(rt, result.head, writer) if result.sealed and anchor_digest else None
    return SealRun(result.sealed, result.head, digest)


def verify(rt: Runtime, now: datetime | None = None, delay: timedelta = SEALING_DELAY) -> ChainReport:
    """The whole chain against the sealer's head, every digest, and the events still waiting to be sealed."""
    now = now or rt.clock()
    state = rt.audit_sealer.state()
    listing = rt.audit_digests.listing()
    claimed = {r["event_id"] for r in state.claim.records} if state.claim else set()
    waiting = (e for e in rt.audit_sealer.unsealed(before=now - delay) if e["event_id"] not in claimed)
    oldest = next(waiting, None)
    overdue = (0, None) if oldest is None else (1 + sum(1 for _ in waiting), str(oldest["event_id"]))
    in_flight = state.claim.end if state.claim else None
    stalled = bool(state.claim and datetime.fromisoformat(state.claim.sealed_at) < now - delay)
    return verify_chain(rt.audit.chain(), listing.digests, state.head, overdue, listing.unreadable, in_flight,
                        stalled)
