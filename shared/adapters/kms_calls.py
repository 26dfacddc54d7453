"""Count KMS API calls made through the client factory (tests and benchmarks use it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from shared.adapters.aws import AwsClients


@contextmanager
def counting_calls(clients: AwsClients, service: str) -> Iterator[Counter[str]]:
    """The calls of `service` made through the factory while the block runs, by operation (filled on exit)."""
    before = clients.calls(service)
    counts: Counter[str] = Counter()
    try:
        yield counts
    finally:
        counts.update(clients.calls(service) - before)


@contextmanager
def counting_kms_calls(clients: AwsClients) -> Iterator[Counter[str]]:
    """Count every KMS operation sent by the factory's KMS client while the block runs."""
    with counting_calls(clients, "kms") as counts:
        yield counts
