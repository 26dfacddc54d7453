"""The one list of workflows, read by local mode, the CLI and the Pulumi program.

Only each workflow's `workflow.py` (data) is imported here; its routes, batch handlers and commands are
imported when something asks for them, so the Pulumi program never loads FastAPI and the CLI loads only
the command it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

from functions.assessment.workflow import WORKFLOW as ASSESSMENT
from functions.collection.workflow import WORKFLOW as COLLECTION
from functions.deletion.workflow import WORKFLOW as DELETION
from functions.intake.workflow import WORKFLOW as INTAKE
from functions.jobs.workflow import WORKFLOW as JOBS
from functions.platform.workflow import WORKFLOW as PLATFORM
from functions.transfer.workflow import WORKFLOW as TRANSFER
from shared.workflow import BatchJob, CliCommand, Command, Workflow

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

    from shared.runtime import Runtime

__all__ = ["WORKFLOWS", "batch_handler", "build_all", "cli_command", "cli_commands", "notice_preview", "routers_of",
           "workflow"]

WORKFLOWS: tuple[Workflow, ...] = (PLATFORM, INTAKE, ASSESSMENT, COLLECTION, TRANSFER, DELETION, JOBS)


def workflow(name: str) -> Workflow:
    for candidate in WORKFLOWS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no workflow {name!r}; workflows: {', '.join(w.name for w in WORKFLOWS)}")


def _load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(import_module(module), attribute)


def routers_of(item: Workflow) -> Sequence[APIRouter]:
    return _load(f"{item.package}.routes:ROUTERS")  # type: ignore[no-any-return]


def build_all(runtime: Runtime | None = None) -> FastAPI:
    """Every workflow's routes in one app: local mode's single server, and the tests that sweep every route."""
    from shared.api.app_factory import create_app

    return create_app([(item, routers_of(item)) for item in WORKFLOWS], runtime)


def batch_jobs() -> tuple[BatchJob, ...]:
    return tuple(job for item in WORKFLOWS for job in item.batches)


def batch_handler(job_name: str) -> Callable[..., dict[str, Any]]:
    """The entry point of a declared batch job (local mode runs it in-process; Lambda gets it from Pulumi)."""
    for job in batch_jobs():
        if job.name == job_name:
            return _load(job.handler)  # type: ignore[no-any-return]
    raise KeyError(f"no batch job {job_name!r}")


def cli_commands() -> tuple[CliCommand, ...]:
    return tuple(command for item in WORKFLOWS for command in item.cli)


def cli_command(declared: CliCommand) -> Command:
    return _load(declared.target)  # type: ignore[no-any-return]


def notice_preview(kind: str) -> Callable[..., Any] | None:
    """The preview of a printed notice from the workflow that holds its data, or None if no workflow does yet."""
    for item in WORKFLOWS:
        for source in item.notices:
            if source.kind == kind:
                return _load(source.preview)  # type: ignore[no-any-return]
    return None
