"""The per-row paths the batch framework replaced (as of commit 808e041), kept only as the benchmark's baseline.

The I/O pattern is the old one; the record each row produces is computed by today's code, so the two differ only
in how they read and write:
- 住基異動 import: per row a GetItem and a two-item TransactWriteItems (person + event), a progress PutItem
  every 100 rows, the whole file read into memory and parsed at once;
- yearly renewal: one Scan of every person in one process, then per insured person a GetItem and a PutItem; the
  cards it issued are then printed as the framework's chunks print theirs (same renderer and file size, one
  process), so the renewal's ratio compares the two I/O patterns, not printing with not printing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.resident_changes import parse_file
from functions.intake.services.certificate_print import print_run
from functions.intake.services.certificates import certificate_values
from functions.intake.services.resident_apply import apply_person
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.counterparties import KOUIKI_RENGO
from shared.runtime import Runtime

__all__ = ["import_per_row", "renew_per_person"]

PROGRESS_EVERY = 100


def import_per_row(rt: Runtime, content: bytes, encoding: str, file_ref: str) -> dict[str, int]:
    parsed = parse_file(content, encoding)
    persons, queue = rt.repository(PersonRepository), rt.repository(TransferQueue)
    events = 0
    for position, change in enumerate(parsed.changes, start=1):
        record = persons.get(change.person_id)
        outcome = apply_person(rt, record, [change], file_ref)
        if outcome.record is None:
            continue
        items = [persons.write_item(outcome.record, change.person_id, outcome.base_version)]
        for event in outcome.new_events:
            items.append(queue.enqueue_item(kind=event["kind"], counterparty=KOUIKI_RENGO, entity_id=change.person_id,
                                            reference=event["reference"], at=rt.clock(), queue_id=event["queue_id"],
                                            summary=event["summary"]))
        rt.transact(items)
        events += len(outcome.new_events)
        if position % PROGRESS_EVERY == 0:
            rt.records("inbound-files").put({"file_hash": file_ref, "status": "applying", "progress": position})
    return {"rows": parsed.rows, "applied": len(parsed.changes), "events": events}


def renew_per_person(rt: Runtime, today: date) -> dict[str, Any]:
    certificates = rt.records("certificates")
    insured, issued = 0, []
    for page in rt.records("persons").scan_segment(0, 1, "eligibility_status", "insured"):
        for person in page:
            insured += 1
            certificate_id = f"QC-{person['person_id']}-renewal-{today.year}"
            if certificates.get(certificate_id) is None:
                certificates.put_new({"certificate_id": certificate_id, "version": 1,
                                      **certificate_values(person, "renewal", today)})
                issued.append(certificate_id)
    files = print_run(rt, f"legacy-renewal-{today.year}", issued)
    return {"insured": insured, "issued": len(issued), "files": len(files)}
