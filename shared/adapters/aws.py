"""The one boto3 client factory (design rule 3).

Clients are created lazily and cached, so a Lambda cold start pays only for the services a request uses.
Every client is pinned to a Japanese region (PIA-II-6-a) and, in local mode, to the embedded endpoint.
Every API call a client makes is counted here by service and operation, so a benchmark or a test can say how
many DynamoDB or KMS requests a piece of work cost without wrapping the adapters.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import boto3
from botocore.config import Config

from shared.domain.regions import ALLOWED_REGIONS


class RegionNotAllowed(ValueError):
    """A client was asked for a region outside Japan."""


_RETRIES = Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30)


class AwsClients:
    """Lazily created, cached boto3 clients for one region and (optionally) one endpoint."""

    def __init__(self, region: str, endpoint_url: str | None = None) -> None:
        self._guard(region)
        self.region = region
        self.endpoint_url = endpoint_url
        self._session: boto3.session.Session | None = None  # created with the first client: ~15 ms of cold start
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._calls: Counter[tuple[str, str]] = Counter()

    @staticmethod
    def _guard(region: str) -> None:
        if region not in ALLOWED_REGIONS:
            raise RegionNotAllowed(
                f"region {region!r} is not allowed; allowed: {', '.join(sorted(ALLOWED_REGIONS))} (PIA-II-6-a)"
            )

    def client(self, service: str, region: str | None = None) -> Any:
        """Return the cached client for `service` in `region` (default: the primary region)."""
        region = region or self.region
        self._guard(region)
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                if self._session is None:
                    self._session = boto3.session.Session()
                created = self._session.client(
                    service, region_name=region, endpoint_url=self.endpoint_url, config=_RETRIES
                )
                created.meta.events.register("before-call", self._count, unique_id="choju-call-counter")
                self._clients[key] = created
            return self._clients[key]

    def _count(self, model: Any, **_: Any) -> None:
        self._calls[(model.service_model.service_name, model.name)] += 1

    def calls(self, service: str) -> Counter[str]:
        """API calls made so far through this factory's clients of `service`, by operation (all regions)."""
        return Counter({op: n for (svc, op), n in self._calls.items() if svc == service})

    @property
    def created(self) -> list[tuple[str, str]]:
        """The (service, region) pairs created so far: lets tests prove laziness."""
        return list(self._clients)
