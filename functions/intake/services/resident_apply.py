"""Apply one chunk of a 住基異動 file: its rows read back from the file by byte range, the persons they touch
read 100 at a time, written 25 at a time, and their eligibility events queued for the 広域連合 (design rule 8).

Every row applied leaves its file and row on the person (`last_import_ref`) and every event it raised
(`import_events`), in the same item write. A chunk run again after a crash therefore skips the rows already
applied and writes their events again under the same derived ids: a changed person always ends with its event,
and nothing is applied or queued twice. Persons are written before events, so an event in the queue always
describes a change that is stored.

BatchWriteItem takes no conditions. A person with a pending counter change (maker-checker) could be confirmed
between the chunk's read and its write; those few persons are written one by one with a version condition.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from functions.intake.rules.eligibility_events import eligibility_update
from functions.intake.rules.resident_changes import ResidentChange, scan, split_records
from shared.adapters.change_requests import ChangeRequestStore
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.changes import Status
from shared.domain.counterparties import KOUIKI_RENGO
from shared.domain.errors import Conflict
from shared.domain.mynumber import parse_my_number
from shared.domain.person import derived_fields, validate_values
from shared.runtime import Runtime

__all__ = ["PersonOutcome", "apply_changes", "apply_person", "changes_in_range"]

CONDITIONAL_ATTEMPTS = 3


def changes_in_range(rt: Runtime, params: Mapping[str, Any], spec: Mapping[str, Any]) -> list[ResidentChange]:
    """The rows a chunk applies, parsed again from its byte range of the file (validated when it was planned)."""
    pieces = rt.objects("exchange").stream(params["key"], spec["start"], spec["end"])
    skip, only = set(spec.get("skip", ())), set(spec["only"]) if "only" in spec else None
    return [s.change for s in scan(split_records(pieces, spec["start"]), params["encoding"], spec["first_row"])
            if s.change is not None and s.row not in skip and (only is None or s.row in only)]


@dataclass
class PersonOutcome:
    record: dict[str, Any] | None  # the record to write, None when every row was applied before
    base_version: int
    new_events: list[dict[str, Any]] = field(default_factory=list)
    replayed_events: list[dict[str, Any]] = field(default_factory=list)  # written again after a crash
    applied: int = 0
    skipped: int = 0


def _applied_before(record: Mapping[str, Any] | None, file_ref: str, row: int) -> bool:
    ref_file, _, ref_row = str((record or {}).get("last_import_ref", "")).partition(":")
    return ref_file == file_ref and ref_row.isdigit() and int(ref_row) >= row


def _events_of_file(record: Mapping[str, Any] | None, file_ref: str) -> list[dict[str, Any]]:
    if not record or not str(record.get("last_import_ref", "")).startswith(f"{file_ref}:"):
        return []
    return list(json.loads(record.get("import_events") or "[]"))


def apply_person(rt: Runtime, record: dict[str, Any] | None, changes: Iterable[ResidentChange], file_ref: str,
                 ) -> PersonOutcome:
    """One person's rows of the chunk, in file order, applied to the record as it stands."""
    base_version = int((record or {}).get("version", 0))
    outcome = PersonOutcome(None, base_version)
    current, events, rows = record, _events_of_file(record, file_ref), list(changes)
    for change in rows:
        if _applied_before(current, file_ref, change.row):
            outcome.skipped += 1
            continue
        reference = f"{file_ref}:{change.row}"
        updates, kind = eligibility_update(change, current)
        values = {**change.values, **updates}
        validate_values(values)
        new = {**(current or {}), **values, "person_id": change.person_id, "last_import_ref": reference,
               "version": int((current or {}).get("version", 0)) + 1, "updated_at": rt.clock().isoformat()}
        new.setdefault("suspended", False)
        if change.my_number:
            number = parse_my_number(change.my_number)
            new["mynumber_enc"], new["mynumber_index"] = rt.vault.encrypt(number), rt.vault.blind_index(number)
        new.update(derived_fields(new))
        if kind:
            event = {"queue_id": f"RC{reference.replace(':', '-')}", "kind": kind, "reference": reference,
                     "summary": {"change": change.code.value, "change_date": change.change_date.isoformat(),
                                 **{k: v for k, v in updates.items() if k.startswith("eligibility_")}}}
            events.append(event)
            outcome.new_events.append(event)
        current = new
        outcome.applied += 1
    if outcome.applied:
        assert current is not None
        outcome.record = {**current, "import_events": json.dumps(events, ensure_ascii=False, sort_keys=True)}
    elif outcome.skipped:  # written again, and counted again: the chunk's count does not depend on a crash
        own = {f"{file_ref}:{c.row}" for c in rows}
        outcome.replayed_events = [e for e in events if e["reference"] in own]
    return outcome


def _queue_entry(event: Mapping[str, Any], person_id: str, at: datetime) -> dict[str, Any]:
    return TransferQueue.record(kind=event["kind"], counterparty=KOUIKI_RENGO, entity_id=person_id,
                                reference=event["reference"], at=at, queue_id=event["queue_id"],
                                summary=dict(event["summary"]))


def _pending_persons(rt: Runtime) -> set[str]:
    return {r.entity_id for r in rt.repository(ChangeRequestStore).with_status(Status.PENDING) if r.entity == "person"}


def _write_checked(rt: Runtime, person_id: str, rows: list[ResidentChange], outcome: PersonOutcome,
                   file_ref: str) -> PersonOutcome:
    """Write one person with a version condition; on a concurrent change read again and re-apply."""
    persons = rt.repository(PersonRepository)
    for _ in range(CONDITIONAL_ATTEMPTS):
        if outcome.record is None or persons.put_if_version(outcome.record, outcome.base_version):
            return outcome
        outcome = apply_person(rt, persons.get(person_id), rows, file_ref)
    raise Conflict(f"{person_id} kept changing while its 住基異動 rows were applied")


def apply_changes(rt: Runtime, changes: list[ResidentChange], file_ref: str, queued_at: datetime) -> dict[str, int]:
    """Apply a chunk's rows; returns its counts (rows applied, among them skipped as applied before; events)."""
    by_person: dict[str, list[ResidentChange]] = {}
    for change in changes:
        by_person.setdefault(change.person_id, []).append(change)
    records = {r["person_id"]: r for r in rt.batch_get("persons", [{"person_id": p} for p in by_person])}
    pending = _pending_persons(rt) & set(by_person)
    persons_table, queue_table = rt.table_name("persons"), rt.table_name("transfer-queue")
    writer = rt.batch_writer()
    outcomes: dict[str, PersonOutcome] = {}
    for person_id, rows in by_person.items():
        outcome = apply_person(rt, records.get(person_id), rows, file_ref)
        if person_id in pending:
            outcome = _write_checked(rt, person_id, rows, outcome, file_ref)
        elif outcome.record is not None:
            writer.put(persons_table, outcome.record)
        outcomes[person_id] = outcome
    writer.flush()  # persons first: an event is queued only for a change that is stored
    for person_id, outcome in outcomes.items():
        for event in (*outcome.new_events, *outcome.replayed_events):
            writer.put(queue_table, _queue_entry(event, person_id, queued_at))
    writer.flush()
    return {"applied": sum(o.applied + o.skipped for o in outcomes.values()),
            "skipped": sum(o.skipped for o in outcomes.values()),
            "events": sum(len(o.new_events) + len(o.replayed_events) for o in outcomes.values())}
