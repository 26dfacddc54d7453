"""Apply one chunk of a 住基異動 file: its rows read back from the file by byte range, the persons they touch
read 100 at a time, written 25 at a time, and their eligibility events queued for the 広域連合 (design rule 8).

Every row applied leaves its file and row on the person (`last_import_ref`) and every event it raised
(`import_events`), in the same item write. A chunk run again after a crash therefore skips the rows already
applied and writes their events again under the same derived ids: a changed person always ends with its event,
and nothing is applied or queued twice. Persons are written before events, so an event in the queue always
describes a change that is stored.

A row that raises no eligibility event for its person may still concern the 広域連合: a change to a member of an
insured person's household, or to someone about to reach 75, is a household event (rules/household_events.py,
PIA II-5 ③). The households are read by the `by-household` index once per household the chunk needs, with the
chunk's own changes laid over them. A 転居 or 氏名変更 of an insured person issues a `change` 資格確認書 as the
counter path does (rules/certificates.needs_new_card), under an id derived from the file and row, written before
the person so a re-run writes the same card again.

BatchWriteItem takes no conditions. A person with a pending counter change (maker-checker) could be confirmed
between the chunk's read and its write; those few persons are written one by one with a version condition.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from functions.intake.rules.certificates import needs_new_card
from functions.intake.rules.eligibility_events import eligibility_update
from functions.intake.rules.household_events import household_event
from functions.intake.rules.resident_changes import ChangeCode, ResidentChange, scan, split_records
from shared.adapters.change_requests import ChangeRequestStore
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.calendar import date_in_japan
from shared.domain.changes import Status
from shared.domain.counterparties import KOUIKI_RENGO
from shared.domain.errors import Conflict
from shared.domain.mynumber import parse_my_number
from shared.domain.person import derived_fields, validate_values
from shared.lazy import lazy_module
from shared.runtime import Runtime

# Loaded with the first change card: the issuance service brings the batch framework and printing.
certificates = lazy_module("functions.intake.services.certificates")

__all__ = ["Households", "PersonOutcome", "apply_changes", "apply_person", "changes_in_range"]

CONDITIONAL_ATTEMPTS = 3
# 住基 rows whose change is one a 資格確認書 prints (施行規則: 記載事項の変更; rules/certificates.CARD_FIELDS).
CARD_CHANGES = (ChangeCode.ADDRESS_CHANGE, ChangeCode.NAME_CHANGE)


class Households:
    """The members of the households a chunk touches: read once each (the `by-household` index), with the
    records the chunk has changed so far laid over them (a member who left, one who joined, a new status)."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._stored: dict[str, dict[str, dict[str, Any]]] = {}
        self._changed: dict[str, dict[str, Any]] = {}

    def note(self, record: dict[str, Any]) -> None:
        self._changed[record["person_id"]] = record

    def members(self, household_id: str) -> list[dict[str, Any]]:
        if household_id not in self._stored:
            found = self._rt.repository(PersonRepository).by_household(household_id)
            self._stored[household_id] = {r["person_id"]: r for r in found}
        merged = {pid: self._changed.get(pid, r) for pid, r in self._stored[household_id].items()}
        merged.update({pid: r for pid, r in self._changed.items() if r.get("household_id") == household_id})
        return [r for r in merged.values() if r.get("household_id") == household_id]


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
    cards: list[dict[str, Any]] = field(default_factory=list)  # change 資格確認書, written before the person
    applied: int = 0
    skipped: int = 0


def _applied_before(record: Mapping[str, Any] | None, file_ref: str, row: int) -> bool:
    ref_file, _, ref_row = str((record or {}).get("last_import_ref", "")).partition(":")
    return ref_file == file_ref and ref_row.isdigit() and int(ref_row) >= row


def _events_of_file(record: Mapping[str, Any] | None, file_ref: str) -> list[dict[str, Any]]:
    if not record or not str(record.get("last_import_ref", "")).startswith(f"{file_ref}:"):
        return []
    return list(json.loads(record.get("import_events") or "[]"))


def _change_card(rt: Runtime, change: ResidentChange, before: dict[str, Any] | None, after: dict[str, Any],
                 values: Mapping[str, Any], reference: str, issued_on: date) -> dict[str, Any] | None:
    """A 転居 or 氏名変更 of an insured person: a `change` card effective from the day of the change."""
    if change.code not in CARD_CHANGES or not needs_new_card(before or {}, values):
        return None
    certificate_id = f"QC-{change.person_id}-change-{reference.replace(':', '-')}"
    return {"certificate_id": certificate_id, "version": 1,
            **certificates.certificate_values(after, "change", issued_on, change.change_date, change.change_date,
                                              rt.settings.insurer_number)}


