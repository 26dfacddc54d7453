"""The platform function, declared (data only): /auth, /audit and /staff with a role of their own, and the audit
sealer.

Staff administration and the audit log are not a workflow of the 事務; they sit apart so that no workflow's
role can write the staff registry (PIA-III-3-c, III-3-d). The sealer links written audit events into the hash
chain and anchors digests (PIA-III-2-c, III-8). It runs every minute on a schedule rather than on the table's
stream: a schedule is the same in production, in local mode (`choju audit-log seal`) and in tests, one run seals
whatever arrived since the last one in batches of 100, and reserved concurrency 1 keeps it alone — a stream would
call it per shard of the stream, in parallel, all contending for the one head it moves. Each
run makes four passes 15 s apart, so an event is sealed about 15–20 s after it was written (docs/audit-log.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.domain.person import InvalidChange
from shared.domain.roles import UnknownRole, parse_roles
from shared.protection.entities import EntityKind
from shared.workflow import BatchJob, CliCommand, Needs, Schedule, Workflow

if TYPE_CHECKING:
    from shared.runtime import Runtime

__all__ = ["SEALER", "STAFF", "WORKFLOW"]
STAFF_FIELDS = frozenset({"name", "department", "active", "roles", "shared_account"})


def _staff_check(values: dict[str, Any]) -> None:
    unknown = set(values) - STAFF_FIELDS
    if unknown:
        raise InvalidChange(f"a staff change sets only {', '.join(sorted(STAFF_FIELDS))}")
    if values.get("shared_account"):
        raise InvalidChange("shared or generic accounts cannot be registered (PIA-III-3-c)")
    try:
        if "roles" in values and not parse_roles(values["roles"]):
            raise InvalidChange("a staff member holds at least one role")
    except UnknownRole as unknown_role:
        raise InvalidChange(str(unknown_role)) from None


def _staff_guard(runtime: Runtime, current: dict[str, Any] | None, record: dict[str, Any] | None) -> None:
    from functions.platform.services.staff_admin import guard_staff_change

    guard_staff_change(runtime, current, record)


# Granting roles, re-enabling and disabling auditors or operators are maker-checker changes of this kind.
STAFF = EntityKind(name="staff", table="staff", validate=_staff_check, id_prefix="S", given_id=True,
                   guard=_staff_guard)

SEALER = BatchJob(
    "audit-sealer", "functions.platform.batch:seal_audit_log", Schedule("rate(1 minute)", "every minute"),
    "links new audit events into the hash chain and anchors a digest under Object Lock",
    needs=Needs(audit="seal", sign_in=False), concurrency=1)

WORKFLOW = Workflow(
    name="platform",
    summary="staff sign-in state, audit-log reading and self-inspection, staff administration; the audit sealer",
    needs=Needs(tables_read=("audit-log", "transfer-ledger"), tables_write=("staff",)),
    api_prefixes=("platform", "auth", "audit", "staff"),
    batches=(SEALER,),
    entity_kinds=(STAFF,),
    # Staff changes are proposed and confirmed by two different staff administrators, not by data checkers.
    change_permissions=("staff:admin", "staff:admin"),
    cli=(
        CliCommand("audit-log", "audit-log tools: seal new events, verify the chain, the self-inspection report",
                   "functions.platform.cli:AUDIT_LOG"),
        CliCommand("jwks", "the identity provider's public keys inside the account: sync, show",
                   "functions.platform.jwks_cli:JWKS"),
    ),
)
