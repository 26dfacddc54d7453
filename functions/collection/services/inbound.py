"""Receiving a counterparty's file, the same way for every kind (PIA-III-2-d, III-2-i; design rules 8 and 9):

1. only a registered counterparty may send that kind of file, in its declared encoding;
2. the same bytes (SHA-256) are applied once: a second delivery answers with the first result;
3. the whole file is validated before anything is applied; a rejected file gets a reject report (record, byte,
   field, reason — never a value) in the exchange bucket and nothing of it is applied;
4. the application runs in chunks with a checkpoint after each (`inbound-files`: progress and running totals),
   so a run that stopped resumes after the last finished chunk;
5. one audit event per file, with its counts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from shared.adapters.audit_log import AuditEvent
from shared.domain.counterparties import registered
from shared.domain.fixed_width import FileRejected
from shared.runtime import Runtime

__all__ = ["DONE", "FileRun", "Plan", "receive"]

FILES = "inbound-files"
DONE = ("applied", "rejected")
T = TypeVar("T")


@dataclass
class FileRun:
    counterparty: str
    kind: str
    file_hash: str
    status: str = "applying"  # applying | applied | rejected | already-applied | already-rejected
    rows: int = 0
    done: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    reject_report_key: str | None = None
    longest_chunk_seconds: float = 0.0

    def add(self, totals: dict[str, int]) -> None:
        for key, value in totals.items():
            self.totals[key] = self.totals.get(key, 0) + value

    def summary(self) -> dict[str, Any]:
        return {"counterparty": self.counterparty, "kind": self.kind, "file_hash": self.file_hash,
                "status": self.status, "rows": self.rows, "totals": self.totals,
                "reject_report_key": self.reject_report_key, "rejects": self.rejects[:20]}


@dataclass
class Plan(Generic[T]):
    """What the kind's service makes of a valid file: the rows, and how to apply a chunk of them (returning
    counts to add to the file's totals)."""

    rows: Sequence[T]
    apply: Callable[[Sequence[T]], dict[str, int]]
    chunk_size: int = 1000


def receive(rt: Runtime, counterparty_code: str, kind: str, content: bytes, plan: Callable[[bytes, str], Plan[T]],
            *, staff_id: str = "system", purpose: str,
            progress: Callable[[int, int], None] | None = None) -> FileRun:
    """Validate then apply `content`; raises UnknownCounterparty before reading it, FileRejected after recording
    the rejection. `plan(content, file_hash)` parses and validates (raising FileRejected). Every counterparty
    of these files is registered with CP932, the encoding the fixed-length layouts are decoded in."""
    counterparty = registered(counterparty_code, kind)
    file_hash = hashlib.sha256(content).hexdigest()
    files = rt.records(FILES)
    seen = files.get(file_hash) or {}
    run = FileRun(counterparty.code, kind, file_hash, rows=int(seen.get("rows", 0)), done=int(seen.get("progress", 0)),
                  totals=dict(seen.get("totals") or {}))
    if seen.get("status") in DONE:
        run.status = f"already-{seen['status']}"
        run.reject_report_key = seen.get("reject_report_key")
        return run
    try:
        parsed = plan(content, file_hash)
    except FileRejected as rejected:
        run.status, run.rejects = "rejected", [e.as_json() for e in rejected.record_errors]
        run.reject_report_key = _reject_report(rt, run)
        _record(rt, run)
        _audit(rt, staff_id, run, purpose)
        raise
    run.rows = len(parsed.rows)
    for start in range(run.done, run.rows, parsed.chunk_size):
        began = time.perf_counter()
        run.add(parsed.apply(parsed.rows[start:start + parsed.chunk_size]))
        run.longest_chunk_seconds = max(run.longest_chunk_seconds, time.perf_counter() - began)
        run.done = min(start + parsed.chunk_size, run.rows)
        _record(rt, run)  # checkpoint: a restart resumes after this chunk
        if progress:
            progress(run.done, run.rows)
    run.status = "applied"
    _record(rt, run)
    _audit(rt, staff_id, run, purpose)
    return run


def _record(rt: Runtime, run: FileRun) -> None:
    rt.records(FILES).put({"file_hash": run.file_hash, "counterparty": run.counterparty, "kind": run.kind,
                           "status": run.status, "rows": run.rows, "progress": run.done, "totals": run.totals,
                           "reject_report_key": run.reject_report_key, "updated_at": rt.clock().isoformat()})


def _reject_report(rt: Runtime, run: FileRun) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record", "position", "field", "reason"])
    writer.writerows([r["record"], r["position"], r["field"], r["reason"]] for r in run.rejects)
    key = f"reports/{run.counterparty}/{rt.clock():%Y%m%d}/{run.file_hash[:16]}-rejects.csv"
    rt.objects("exchange").put(key, out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")
    return key


def _audit(rt: Runtime, staff_id: str, run: FileRun, purpose: str) -> None:
    rt.audit.append(AuditEvent(staff_id, f"import.{run.kind}", "success" if run.status == "applied" else "refused",
                               target=f"file:{run.file_hash[:16]}", purpose=purpose,
                               detail={"counterparty": run.counterparty, "status": run.status, "rows": str(run.rows),
                                       **{k: str(v) for k, v in sorted(run.totals.items())}}))
