"""The one boto3 client factory (design rule 3).

Clients are created lazily and cached, so a Lambda cold start pays only for the services a request uses.
Every client is pinned to a Japanese region (PIA-II-6-a) and, in local mode, to the embedded endpoint.
Every API call a client makes is counted here by service and operation, so a benchmark or a test can say how
many DynamoDB or KMS requests a piece of work cost without wrapping the adapters; while `recording()` is on, each
call is also kept with its parameters, so a test can ask IAM's questions about exactly the calls the code made.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import boto3
from botocore.config import Config

from shared.domain.regions import ALLOWED_REGIONS


class RegionNotAllowed(ValueError):
    """A client was asked for a region outside Japan."""


_RETRIES = Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30)
# For calls inside a request that must fail fast rather than outlast API Gateway's 29 s (the key set of the
# identity provider): two attempts, two seconds to connect, three to answer.
_QUICK = Config(retries={"total_max_attempts": 2, "mode": "standard"}, connect_timeout=2, read_timeout=3)
_session: boto3.session.Session | None = None
_session_lock = threading.Lock()


def _shared_session() -> boto3.session.Session:
    """One boto3 session per process, created with the first client: a session loads each service's model once
    for every client made from it (about 15 ms a session, and more per service, that a second one pays again)."""
    global _session
    with _session_lock:
        if _session is None:
            _session = boto3.session.Session()
        return _session


class Call(NamedTuple):
    """One API call as the code made it: what IAM is asked to authorise (service and operation as botocore names
    them, e.g. "dynamodb" and "BatchWriteItem"; the call's parameters; the region of the client that made it)."""

    service: str
    operation: str
    params: dict[str, Any]
    region: str


class AwsClients:
    """Lazily created, cached boto3 clients for one region and (optionally) one endpoint."""

    def __init__(self, region: str, endpoint_url: str | None = None) -> None:
        self._guard(region)
        self.region = region
        self.endpoint_url = endpoint_url
        self._clients: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()
        self._calls: Counter[tuple[str, str]] = Counter()
        self._recordings: list[list[Call]] = []

    @staticmethod
    def _guard(region: str) -> None:
        if region not in ALLOWED_REGIONS:
            raise RegionNotAllowed(
                f"region {region!r} is not allowed; allowed: {', '.join(sorted(ALLOWED_REGIONS))} (PIA-II-6-a)"
            )

    def client(self, service: str, region: str | None = None, *, quick: bool = False) -> Any:
        """Return the cached client for `service` in `region` (default: the primary region); `quick` clients
        give up within seconds (see _QUICK)."""
        region = region or self.region
        self._guard(region)
        key = (service, region) if not quick else (service, region, "quick")
        with self._lock:
            if key not in self._clients:
                session = _shared_session()
                with _session_lock:  # creating clients from one session is not thread-safe
                    created = session.client(service, region_name=region, endpoint_url=self.endpoint_url,
                                             config=_QUICK if quick else _RETRIES)
                created.meta.events.register("before-call", self._count, unique_id="choju-call-counter")
                created.meta.events.register("before-parameter-build", self._record,
                                             unique_id="choju-call-recorder")
                self._clients[key] = created
            return self._clients[key]

    def _count(self, model: Any, **_: Any) -> None:
        self._calls[(model.service_model.service_name, model.name)] += 1

    def _record(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if self._recordings:  # the parameters as the caller gave them, before botocore serialises them
            call = Call(model.service_model.service_name, model.name, dict(params),
                        str(context.get("client_region") or self.region))
            for recording in list(self._recordings):
                recording.append(call)

    @contextmanager
    def recording(self) -> Iterator[list[Call]]:
        """Every call made through this factory's clients while the block runs, in order, with its parameters:
        moto authorises everything, so this is what a test translates into IAM requests to check a role against
        (tests/infra/test_roles_cover_calls.py). Recordings may nest; each gets every call of its block."""
        calls: list[Call] = []
        with self._lock:
            self._recordings.append(calls)
        try:
            yield calls
        finally:
            with self._lock:  # by identity: two recordings that saw the same calls are equal lists
                self._recordings = [r for r in self._recordings if r is not calls]

    def calls(self, service: str) -> Counter[str]:
        """API calls made so far through this factory's clients of `service`, by operation (all regions)."""
        return Counter({op: n for (svc, op), n in self._calls.items() if svc == service})

    @property
    def created(self) -> list[tuple[str, ...]]:
        """The (service, region) pairs created so far: lets tests prove laziness."""
        return list(self._clients)


def aws_failure(error: BaseException) -> str | None:
    """One line for an AWS failure (no credentials, refused, unreachable), or None for anything else: operator
    tools report these without a traceback and without importing botocore themselves."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    if isinstance(error, NoCredentialsError):
        return "no AWS credentials: run while `choju local` runs, or configure credentials for the stack"
    if isinstance(error, ClientError | BotoCoreError):
        return f"AWS refused or could not be reached: {error}"
    return None
