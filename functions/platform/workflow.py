"""The platform function, declared (data only): /auth, /audit and /staff with a role of their own.

Staff administration and the audit log are not a workflow of the 事務; they sit apart so that no workflow's
role can write the staff registry (PIA-III-3-c, III-3-d).
"""

from __future__ import annotations

from shared.workflow import CliCommand, Needs, Workflow

__all__ = ["WORKFLOW"]

WORKFLOW = Workflow(
    name="platform",
    summary="staff sign-in state, audit-log reading and self-inspection, staff administration",
    needs=Needs(tables_write=("staff",)),
    api_prefixes=("platform", "auth", "audit", "staff"),
    change_routes=False,
    cli=(
        CliCommand("audit-log", "audit-log tools: verify the chain, the self-inspection report",
                   "functions.platform.cli:AUDIT_LOG"),
        CliCommand("jwks", "the identity provider's public keys inside the account: sync, show",
                   "functions.platform.jwks_cli:JWKS"),
    ),
)
