"""The runtime a request or a batch works with: settings, clients, clock, and the adapters over storage.

Everything is lazy: building a Runtime costs nothing, and each adapter (and the AWS client behind it) is
created on first use, so a Lambda cold start pays only for what the request touches. Adapters are derived
from the storage declaration (design rule 1): a table adapter names its logical table, the declaration gives
the physical name and the key, and the runtime needs no property per table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from shared.adapters.aws import AwsClients
from shared.config import Settings, load_settings
from shared.storage import STORAGE

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from shared.adapters.audit_digests import AuditDigests
    from shared.adapters.audit_log import AuditLog
    from shared.adapters.audit_refusals import RefusalRecorder
    from shared.adapters.audit_sealer import AuditSealer
    from shared.adapters.batch_io import BatchWriter
    from shared.adapters.batch_jobs import JobStore
    from shared.adapters.field_crypto import MyNumberVault
    from shared.adapters.identity_keys import IdentityKeySet
    from shared.adapters.objects import ObjectStore
    from shared.adapters.queues import ChunkQueue
    from shared.adapters.records import RecordTable
    from shared.security.tokens import TokenVerifier

__all__ = ["Clock", "Runtime", "TableAdapter", "default_runtime", "utc_now"]

Clock = Callable[[], datetime]


class TableAdapter(Protocol):
    """An adapter over one declared table: `TABLE` is its logical name in the storage declaration."""

    TABLE: str

    def __init__(self, client: Any, table: str) -> None: ...


A = TypeVar("A", bound=TableAdapter)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Runtime:
    def __init__(self, settings: Settings, clients: AwsClients | None = None, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.clients = clients or AwsClients(settings.region, settings.endpoint_url)
        self.clock = clock
        self._adapters: dict[object, Any] = {}
        self._lock = threading.Lock()

    # --- physical names, from the declaration ---------------------------------------------------------------
    def table_name(self, logical: str) -> str:
        return STORAGE.table(logical).physical_name(self.settings.name_prefix)

    def bucket_name(self, logical: str) -> str:
        return STORAGE.bucket(logical).physical_name(self.settings.name_prefix)

    def key_alias(self, logical: str) -> str:
        return STORAGE.key(logical).alias(self.settings.name_prefix)

    def parameter_name(self, logical: str) -> str:
        return STORAGE.parameter(logical).physical_name(self.settings.name_prefix)

    def queue_name(self, logical: str) -> str:
        return STORAGE.queue(logical).physical_name(self.settings.name_prefix)

    # --- adapters -------------------------------------------------------------------------------------------
    def _once(self, key: object, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key not in self._adapters:
                self._adapters[key] = make()
            return self._adapters[key]

    def repository(self, adapter: type[A]) -> A:
        """The adapter class over its declared table, created once per runtime."""
        return self._once(adapter, lambda: adapter(self.clients.client("dynamodb"), self.table_name(adapter.TABLE)))  # type: ignore[no-any-return]

    def records(self, logical_table: str) -> RecordTable:
        """A plain versioned table of the declaration, keyed by its declared partition key."""
        from shared.adapters.records import RecordTable

        spec = STORAGE.table(logical_table)
        return self._once(("records", logical_table), lambda: RecordTable(  # type: ignore[no-any-return]
            self.clients.client("dynamodb"), self.table_name(logical_table), spec.partition_key[0]))

    def objects(self, logical_bucket: str) -> ObjectStore:
        from shared.adapters.objects import ObjectStore

        return self._once(("objects", logical_bucket), lambda: ObjectStore(  # type: ignore[no-any-return]
            self.clients.client("s3"), self.bucket_name(logical_bucket), self.key_alias("data")))

    def queue(self, logical_queue: str) -> ChunkQueue:
        """A declared fan-out queue of a chunked batch job, with its dead-letter queue."""
        from shared.adapters.queues import ChunkQueue

        spec, prefix = STORAGE.queue(logical_queue), self.settings.name_prefix
        return self._once(("queue", logical_queue), lambda: ChunkQueue(  # type: ignore[no-any-return]
            self.clients.client("sqs"), spec.physical_name(prefix), spec.dead_letter_name(prefix)))

    def batch_writer(self) -> BatchWriter:
        """A new buffer of puts and deletes for any declared tables, sent 25 per BatchWriteItem."""
        from shared.adapters.batch_io import BatchWriter

        keys = {self.table_name(t.name): tuple(k[0] for k in (t.partition_key, t.sort_key) if k)
                for t in STORAGE.tables}
        return BatchWriter(self.clients.client("dynamodb"), keys)

    def batch_get(self, logical_table: str, keys: list[dict[str, Any]],
                  projection: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The records among `keys` that exist, 100 keys per BatchGetItem."""
        from shared.adapters.batch_io import batch_get

        return batch_get(self.clients.client("dynamodb"), self.table_name(logical_table), keys, projection=projection)

    def transact(self, items: list[dict[str, Any]]) -> bool:
        """Write table items (from adapters' `*_item` methods) all or nothing; False if a condition failed."""
        from shared.adapters.dynamo import transact_if_conditions_hold

        return transact_if_conditions_hold(self.clients.client("dynamodb"), items)

    # --- cross-cutting services -----------------------------------------------------------------------------
    @cached_property
    def audit(self) -> AuditLog:
        from shared.adapters.audit_log import AuditLog

        return AuditLog(self.clients.client("dynamodb"), self.table_name(AuditLog.TABLE), self.clock)

    @cached_property
    def refusals(self) -> RefusalRecorder:
        """Refused, unauthenticated requests: recorded at a bounded rate per process (PIA-III-3-f)."""
        from shared.adapters.audit_refusals import RefusalRecorder

        return RefusalRecorder(self.audit, self.clock)

    @cached_property
    def audit_sealer(self) -> AuditSealer:
        from shared.adapters.audit_sealer import AuditSealer

        return AuditSealer(self.clients.client("dynamodb"), self.table_name(AuditSealer.TABLE), self.clock)

    @cached_property
    def audit_digests(self) -> AuditDigests:
        from shared.adapters.audit_digests import AuditDigests
        from shared.storage import RETENTION_CLASSES

        retention = RETENTION_CLASSES[STORAGE.bucket("audit").retention].days or 1
        return AuditDigests(self.clients.client("s3"), self.bucket_name("audit"), retention)

    @cached_property
    def jobs(self) -> JobStore:
        from shared.adapters.batch_jobs import JobStore

        return JobStore(self.clients.client("dynamodb"), self.table_name(JobStore.TABLE))

    @cached_property
    def idempotency(self) -> DynamoDBPersistenceLayer:
        from shared.adapters.idempotency import persistence_layer

        return persistence_layer(self.clients.client("dynamodb"), self.table_name("idempotency"))

    @cached_property
    def vault(self) -> MyNumberVault:
        from shared.adapters.field_crypto import MyNumberVault

        return MyNumberVault(self.clients, self.key_alias("mynumber"), self.parameter_name("mynumber-index-key"))

    @cached_property
    def identity_keys(self) -> IdentityKeySet:
        """The SSM parameter holding the identity provider's key set (CHOJU_JWKS=ssm:<name>, else the declared
        parameter of this prefix), read with a client that gives up within seconds."""
        from shared.adapters.identity_keys import IdentityKeySet

        jwks = self.settings.jwks
        name = jwks.removeprefix("ssm:") if jwks.startswith("ssm:") else self.parameter_name("idp-jwks")
        return IdentityKeySet(self.clients.client("ssm", quick=True), name)

    @cached_property
    def tokens(self) -> TokenVerifier:
        from shared.security.tokens import TokenVerifier

        s = self.settings
        source = self.identity_keys.read if s.jwks.startswith("ssm:") else s.jwks
        return TokenVerifier(source, issuer=s.token_issuer, audience=s.token_audience)


_default: Runtime | None = None


def default_runtime() -> Runtime:
    """The process-wide runtime built from the environment (Lambda and local mode)."""
    global _default
    if _default is None:
        _default = Runtime(load_settings())
    return _default
