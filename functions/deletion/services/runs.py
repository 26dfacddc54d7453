"""Deletion runs (PIA-III-7-e): a data steward proposes a run for a day, a different checker approves it through the
one maker-checker mechanism (design rule 6), and the approved run erases its plan chunk by chunk, resumably, then
stores its 廃棄証明書 under Object Lock.

The run is a job of the batch framework (docs/batch.md): `plan_sweep` makes one batch chunk per ledger chunk of
100 targets, `Sweep.apply` (through `apply_chunk`) erases one, and `Sweep.finish` (`finish_run`) stores the
certificate when the last is done; each is safe to run again after a crash at any point. The job's id is derived
from the run, so a run is swept by one job however often it is started.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

from functions.deletion.rules.certificate import NIST_CATEGORY, Certificate, backups_clear_on
from functions.deletion.rules.retention import RetentionRule, configured_rules, rule
from functions.deletion.services.erase import erase_target, prefetch
from functions.deletion.services.plan import Target, active_holds, plan_deletion
from functions.deletion.workflow import DELETION_RUN, WORKFLOW
from shared.adapters.audit_log import AuditEvent
from shared.adapters.erasure_ledger import ErasureLedger
from shared.batch import Chunk, Job, JobState, Plan, get_job, resume, start
from shared.batch.local import run_job_here
from shared.batch.status import job_view
from shared.domain.changes import Operation, Status
from shared.domain.errors import Conflict, NotFound
from shared.domain.ids import new_id
from shared.observability import get_logger
from shared.protection.changes import ChangeService
from shared.runtime import Runtime
from shared.storage import BACKUP_RETENTION_DAYS, PITR_RECOVERY_DAYS

__all__ = ["CHUNK_SIZE", "SWEEP", "Sweep", "apply_chunk", "continue_run", "current_rules", "finish_run", "hashed_id",
           "plan_sweep", "propose_run", "run_status", "start_sweep", "sweep_job_id"]

CHUNK_SIZE = 100


def current_rules() -> tuple[RetentionRule, ...]:
    return configured_rules(os.environ)


def hashed_id(rt: Runtime, target: Target) -> str:
    """What the certificate and the ledger keep of a target: a keyed digest (a plain hash of a sequential id
    would be reversed by trying every id)."""
    return rt.vault.keyed_digest("deletion-target", f"{target.rule}|{target.store}|{target.ref}".encode())[:32]


def propose_run(rt: Runtime, as_of: date, maker: str, reason: str, request_id: str) -> dict[str, Any]:
    """Plan the run, write its chunks, and propose it for approval (it does nothing until a checker confirms)."""
    rules = current_rules()
    plan = plan_deletion(rt, as_of, rules)
    run_id = new_id("DR")
    ledger = rt.repository(ErasureLedger)
    targets = [asdict(t) for t in plan.targets]
    for number, first in enumerate(range(0, len(targets), CHUNK_SIZE), start=1):
        ledger.add_chunk(run_id, number, targets[first:first + CHUNK_SIZE])
    values = {"as_of": as_of.isoformat(), "plan_digest": plan.digest(), "targets": len(targets),
              "counts": json.dumps(plan.counts(), sort_keys=True), "proposed_by": maker, "status": "approved"}
    change = ChangeService(rt, WORKFLOW).propose(maker=maker, operation=Operation.CREATE, person_id=run_id,
                                                 values=values, reason=reason, request_id=request_id,
                                                 kind=DELETION_RUN)
    return {"run_id": run_id, "change_request": change.request_id, **plan.summary(rules)}


def _run(rt: Runtime, run_id: str) -> dict[str, Any]:
    run = rt.records("deletion-runs").get(run_id)
    if run is None:
        raise NotFound("there is no such approved deletion run")
    return run


SWEEP_KIND, SWEEP_QUEUE = "deletion-sweep", "deletion-sweep-chunks"


def sweep_job_id(run_id: str) -> str:
    """The run's sweep job: derived from the run, so a run is swept by one job however often it is started."""
    return f"{SWEEP_KIND}-{run_id}"


