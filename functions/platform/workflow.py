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

from shared.workflow import BatchJob, CliCommand, Needs, Schedule, Workflow

__all__ = ["SEALER", "WORKFLOW"]

SEALER = BatchJob(
    "audit-sealer", "functions.platform.batch:seal_audit_log", Schedule("rate(1 minute)", "every minute"),
    "links new audit events into the hash chain and anchors a digest under Object Lock",
    needs=Needs(audit="seal", sign_in=False), concurrency=1)

WORKFLOW = Workflow(
    name="platform",
    summary="staff sign-in state, audit-log reading and self-inspection, staff administration; the audit sealer",
    needs=Needs(tables_read=("audit-log",), tables_write=("staff",)),
    api_prefixes=("platform", "auth", "audit", "staff"),
    batches=(SEALER,),
    change_routes=False,
    cli=(
        CliCommand("audit-log", "audit-log tools: seal new events, verify the chain, the self-inspection report",
                   "functions.platform.cli:AUDIT_LOG"),
    ),
)
