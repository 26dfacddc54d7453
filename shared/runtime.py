"""The runtime a request or a batch works with: settings, clients, clock, and the repositories.

Everything is lazy: building a Runtime costs nothing, and each repository (and the AWS client behind it)
is created on first use, so a Lambda cold start pays only for what the request touches.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING

from shared.adapters.aws import AwsClients
from shared.config import Settings, load_settings
from shared.storage import STORAGE

if TYPE_CHECKING:
    from shared.adapters.audit_log import AuditLog
    from shared.adapters.change_requests import ChangeRequestStore
    from shared.adapters.persons import PersonRepository
    from shared.adapters.records import RecordTable
    from shared.adapters.transfer_queue import TransferQueue
    from shared.adapters.subject_requests import SubjectRequestStore
    from shared.adapters.field_crypto import MyNumberVault
    from shared.adapters.sessions import SessionStore
    from shared.adapters.staff_registry import StaffRegistry
    from shared.security.tokens import TokenVerifier

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Runtime:
    def __init__(
        self,
        settings: Settings,
        clients: AwsClients | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.settings = settings
        self.clients = clients or AwsClients(settings.region, settings.endpoint_url)
        self.clock = clock

    def table_name(self, logical: str) -> str:
        return STORAGE.table(logical).physical_name(self.settings.name_prefix)

    def bucket_name(self, logical: str) -> str:
        return STORAGE.bucket(logical).physical_name(self.settings.name_prefix)

    def key_alias(self, logical: str) -> str:
        return STORAGE.key(logical).alias(self.settings.name_prefix)

    @cached_property
    def staff(self) -> StaffRegistry:
        from shared.adapters.staff_registry import StaffRegistry

        return StaffRegistry(self.clients.client("dynamodb"), self.table_name("staff"))

    @cached_property
    def sessions(self) -> SessionStore:
        from shared.adapters.sessions import SessionStore

        return SessionStore(self.clients.client("dynamodb"), self.table_name("sessions"))

    @cached_property
    def audit(self) -> AuditLog:
        from shared.adapters.audit_log import AuditLog

        return AuditLog(self.clients.client("dynamodb"), self.table_name("audit-log"), self.clock)

    @cached_property
    def persons(self) -> PersonRepository:
        from shared.adapters.persons import PersonRepository

        return PersonRepository(self.clients.client("dynamodb"), self.table_name("persons"))

    @cached_property
    def change_requests(self) -> ChangeRequestStore:
        from shared.adapters.change_requests import ChangeRequestStore

        return ChangeRequestStore(self.clients.client("dynamodb"), self.table_name("change-requests"))

    @cached_property
    def idempotency(self):  # type: ignore[no-untyped-def]
        from shared.adapters.idempotency import persistence_layer

        return persistence_layer(self.clients.client("dynamodb"), self.table_name("idempotency"))

    @cached_property
    def transfer_queue(self) -> TransferQueue:
        from shared.adapters.transfer_queue import TransferQueue

        return TransferQueue(self.clients.client("dynamodb"), self.table_name("transfer-queue"))

    def records(self, logical_table: str, id_field: str) -> RecordTable:
        """A plain versioned table from the storage declaration (notifications, certificates, …)."""
        from shared.adapters.records import RecordTable

        return RecordTable(self.clients.client("dynamodb"), self.table_name(logical_table), id_field)

    @cached_property
    def subject_requests(self) -> SubjectRequestStore:
        from shared.adapters.subject_requests import SubjectRequestStore

        return SubjectRequestStore(self.clients.client("dynamodb"), self.table_name("subject-requests"))

    @cached_property
    def vault(self) -> MyNumberVault:
        from shared.adapters.field_crypto import MyNumberVault

        parameter = STORAGE.parameter("mynumber-index-key").physical_name(self.settings.name_prefix)
        return MyNumberVault(self.clients, self.key_alias("mynumber"), parameter)

    @cached_property
    def tokens(self) -> TokenVerifier:
        from shared.security.tokens import TokenVerifier

        s = self.settings
        return TokenVerifier(s.jwks, issuer=s.token_issuer, audience=s.token_audience)


_default: Runtime | None = None


def default_runtime() -> Runtime:
    """The process-wide runtime built from the environment (Lambda and local mode)."""
    global _default
    if _default is None:
        _default = Runtime(load_settings())
    return _default
