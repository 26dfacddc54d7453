"""The 本算定's print run: every 保険料額決定通知書兼納入通知書 of a 年度 into the documents bucket, through the batch
framework (design rules 8 and 11; docs/notices.md "Runs", docs/batch.md).

Planning reads the 年度's results of record once (keys only) and writes the run's list of persons, in 宛名番号
order, to the documents bucket (`notices/premium-decision/manifests/<job>.txt`, under the bucket's controls like
the notices themselves); each chunk spec is only a position and a count in that list, so the batch-jobs table and
the queue carry no personal data. A chunk prints its persons' notices — each the 年度's result of record and its
期割, exactly what the counter prints (`notices.decision_notice`) — as one file,
`notices/premium-decision/honsantei-<年度>/<chunk>-0000.pdf`, in the list's order.

Safe to run again (design rule 8): the job id derives from the 年度 and the list, so starting the run again with
the same results is the same job (resumed, not restarted); a chunk run again after a crash draws the same bytes
to the same key (the renderer is deterministic and each notice is dated and numbered from its record), and a
chunk already done is never run again. A person with a result but no 期割 yet gets no notice and is counted
`skipped`.

The notice itself is the one the law requires: 高齢者の医療の確保に関する法律第104条 (保険料の賦課) with the 納入の
通知 of 地方自治法第231条 (歳入の調定と納入の通知), which the 決定通知書兼納入通知書 serves.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator
from typing import Any

from functions.assessment.services.notices import decision_notice_of
from functions.assessment.services.schedules import load_schedules
from shared.adapters.audit_log import AuditEvent
from shared.adapters.levies import LevyStore
from shared.adapters.persons import PersonRepository
from shared.batch import Chunk, Job, Plan, get_job, resume, start
from shared.batch.local import run_job_here
from shared.notices.premium_notice import PREMIUM_DECISION
from shared.notices.printing import CHUNK, Notice, print_run, run_files, run_prefix
from shared.runtime import Runtime

__all__ = ["DECISION_NOTICES", "PERSONS_PER_CHUNK", "manifest_key", "plan_decision_notices", "run_decision_notices",
           "run_name"]

KIND, QUEUE = "decision-notices", "decision-notice-chunks"
PERSONS_PER_CHUNK = CHUNK  # one file per chunk: 500 notices, a few MB of PDF and well under a minute to draw
PURPOSE = "保険料額決定通知書兼納入通知書の送付（本算定）"


def run_name(fiscal_year: int) -> str:
    return f"honsantei-{fiscal_year}"


def manifest_key(job_id: str) -> str:
    return f"{run_prefix(PREMIUM_DECISION.kind)}manifests/{job_id}.txt"


def plan_decision_notices(rt: Runtime, fiscal_year: int, started_by: str = "system") -> Plan:
    """The run's persons (those with a result of record of the 年度), written once; chunks of PERSONS_PER_CHUNK."""
    persons = sorted(set(rt.repository(LevyStore).persons_of_year(fiscal_year)))
    body = "".join(f"{p}\n" for p in persons).encode("ascii")
    digest = hashlib.sha256(f"{fiscal_year}\n".encode() + body).hexdigest()[:16]
    job_id = f"{KIND}-{fiscal_year}-{digest}"
    key = manifest_key(job_id)
    if rt.objects("documents").find(key) is None:
        rt.objects("documents").put(key, body, "text/plain",
                                    {"run": run_name(fiscal_year), "persons": str(len(persons))})
    size = PERSONS_PER_CHUNK
    specs = [{"first": first, "count": min(size, len(persons) - first)}
             for first in range(0, len(persons), size)]
    return Plan(job_id, KIND, QUEUE, [specs], params={"fiscal_year": fiscal_year, "manifest": key},
                rows=len(persons), started_by=started_by)


class DecisionNotices:
    """The chunks of the 本算定's print run of 決定通知書."""

    name, queue = KIND, QUEUE

    def apply(self, rt: Runtime, job: Job, chunk: Chunk) -> dict[str, int]:
        year = int(job.params["fiscal_year"])
        listed = rt.objects("documents").get(job.params["manifest"]).decode("ascii").split()
        first, count = int(chunk.spec["first"]), int(chunk.spec["count"])
        ids = listed[first:first + count]
        # Batched reads (design rule 8): the persons and their 期割 with BatchGetItem (100 keys a request); each
        # person's results of the 年度 with one query (the sort key holds the 更正回数, unknown beforehand).
        people = rt.repository(PersonRepository).get_many(ids)
        schedules = load_schedules(rt, people, year)
        levies = rt.repository(LevyStore)
        printed = [0]

        def notices() -> Iterator[Notice]:
            for person_id in ids:
                if person_id not in people or person_id not in schedules:
                    continue  # no 期割 yet: no notice (skipped)
                found = decision_notice_of(rt, people[person_id], year, levies.of_year(person_id, year),
                                           schedules[person_id])
                if found is not None:
                    printed[0] += 1
                    yield found[0]

        files = print_run(rt, PREMIUM_DECISION.kind, run_name(year), notices(), PURPOSE, chunk=max(1, count),
                          file_prefix=f"{chunk.number:04d}-")
        return {"applied": len(ids), "printed": printed[0], "skipped": len(ids) - printed[0], "files": len(files)}

    def finish(self, rt: Runtime, job: Job, succeeded: bool) -> dict[str, Any]:
        year = int(job.params["fiscal_year"])
        summary = {"fiscal_year": year, "persons": job.rows, "printed": job.counts.get("printed", 0),
                   "skipped": job.counts.get("skipped", 0), "files": job.counts.get("files", 0)}
        rt.audit.append(AuditEvent("system", f"batch.{KIND}", "success" if succeeded else "failure",
                                   target=run_name(year), purpose=PURPOSE,
                                   detail={k: str(v) for k, v in summary.items()} | {"job": job.job_id}))
        return summary


DECISION_NOTICES = DecisionNotices()


def expected_files(persons: int) -> int:
    """How many files a run over `persons` writes when each has a notice: one per chunk."""
    return math.ceil(persons / PERSONS_PER_CHUNK)


def run_decision_notices(rt: Runtime, fiscal_year: int, started_by: str = "system",
                         progress: Callable[[Job], None] | None = None) -> dict[str, Any]:
    """Plan the run and run its chunks in this process (local mode, the CLI, tests). Starting it again with the
    same results resumes the same job: chunks done stay done, the others are sent again."""
    plan = plan_decision_notices(rt, fiscal_year, started_by)
    existing = get_job(rt, plan.job_id)
    if existing is not None and not existing.finished:
        resume(rt, existing.job_id)
    job = start(rt, DECISION_NOTICES, plan) if existing is None else existing
    if not job.finished:
        job = run_job_here(rt, DECISION_NOTICES, job.job_id, progress)
    return {**job.summary, "files": run_files(rt, PREMIUM_DECISION.kind, run_name(fiscal_year)),
            "job_id": job.job_id, "state": job.state.value}
