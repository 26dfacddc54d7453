"""Count KMS API calls made through the client factory (tests and benchmarks use it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from shared.adapters.aws import AwsClients


@contextmanager
def counting_calls(clients: AwsClients, *services: str) -> Iterator[Counter[str]]:
    """Count every operation the factory's clients of `services` send while the block runs ("service.Op")."""
    counts: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        counts[f"{model.service_model.service_name}.{model.name}"] += 1

    for service in services:
        clients.client(service).meta.events.register("before-call.*", count, unique_id=f"choju-counter-{service}")
    try:
        yield counts
    finally:
        for service in services:
            clients.client(service).meta.events.unregister("before-call.*", unique_id=f"choju-counter-{service}")


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
