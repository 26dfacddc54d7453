"""Deletion runs (PIA-III-7-e): a data steward proposes a run for a day, a different checker approves it through the
one maker-checker mechanism (design rule 6), and the approved run erases its plan chunk by chunk, resumably, then
stores its 廃棄証明書 under Object Lock.

Chunks are the batch framework's unit (issue 11): `plan_chunks` is its plan, `apply_chunk` its `apply` and
`finish_run` its `finish`, each safe to run again after a crash at any point.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict
from datetime import date
from typing import Any

from functions.deletion.rules.certificate import NIST_CATEGORY, Certificate, backups_clear_on
from functions.deletion.rules.retention import RetentionRule, configured_rules, rule
from functions.deletion.services.erase import erase_target
from functions.deletion.services.plan import Target, plan_deletion
from functions.deletion.workflow import DELETION_RUN, WORKFLOW
from shared.adapters.audit_log import AuditEvent
from shared.adapters.erasure_ledger import ErasureLedger
from shared.domain.changes import Operation, Status
from shared.domain.errors import Conflict, NotFound
from shared.domain.ids import new_id
from shared.observability import get_logger
from shared.protection.changes import ChangeService
from shared.runtime import Runtime
from shared.storage import BACKUP_RETENTION_DAYS, PITR_RECOVERY_DAYS

__all__ = ["CHUNK_SIZE", "apply_chunk", "continue_run", "current_rules", "finish_run", "hashed_id", "propose_run",
           "run_status"]

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
    for number, start in enumerate(range(0, len(targets), CHUNK_SIZE), start=1):
        ledger.add_chunk(run_id, number, targets[start:start + CHUNK_SIZE])
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


def apply_chunk(rt: Runtime, run_id: str, chunk: dict[str, Any], done: set[str]) -> int:
    """Erase the chunk's targets not erased before; returns how many were erased now."""
    ledger, erased_now = rt.repository(ErasureLedger), 0
    for spec in chunk["targets"]:
        target = Target(**spec)
        hashed = hashed_id(rt, target)
        if hashed in done:
            continue  # finished before a crash: not erased twice
        the_rule = rule(target.rule, current_rules())
        result = erase_target(rt, target, the_rule, rt.clock())
        if ledger.record_erased(run_id, hashed, {"rule": target.rule, "kind": target.kind,
                                                 "at": rt.clock().isoformat(), **result.as_dict()}):
            erased_now += 1
        done.add(hashed)
    ledger.chunk_done(run_id, chunk["number"])
    return erased_now


def continue_run(rt: Runtime, run_id: str, max_chunks: int | None = None) -> dict[str, Any]:
    """Carry an approved run on from where it stopped; finish it when no chunk is left."""
    run = _run(rt, run_id)
    if run.get("status") == "completed":
        return run_status(rt, run_id)
    if run.get("status") != "running":
        rt.records("deletion-runs").put({**run, "status": "running", "started_at": rt.clock().isoformat()})
    ledger = rt.repository(ErasureLedger)
    done = ledger.erased_ids(run_id)
    pending = [c for c in ledger.chunks(run_id) if c["status"] != "done"]
    for chunk in pending[:max_chunks]:
        apply_chunk(rt, run_id, chunk, done)
        get_logger().info("deletion chunk done", extra={"run_id": run_id, "chunk": chunk["number"]})
    if max_chunks is None or len(pending) <= max_chunks:
        finish_run(rt, run_id)
    return run_status(rt, run_id)


def _approval(rt: Runtime, run_id: str) -> tuple[str, str]:
    for request in rt.records("change-requests").query("by-entity", "entity_id", run_id):
        if request.get("status") == Status.CONFIRMED.value:
            return request["decided_by"], request["request_id"]
    raise Conflict(f"{run_id} has no confirmed approval", code="deletion-run-not-approved")


def finish_run(rt: Runtime, run_id: str) -> dict[str, Any]:
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
              "certificate_sha256": stored.sha256, "erased": len(entries)}
    rt.records("deletion-runs").put(record)
    rt.audit.append(AuditEvent("system", "deletion.run.complete", "success", target=run_id,
                               detail={"erased": str(len(entries)), "certificate": stored.sha256}))
    return record


def run_status(rt: Runtime, run_id: str) -> dict[str, Any]:
    run = _run(rt, run_id)
    return {k: run[k] for k in ("run_id", "as_of", "status", "targets", "plan_digest", "proposed_by", "started_at",
                                "finished_at", "certificate_key", "certificate_sha256", "erased") if k in run} | {
        "counts": json.loads(run.get("counts", "{}"))}

