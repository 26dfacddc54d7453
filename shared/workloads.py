"""What each workflow's function may touch: the source of its IAM role (least privilege, PIA-III-3-d).

The Pulumi program turns these needs into the role's policy, so a function can do no more than its
workflow declares here; only the workflows that handle My Numbers may use the My Number key.
"""

from __future__ import annotations

from dataclasses import dataclass

WORKFLOWS = ("intake", "assessment", "collection", "transfer", "deletion")

# Tables every API function needs: staff sign-in, sessions, the audit log, maker-checker, retried requests.
COMMON_TABLES_READ = ("staff",)
COMMON_TABLES_WRITE = ("sessions", "audit-log", "change-requests", "idempotency")


@dataclass(frozen=True)
class Needs:
    tables_read: tuple[str, ...] = ()
    tables_write: tuple[str, ...] = ()
    buckets_read: tuple[str, ...] = ()  # "bucket" or "bucket/prefix"
    buckets_write: tuple[str, ...] = ()
    keys: tuple[str, ...] = ("data",)
    parameters: tuple[str, ...] = ()
    # Paths outside /<workflow>/ that API Gateway routes to this function.
    extra_routes: tuple[str, ...] = ()

    @property
    def all_tables_read(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*COMMON_TABLES_READ, *self.tables_read)))

    @property
    def all_tables_write(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*COMMON_TABLES_WRITE, *self.tables_write)))


NEEDS: dict[str, Needs] = {
    "intake": Needs(
        tables_write=("staff", "persons", "subject-requests", "transfer-queue", "notifications", "certificates",
                      "ryoyohi-applications", "inbound-files"),
        buckets_read=("exchange/inbound/",),
        buckets_write=("documents/ryoyohi/", "documents/disclosures/", "exchange/reports/"),
        keys=("data", "mynumber"),
        parameters=("mynumber-index-key",),
        extra_routes=("auth", "audit", "staff"),
    ),
    "assessment": Needs(tables_read=("persons",)),
    "collection": Needs(tables_read=("persons",)),
    "transfer": Needs(tables_read=("persons",), tables_write=("transfer-queue",),
                      buckets_write=("exchange/outbound/",), keys=("data", "mynumber"),
                      parameters=("mynumber-index-key",)),
    "deletion": Needs(tables_write=("persons",), buckets_write=("documents/",)),
}
