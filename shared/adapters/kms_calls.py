"""Count KMS API calls made through the client factory (tests and benchmarks use it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from shared.adapters.aws import AwsClients


@contextmanager
def counting_kms_calls(clients: AwsClients) -> Iterator[Counter[str]]:
    """Count every KMS operation sent by the factory's KMS client while the block runs."""
    counts: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        counts[model.name] += 1

    events = clients.client("kms").meta.events
    events.register("before-call.kms.*", count, unique_id="choju-kms-counter")
    try:
        yield counts
    finally:
        events.unregister("before-call.kms.*", unique_id="choju-kms-counter")
