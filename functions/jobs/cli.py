"""`choju jobs list|show JOB|resume JOB`: batch jobs from the operator's terminal."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["JOBS"]


def _configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="jobs, newest first")
    listing.add_argument("--limit", type=int, default=20)
    show = actions.add_parser("show", help="one job: state, chunks, rows, dead-lettered chunks")
    show.add_argument("job_id")
    show.add_argument("--json", action="store_true", help="the job as GET /jobs/{id} gives it")
    resume = actions.add_parser("resume", help="send again every chunk not done (after a crash or a fix)")
    resume.add_argument("job_id")


def _line(view: dict) -> str:
    chunks, rows = view["chunks"], view["rows"]
    return (f"{view['job_id']}  {view['state']:<9} chunks {chunks['done']}/{chunks['total']}"
            f"{'  dead-lettered ' + str(chunks['dead_lettered']) if chunks['dead_lettered'] else ''}"
            f"  rows applied {rows['applied']} rejected {rows['rejected']}  started {view['started_at']}"
            f"  finished {view['finished_at'] or '-'}")


def _run(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from shared.batch import Job, chunks_of, get_job, resume
    from shared.batch.status import chunk_view, job_view

    rt = runtime()
    if args.action == "list":
        items, _ = rt.jobs.page(max(1, min(args.limit, 500)), None)
        for item in items:
            print(_line(job_view(Job.from_item(item))))
        return 0
    job = get_job(rt, args.job_id)
    if job is None:
        print(f"there is no job {args.job_id}", file=sys.stderr)
        return 1
    if args.action == "resume":
        sent = resume(rt, job.job_id)
        print(f"sent {len(sent)} chunks again: {', '.join(map(str, sent)) or 'none (the job was asked to move on)'}")
        return 0
    view = job_view(job)
    dead = [chunk_view(c) for c in chunks_of(rt, job.job_id) if c.status == "dead"]
    if args.json:
        print(json.dumps({**view, "dead_lettered": dead}, ensure_ascii=False, indent=2))
        return 0
    print(_line(view))
    for name, value in view["counts"].items():
        print(f"  {name}: {value}")
    if view["reason"]:
        print(f"  reason: {view['reason']}")
    for chunk in dead:
        print(f"  chunk {chunk['number']} set aside after {chunk['attempts']} attempts: {chunk['reason']}")
    return 0 if job.state.value != "failed" else 1


JOBS = Command(_configure, _run)
