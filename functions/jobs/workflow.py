"""The jobs function, declared (data only): the status of every workflow's batch jobs, for operators.

Jobs of all workflows are in one table (batch-jobs) that holds no personal data; this function only reads it,
so watching a job needs no role that can touch persons (PIA-III-3-d). `choju jobs` reads the same table.
"""

from __future__ import annotations

from shared.workflow import CliCommand, Needs, Workflow

__all__ = ["WORKFLOW"]

WORKFLOW = Workflow(
    name="jobs",
    summary="status of the batch jobs of every workflow: state, chunks, rows, dead-lettered chunks",
    needs=Needs(tables_read=("batch-jobs",)),
    api_prefixes=("jobs",),
    change_routes=False,
    cli=(
        CliCommand("jobs", "batch jobs: list, show JOB, resume JOB", "functions.jobs.cli:JOBS"),
    ),
)
