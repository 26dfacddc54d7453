"""Refused, unauthenticated requests in the audit log: recorded, but never able to slow or break authenticated
work (design rule 7; PIA-III-3-f).

A refusal (a missing, forged, expired or unknown token) is written like any event, but each process writes at
most `rate` of them a second, with a burst of `burst`. The refusals over the limit are counted by code, and the
counts go out in the detail of the next refusal that is written, so a flood of forged tokens becomes a few
events saying how many there were, instead of thousands of writes competing with the counter's real work. A
refusal whose own write fails is counted the same way: the request is refused either way, and no data leaves.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from shared.adapters.audit_log import AuditLog
from shared.domain.audit_events import AuditEvent
from shared.domain.errors import AuditAppendFailed
from shared.observability import count, get_logger

__all__ = ["RefusalRecorder"]


class RefusalRecorder:
    def __init__(self, audit: AuditLog, clock: Callable[[], datetime], rate: float = 5.0, burst: int = 20,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._audit = audit
        self._clock = clock
        self._rate = rate
        self._burst = float(burst)
        self._monotonic = monotonic
        self._tokens = float(burst)
        self._last = monotonic()
        self._lock = threading.Lock()
        self._suppressed: Counter[str] = Counter()
        self._since: datetime | None = None

    def record(self, event: AuditEvent, code: str) -> bool:
        """Write the refusal, or count it when over the rate; True when it was written."""
        with self._lock:
            now = self._monotonic()
            self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
            self._last = now
            if self._tokens < 1:
                self._count(Counter({code: 1}))
                return False
            self._tokens -= 1
            carried, since = self._suppressed, self._since
            self._suppressed, self._since = Counter(), None
        if carried:
            event = replace(event, detail={**event.detail, **_summary(carried, since)})
        try:
            self._audit.append(event)
        except AuditAppendFailed:
            get_logger().warning("refusal not written to the audit log; counted for the next one",
                                 extra={"code": code})
            with self._lock:
                self._count(carried + Counter({code: 1}), since)
            return False
        return True

    def _count(self, refusals: Counter[str], since: datetime | None = None) -> None:
        """Add to the suppressed counts (the caller holds the lock)."""
        self._suppressed.update(refusals)
        if self._since is None:
            self._since = since or self._clock()
        count("AuditRefusalsSuppressed", sum(refusals.values()))

    @property
    def suppressed(self) -> int:
        with self._lock:
            return sum(self._suppressed.values())


def _summary(carried: Counter[str], since: datetime | None) -> dict[str, str]:
    return {"suppressed": str(sum(carried.values())),
            "suppressed_by_code": " ".join(f"{code}={n}" for code, n in sorted(carried.items())),
            "suppressed_since": since.isoformat() if since else "-"}