def plan_sweep(rt: Runtime, run_id: str, started_by: str = "system") -> Plan:
    """One batch chunk per ledger chunk of the approved run (its spec names the run and the chunk: no ids of
    persons); the targets stay in the ledger, written when the run was proposed."""
    run = _run(rt, run_id)
    numbers = [number for number, _status in rt.repository(ErasureLedger).chunk_numbers(run_id)]
    return Plan(sweep_job_id(run_id), SWEEP_KIND, SWEEP_QUEUE, [[{"number": n} for n in numbers]],
                params={"run_id": run_id}, rows=int(run.get("targets", 0)), started_by=started_by)


def apply_chunk(rt: Runtime, run_id: str, chunk: dict[str, Any], held: set[str] | None = None) -> dict[str, int]:
    """Erase the chunk's targets not erased before. Returns the chunk's counts, the same on a re-run after a crash
    at any point: `applied` counts the targets erased (now or by an attempt before), `held` those a legal hold
    placed after the proposal keeps (they are not erased and not on the certificate)."""
    ledger = rt.repository(ErasureLedger)
    targets = [Target(**spec) for spec in chunk["targets"]]
    hashed = {t: hashed_id(rt, t) for t in targets}
    done = ledger.erased_among(run_id, list(hashed.values()))
    held = active_holds(rt) if held is None else held
    applied = kept = 0
    persons = [t.ref for t in targets if t.kind == "person" and hashed[t] not in done and t.person_id not in held]
    prefetched = prefetch(rt, persons)
    for target in targets:
        if hashed[target] in done:
            applied += 1
            continue  # finished before a crash: not erased twice
        if target.person_id and target.person_id in held:
            kept += 1
            continue
        the_rule = rule(target.rule, current_rules())
        result = erase_target(rt, target, the_rule, rt.clock(), prefetched)
        ledger.record_erased(run_id, hashed[target], {"rule": target.rule, "kind": target.kind,
                                                      "at": rt.clock().isoformat(), **result.as_dict()})
        applied += 1
    ledger.chunk_done(run_id, chunk["number"])
    return {"applied": applied, "held": kept}


class Sweep:
    """The chunks of an approved deletion run on the batch framework (docs/batch.md): `apply` erases one ledger
    chunk, `finish` stores the 廃棄証明書 once every chunk is done."""

    name, queue = SWEEP_KIND, SWEEP_QUEUE

    def apply(self, rt: Runtime, job: Job, chunk: Chunk) -> dict[str, int]:
        run_id = job.params["run_id"]
        run = _run(rt, run_id)  # only an approved run exists; a completed one has no chunks left
        if run.get("status") not in ("running", "completed"):
            rt.records("deletion-runs").put({**run, "status": "running", "started_at": rt.clock().isoformat()})
        stored = rt.repository(ErasureLedger).chunk(run_id, int(chunk.spec["number"]))
        if stored is None:
            return {"applied": 0, "held": 0}  # the run finished before (its chunks are removed then)
        counts = apply_chunk(rt, run_id, stored)
        get_logger().info("deletion chunk done", extra={"run_id": run_id, "chunk": stored["number"], **counts})
        return counts

    def finish(self, rt: Runtime, job: Job, succeeded: bool) -> dict[str, Any]:
        run_id = job.params["run_id"]
        if not succeeded:
            rt.audit.append(AuditEvent("system", "deletion.run.chunks", "failure", target=run_id,
                                       detail={"job": job.job_id, "reason": str(job.reason or "")}))
            return {"run_id": run_id, "certificate": None, "reason": "a chunk was set aside: resume the job"}
        record = finish_run(rt, run_id, held=job.counts.get("held", 0))
        return {"run_id": run_id, "erased": record.get("erased", 0), "held": record.get("held", 0),
                "certificate_sha256": record.get("certificate_sha256")}


SWEEP = Sweep()


def start_sweep(rt: Runtime, run_id: str, started_by: str = "system", *, resume_running: bool = False) -> Job | None:
    """Start the sweep job of an approved run, or carry an existing one on: a failed job (a chunk set aside) has
    its unfinished chunks sent again, and so has a running one when `resume_running` (the operator says no worker
    is still at it: after a crash). None when the run is completed."""
    run = _run(rt, run_id)
    if run.get("status") == "completed":
        return None
    existing = get_job(rt, sweep_job_id(run_id))
    if existing is None:
        return start(rt, SWEEP, plan_sweep(rt, run_id, started_by))
    if existing.state is JobState.FAILED or (resume_running and not existing.finished):
        resume(rt, existing.job_id)
    return get_job(rt, existing.job_id)


