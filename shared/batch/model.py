"""What a batch job is, as the framework sees it: a plan of chunks in stages, a job's state, and the two
things a workflow supplies for each kind of job (design rule 8)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from shared.runtime import Runtime

__all__ = ["FINAL_STATES", "Chunk", "Job", "JobKind", "JobState", "Plan"]


class JobState(str, Enum):
    PLANNING = "planning"  # chunks being written; nothing sent yet
    RUNNING = "running"
    FINISHING = "finishing"  # every chunk finished; the job's closing step (audit, summary) is running
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # a chunk was set aside in the dead-letter queue: `reason` says which and why
    REFUSED = "refused"  # refused while planning (e.g. a file with rejects from a strict counterparty)


FINAL_STATES = frozenset({JobState.SUCCEEDED, JobState.FAILED, JobState.REFUSED})


@dataclass(frozen=True)
class Plan:
    """A job split into chunks. Stage n+1's chunks are sent only after every chunk of stage n is done (rows that
    must follow other rows); the chunks of one stage run in any order, at the same time."""

    job_id: str
    kind: str  # the BatchJob name declared in the workflow
    queue: str  # its declared queue
    stages: Sequence[Sequence[Mapping[str, Any]]]  # chunk specs (JSON-able, no personal data) per stage
    params: Mapping[str, Any] = field(default_factory=dict)
    rows: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)  # counted while planning, e.g. rejected rows
    started_by: str = "system"

    def chunk_items(self) -> list[dict[str, Any]]:
        numbered, number = [], 0
        for stage, specs in enumerate(self.stages, start=1):
            for spec in specs:
                number += 1
                numbered.append({"number": number, "stage": stage, "spec": dict(spec)})
        return numbered


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) and value else {}


@dataclass(frozen=True)
class Job:
    job_id: str
    kind: str
    queue: str
    state: JobState
    stage: int
    stages: int
    stage_chunks: int
    stage_finished: int
    chunks_total: int
    chunks_done: int
    chunks_dead: int
    rows: int
    counts: dict[str, int]
    params: dict[str, Any]
    summary: dict[str, Any]
    reason: str | None
    started_at: str
    finished_at: str | None
    started_by: str

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Job:
        return cls(job_id=item["job_id"], kind=item["kind"], queue=item["queue"], state=JobState(item["state"]),
                   stage=int(item.get("stage", 0)), stages=int(item.get("stages", 0)),
                   stage_chunks=int(item.get("stage_chunks", 0)), stage_finished=int(item.get("stage_finished", 0)),
                   chunks_total=int(item.get("chunks_total", 0)), chunks_done=int(item.get("chunks_done", 0)),
                   chunks_dead=int(item.get("chunks_dead", 0)), rows=int(item.get("rows", 0)),
                   counts={k[2:]: int(v) for k, v in item.items() if k.startswith("n_")},
                   params=_json(item.get("params")), summary=_json(item.get("summary")), reason=item.get("reason"),
                   started_at=item["started_at"], finished_at=item.get("finished_at"),
                   started_by=item.get("started_by", "system"))


@dataclass(frozen=True)
class Chunk:
    job_id: str
    number: int
    stage: int
    status: str  # pending | running | done | dead
    attempts: int
    spec: dict[str, Any]
    counts: dict[str, int]
    millis: int | None
    started_at: str | None
    finished_at: str | None
    reason: str | None
    last_error: str | None

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Chunk:
        return cls(job_id=item["job_id"], number=int(item["number"]), stage=int(item["stage"]), status=item["status"],
                   attempts=int(item.get("attempts", 0)), spec=_json(item.get("spec")),
                   counts={k: int(v) for k, v in _json(item.get("counts")).items()},
                   millis=int(item["millis"]) if item.get("millis") is not None else None,
                   started_at=item.get("started_at"), finished_at=item.get("finished_at"), reason=item.get("reason"),
                   last_error=item.get("last_error"))


class JobKind(Protocol):
    """What a workflow supplies for one kind of chunked job.

    `apply` does one chunk and returns its counts (rows applied, events raised …); it must be safe to run again
    after a crash at any point (derived ids, records that remember what was applied). `finish` runs once when
    every chunk has finished (or one was set aside) and returns the job's summary."""

    name: str
    queue: str

    def apply(self, rt: Runtime, job: Job, chunk: Chunk) -> Mapping[str, int]: ...

    def finish(self, rt: Runtime, job: Job, succeeded: bool) -> Mapping[str, Any]: ...
