"""Printing for the workflows: one notice as an audited read, and a run's notices into the documents bucket.

This is the API a workflow uses to print (docs/notices.md, "Printing from a workflow"). The workflow builds
each `Notice` from its own records: the template's data type (e.g. `PremiumDecision`) and a `Context` whose
number is `document_number(template, record_id, issued_on)`. Then:

- a route calls `print_one` and answers the PDF: printing or downloading is a read of the person's data with a
  purpose (PIA-III-3-d), and the audit event names the document number and the record (PIA-III-2-c);
- a batch calls `print_run`: `chunk` notices per file under `documents/notices/<kind>/<run>/NNNN.pdf`
  (design rule 8: one file per chunk). Notices are drawn as they are read, one chunk at a time. A re-run of a
  run writes the same bytes to the same keys (the renderer is deterministic), so nothing is printed twice or
  lost; the run's own order must be stable so that it cuts the same chunks.

The workflow's `workflow.py` declares `documents/notices/<kind>/` in `buckets_write`, and the route asks for the
permission `kinds.KINDS[kind].permission`. Notices carry no My Number (`guard.py`), so the files are written
under the data key.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from shared.adapters.audit_log import AuditEvent
from shared.notices.document import Notice, NoticeWriter, render
from shared.notices.kinds import kind as notice_kind
from shared.runtime import Runtime

__all__ = ["CHUNK", "Notice", "print_one", "print_run", "run_files", "run_prefix"]

CHUNK = 500  # notices per file: a few MB of PDF and seconds of rendering at most, well inside Lambda's limits


def run_files(rt: Runtime, kind: str, run: str) -> list[str]:
    """The files a run has printed so far, in order (every chunk's)."""
    return [stored.key for stored in rt.objects("documents").list(f"{run_prefix(kind)}{run}/")]


def run_prefix(kind: str) -> str:
    """Where a kind's runs are written in the documents bucket (the prefix its workflow declares)."""
    return f"notices/{notice_kind(kind).template.kind}/"


def print_one(rt: Runtime, notice: Notice, *, person_id: str, record: str, staff_id: str, request_id: str | None,
              purpose: str) -> bytes:
    """The PDF of one notice for a member of staff; an audited read with the purpose stated."""
    pdf = render(notice.template, notice.data, notice.context)
    rt.audit.append(AuditEvent(staff_id, "notice.print", "success", target=person_id, purpose=purpose,
                               request_id=request_id, detail={"kind": notice.template.kind, "record": record,
                                                              "document_number": notice.context.number}))
    return pdf


def print_run(rt: Runtime, kind: str, run: str, notices: Iterable[Notice], purpose: str,
              chunk: int = CHUNK, file_prefix: str = "") -> list[str]:
    """The notices of a run (e.g. `renewal-2027`) into the documents bucket, `chunk` per file, in the order given.
    A batch job's chunk prints its own share with `file_prefix` (e.g. `0003-`), so its files are named for it and a
    re-run of the chunk rewrites the same files. Returns the keys written (none for a run without notices)."""
    if chunk < 1:
        raise ValueError("a chunk holds at least one notice")
    prefix, author = f"{run_prefix(kind)}{run}/", None
    keys: list[str] = []
    count = 0
    iterator = iter(notices)
    while part := list(islice(iterator, chunk)):
        author = author or part[0].context.issuer.mayor
        writer = NoticeWriter(f"{part[0].template.title} {run}", author)
        for notice in part:
            writer.add(notice.template, notice.data, notice.context)
        key = f"{prefix}{file_prefix}{len(keys):04d}.pdf"
        rt.objects("documents").put(key, writer.pdf(), "application/pdf", {"notices": str(writer.pages), "run": run})
        keys.append(key)
        count += writer.pages
    if keys:
        rt.audit.append(AuditEvent("system", "notice.print-run", "success", target=run, purpose=purpose,
                                   detail={"kind": kind, "notices": str(count), "files": str(len(keys))}))
    return keys
