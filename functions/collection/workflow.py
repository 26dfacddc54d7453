"""The collection workflow, declared (data only): 特別徴収, 口座振替, 収納 and 消込, 督促, 延滞金, 還付 (issue 14)."""

from __future__ import annotations

from shared.workflow import CliCommand, Needs, Workflow

__all__ = ["WORKFLOW"]

WORKFLOW = Workflow(
    name="collection",
    summary="特別徴収, 口座振替, 収納 and 消込, 督促, 延滞金, 還付 (issue 14)",
    needs=Needs(tables_read=("persons",)),
    api_prefixes=("collection",),
    cli=(
        CliCommand("late-fee", "延滞金 of one 期: --principal YEN --due DATE --paid DATE [--payment DATE:AMOUNT …]",
                   "functions.collection.cli:LATE_FEE"),
    ),
)