def continue_run(rt: Runtime, run_id: str, progress: Callable[[Job], None] | None = None) -> dict[str, Any]:
    """Carry an approved run on from where it stopped, in this process, through the same worker Lambda runs
    (`choju deletion run`, local mode, tests); finished when its certificate is stored."""
    job = start_sweep(rt, run_id, resume_running=True)
    if job is not None and not job.finished:
        run_job_here(rt, SWEEP, job.job_id, progress)
    return run_status(rt, run_id)


def _approval(rt: Runtime, run_id: str) -> tuple[str, str]:
    for request in rt.records("change-requests").query("by-entity", "entity_id", run_id):
        if request.get("status") == Status.CONFIRMED.value:
            return request["decided_by"], request["request_id"]
    raise Conflict(f"{run_id} has no confirmed approval", code="deletion-run-not-approved")


def finish_run(rt: Runtime, run_id: str, held: int = 0) -> dict[str, Any]:
    """Build and store the certificate (once), then remove the chunks and their record ids."""
    run = _run(rt, run_id)
    if run.get("certificate_key"):
        return run
    ledger, now = rt.repository(ErasureLedger), rt.clock()
    entries = ledger.erased(run_id)
    rules = {r.name: r for r in current_rules()}
    counts = Counter(e["rule"] for e in entries)
    stores: Counter[str] = Counter()
    for entry in entries:
        stores.update(entry["stores"])
    approver, approval = _approval(rt, run_id)
    clear_on = backups_clear_on(now.date(), PITR_RECOVERY_DAYS, BACKUP_RETENTION_DAYS)
    certificate = Certificate(
        run_id=run_id, as_of=run["as_of"], proposed_by=run["proposed_by"], approved_by=approver,
        approval_request=approval, started_at=run.get("started_at", now.isoformat()), finished_at=now.isoformat(),
        classes=[{"rule": name, "record_kind": rules[name].record_kind, "method": rules[name].method.value,
                  "nist": NIST_CATEGORY[rules[name].method], "count": n, "source": rules[name].source}
                 for name, n in sorted(counts.items())],
        stores=[{"store": s.split(":", 1)[1].split("@")[0], "service": s.split(":")[0], "region": s.split("@")[1],
                 "count": n} for s, n in sorted(stores.items())],
        hashed_ids=sorted(e["hashed_id"] for e in entries),
        waiting=[w for e in entries for w in e.get("waiting", [])],
        backups_clear_on=clear_on.isoformat(),
        backup_note=(f"DynamoDB point-in-time recovery reaches back {PITR_RECOVERY_DAYS} days and AWS Backup "
                     f"recovery points (Tokyo, and their Osaka copies) are deleted after {BACKUP_RETENTION_DAYS} "
                     "days; from this date no copy holds the erased data"))
    stored = rt.erasure_certificates.store(run_id, certificate.to_json(), now)
    ledger.drop_chunks(run_id)
    record = {**run, "status": "completed", "finished_at": now.isoformat(), "certificate_key": stored.key,
              "certificate_sha256": stored.sha256, "erased": len(entries), "held": held}
    rt.records("deletion-runs").put(record)
    rt.audit.append(AuditEvent("system", "deletion.run.complete", "success", target=run_id,
                               detail={"erased": str(len(entries)), "certificate": stored.sha256}))
    return record


def run_status(rt: Runtime, run_id: str) -> dict[str, Any]:
    """The run, and its sweep job's chunks done of total (no ids)."""
    run = _run(rt, run_id)
    status = {k: run[k] for k in ("run_id", "as_of", "status", "targets", "plan_digest", "proposed_by", "started_at",
                                  "finished_at", "certificate_key", "certificate_sha256", "erased", "held")
              if k in run} | {"counts": json.loads(run.get("counts", "{}"))}
    job = get_job(rt, sweep_job_id(run_id))
    if job is not None:
        status["job"] = {"job_id": job.job_id, "state": job.state.value, "chunks": job_view(job)["chunks"]}
    return status
