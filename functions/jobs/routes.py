"""GET /jobs and GET /jobs/{job_id}: what operators watch while a batch runs (design rule 8)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from shared.api.auth import Principal, RuntimeDep, require
from shared.api.pages import PageDep, encode_cursor
from shared.api.routing import Router
from shared.batch import Chunk, Job, chunks_of, get_job
from shared.batch.status import chunk_view, job_view
from shared.domain.errors import NotFound
from shared.domain.roles import Permission
from shared.storage import STORAGE

__all__ = ["ROUTERS"]

router = Router(prefix="/jobs", tags=["jobs"])
Operator = Annotated[Principal, Depends(require(Permission.OPERATIONS))]
LISTING_KEY = STORAGE.table("batch-jobs").page_key("by-listing")
CHUNK_KEY = STORAGE.table("batch-jobs").page_key()


@router.get("")
def jobs(_: Operator, runtime: RuntimeDep, page: PageDep) -> dict[str, Any]:
    """Jobs of every workflow, newest first."""
    found, after = runtime.jobs.page(page.limit, page.start(LISTING_KEY, {"listing": "job"}))
    return {"jobs": [job_view(Job.from_item(item)) for item in found], "next_cursor": encode_cursor(after)}


@router.get("/{job_id}")
def job(job_id: str, _: Operator, runtime: RuntimeDep) -> dict[str, Any]:
    """A job's state, chunks done of total, rows applied and rejected, start and end; and every chunk set aside
    in the dead-letter queue, with its reason."""
    found = get_job(runtime, job_id)
    if found is None:
        raise NotFound("there is no such job")
    dead = [chunk_view(c) for c in chunks_of(runtime, job_id) if c.status == "dead"] if found.chunks_dead else []
    return {**job_view(found), "dead_lettered": dead}


@router.get("/{job_id}/chunks")
def chunks(job_id: str, _: Operator, runtime: RuntimeDep, page: PageDep) -> dict[str, Any]:
    """A job's chunks in order: status, attempts, duration, counts and errors."""
    if get_job(runtime, job_id) is None:
        raise NotFound("there is no such job")
    found, after = runtime.jobs.chunk_page(job_id, page.limit, page.start(CHUNK_KEY, {"job_id": job_id}))
    return {"job_id": job_id, "chunks": [chunk_view(Chunk.from_item(c)) for c in found],
            "next_cursor": encode_cursor(after)}


ROUTERS = (router,)
