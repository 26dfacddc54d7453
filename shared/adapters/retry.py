"""Bounded retries with exponential backoff and full jitter (design rule 8).

Full jitter (a uniform wait between 0 and the exponential cap) spreads the retries of many workers that were
throttled at the same moment, instead of sending them back together; the attempt count is bounded so that a
request that keeps failing surfaces as an error instead of looping.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["backoff_delay"]


def backoff_delay(attempt: int, base: float, cap: float, rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait before retry number `attempt` (1 for the first): uniform in [0, min(cap, base·2^(attempt-1))]."""
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    return rng() * min(cap, base * 2 ** (attempt - 1))