def apply_person(rt: Runtime, record: dict[str, Any] | None, changes: Iterable[ResidentChange], file_ref: str,
                 households: Households | None = None, issued_on: date | None = None) -> PersonOutcome:
    """One person's rows of the chunk, in file order, applied to the record as it stands. `issued_on` is the
    交付年月日 of a change card (the job's day, so a re-run makes the same card)."""
    households = households or Households(rt)
    issued_on = issued_on or date_in_japan(rt.clock())
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
        summary: dict[str, Any] = {k: v for k, v in updates.items() if k.startswith("eligibility_")}
        if not kind:
            household = household_event(current, new, change.change_date, households.members)
            if household:
                kind, summary = household
        if kind:
            event = {"queue_id": f"RC{reference.replace(':', '-')}", "kind": kind, "reference": reference,
                     "summary": {"change": change.code.value, "change_date": change.change_date.isoformat(),
                                 **summary}}
            events.append(event)
            outcome.new_events.append(event)
        card = _change_card(rt, change, current, new, values, reference, issued_on)
        if card:
            outcome.cards.append(card)
        current = new
        households.note(new)
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
                   file_ref: str, households: Households, issued_on: date) -> PersonOutcome:
    """Write one person with a version condition; on a concurrent change read again and re-apply."""
    persons = rt.repository(PersonRepository)
    for _ in range(CONDITIONAL_ATTEMPTS):
        if outcome.record is None:
            return outcome
        _write_cards(rt, outcome)
        if persons.put_if_version(outcome.record, outcome.base_version):
            return outcome
        outcome = apply_person(rt, persons.get(person_id), rows, file_ref, households, issued_on)
    raise Conflict(f"{person_id} kept changing while its 住基異動 rows were applied")


def _write_cards(rt: Runtime, outcome: PersonOutcome) -> None:
    if outcome.cards:
        writer = rt.batch_writer()
        for card in outcome.cards:
            writer.put(rt.table_name("certificates"), card)
        writer.flush()


def apply_changes(rt: Runtime, changes: list[ResidentChange], file_ref: str, queued_at: datetime) -> dict[str, int]:
    """Apply a chunk's rows; returns its counts (rows applied, among them skipped as applied before; events;
    change cards)."""
    by_person: dict[str, list[ResidentChange]] = {}
    for change in changes:
        by_person.setdefault(change.person_id, []).append(change)
    records = {r["person_id"]: r for r in rt.batch_get("persons", [{"person_id": p} for p in by_person])}
    pending = _pending_persons(rt) & set(by_person)
    persons_table, queue_table = rt.table_name("persons"), rt.table_name("transfer-queue")
    writer = rt.batch_writer()
    households, issued_on = Households(rt), date_in_japan(queued_at)
    outcomes: dict[str, PersonOutcome] = {}
    for person_id, rows in by_person.items():
        outcomes[person_id] = apply_person(rt, records.get(person_id), rows, file_ref, households, issued_on)
    cards_table = rt.table_name("certificates")
    for person_id, outcome in outcomes.items():  # cards first: a stored change always has its card
        if person_id not in pending:
            for card in outcome.cards:
                writer.put(cards_table, card)
    writer.flush()
    for person_id, rows in by_person.items():
        outcome = outcomes[person_id]
        if person_id in pending:
            outcomes[person_id] = _write_checked(rt, person_id, rows, outcome, file_ref, households, issued_on)
        elif outcome.record is not None:
            writer.put(persons_table, outcome.record)
    writer.flush()  # persons first: an event is queued only for a change that is stored
    for person_id, outcome in outcomes.items():
        for event in (*outcome.new_events, *outcome.replayed_events):
            writer.put(queue_table, _queue_entry(event, person_id, queued_at))
    writer.flush()
    return {"applied": sum(o.applied + o.skipped for o in outcomes.values()),
            "skipped": sum(o.skipped for o in outcomes.values()),
            "events": sum(len(o.new_events) + len(o.replayed_events) for o in outcomes.values()),
            "cards": sum(len(o.cards) for o in outcomes.values())}
