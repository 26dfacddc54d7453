"""The assessment workflow, declared (data only): 所得 intake, 賦課 results, premium 試算 and 期割 (issue 13)."""

from __future__ import annotations

from shared.workflow import CliCommand, Needs, Workflow

__all__ = ["WORKFLOW"]

WORKFLOW = Workflow(
    name="assessment",
    summary="所得 intake, 賦課 results, premium 試算 and 期割 (issue 13)",
    needs=Needs(tables_read=("persons",)),
    api_prefixes=("assessment",),
    cli=(
        CliCommand("premium", "試算: each insured member's premium for a household file (JSON)",
                   "functions.assessment.cli:PREMIUM"),
    ),
)
