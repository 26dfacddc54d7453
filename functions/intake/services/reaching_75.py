"""The daily job: people who reach 75 in a period, their 資格確認書 (mailed the month before the birthday) and
the eligibility events for the 広域連合 (PIA-I-1-b).

A chunked job with one chunk per birth month to search. A chunk reads its month once from the by-birth-month
index (whole records: nothing is read again per person), asks which of its events and certificates exist
(BatchGetItem) and writes the missing ones (BatchWriteItem). Ids are derived from the person and the birthday,
so re-running, the same day or the next, queues and issues nothing twice and picks up people added since.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from functions.intake.rules.certificates import mailing_month
from functions.intake.rules.eligibility import (
    Acquisition,
    birth_months_to_search,
    is_insured_on,
    reaches_75_between,
    seventy_fifth_birthday,
)
from functions.intake.rules.eligibility_events import acquired, already_insured_by_disability, facts_of
from functions.intake.services.certificate_print import print_cards, run_files
from functions.intake.services.certificates import issue_missing
from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.batch import Chunk, Job, Plan, start
from shared.batch.local import run_job_here
from shared.domain.counterparties import KOUIKI_RENGO
from shared.domain.errors import Invalid
from shared.domain.ids import new_id
from shared.protection.views import summary
from shared.runtime import Runtime
from shared.storage import STORAGE

__all__ = ["REACHING_75", "ReachingSeventyFive", "people_reaching_75", "plan_reaching_75", "reaching_75_in",
           "reaching_75_page", "run_reaching_75"]

KIND, QUEUE = "reaching-75-daily", "reaching-75-chunks"
BIRTH_MONTH_KEY = STORAGE.table("persons").page_key("by-birth-month")


def reaching_75_in(records: list[dict[str, Any]], first: date, last: date) -> list[tuple[dict[str, Any], date]]:
    """(record, 75th birthday) of those who become insured at 75 in [first, last] (法第50条第1号, 第52条第1号):
    residents of the area (not 住登外), excluding 適用除外 (第51条) and another 広域連合's 住所地特例 (第55条), and
    excluding people already insured by 障害認定 (第52条第1号かっこ書: reaching 75 is no new acquisition)."""
    found = []
    for person in records:
        birth = date.fromisoformat(person["birth_date"])
        if not reaches_75_between(birth, first, last) or already_insured_by_disability(person):
            continue
        birthday = seventy_fifth_birthday(birth)
        if is_insured_on(facts_of(person), birthday):
            found.append((person, birthday))
    return found


def people_reaching_75(rt: Runtime, first: date, last: date) -> list[dict[str, Any]]:
    """Who becomes insured at 75 in [first, last], as list entries (no My Number), by birthday."""
    found = [{**summary(person), "seventy_fifth_birthday": birthday.isoformat(),
              "certificate_mailing_month": mailing_month(birthday)}
             for month in birth_months_to_search(first, last)
             for person, birthday in reaching_75_in(rt.repository(PersonRepository).by_birth_month(month), first,
                                                    last)]
    return sorted(found, key=lambda p: (p["seventy_fifth_birthday"], p["person_id"]))


def reaching_75_page(rt: Runtime, first: date, last: date, limit: int, start: dict[str, Any] | None,
                     ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """A page of `people_reaching_75` in index order (birth month, birth date), and the index position of its
    last person when more may follow. The by-birth-month index is read page by page from `start`."""
    months = birth_months_to_search(first, last)
    if start is not None and start["birth_month"] not in months:
        raise Invalid("the cursor belongs to another period; start again without it", code="invalid-cursor",
                      title="The cursor is not valid")
    persons, found = rt.repository(PersonRepository), []
    for month in months[months.index(start["birth_month"]) if start else 0:]:
        key = start if start and start["birth_month"] == month else None
        while True:
            records, key = persons.page("by-birth-month", "birth_month", month, limit, key)
            for position, record in enumerate(records):
                found += [{**summary(p), "seventy_fifth_birthday": b.isoformat(),
                           "certificate_mailing_month": mailing_month(b)} for p, b in reaching_75_in([record], first,
                                                                                                       last)]
                if len(found) == limit:
                    more = key is not None or position + 1 < len(records) or month != months[-1]
                    return found, {k: record[k] for k in BIRTH_MONTH_KEY} if more else None
            if key is None:
                break
    return found, None


def run_name(first: date, last: date) -> str:
    return f"reaching-75-{first:%Y%m%d}-{last:%Y%m%d}"


def plan_reaching_75(first: date, last: date, today: date, started_by: str = "system") -> Plan:
    return Plan(new_id(f"reaching-75-{first:%Y%m%d}-{last:%Y%m%d}-", 8), KIND, QUEUE,
                [[{"birth_month": m} for m in birth_months_to_search(first, last)]],
                params={"from": first.isoformat(), "to": last.isoformat(), "today": today.isoformat()},
                started_by=started_by)


ACQUISITION_ATTEMPTS = 3  # a person changed between the index read and the write: read again and retry


class ReachingSeventyFive:
    """The chunks of the daily reaching-75 run: one birth month each."""

    name, queue = KIND, QUEUE

    def apply(self, rt: Runtime, job: Job, chunk: Chunk) -> dict[str, int]:
        first, last = date.fromisoformat(job.params["from"]), date.fromisoformat(job.params["to"])
        today = date.fromisoformat(job.params["today"])
        seen = reaching_75_in(rt.repository(PersonRepository).by_birth_month(chunk.spec["birth_month"]), first, last)
        # Events and cards follow what was recorded: a person changed meanwhile is judged again on the re-read.
        people = _record_acquisitions(rt, seen, first, last)
        events = {f"R75-{p['person_id']}-{b.isoformat()}": (p, b) for p, b in people}
        queued_before = {q["queue_id"] for q in rt.batch_get("transfer-queue", [{"queue_id": q} for q in events],
                                                             projection=("queue_id",))}
        writer, table = rt.batch_writer(), rt.table_name("transfer-queue")
        for queue_id, (person, birthday) in events.items():
            if queue_id not in queued_before:
                writer.put(table, TransferQueue.record(
                    kind="eligibility-acquired", counterparty=KOUIKI_RENGO, entity_id=person["person_id"],
                    reference=f"75:{birthday.isoformat()}", at=rt.clock(), queue_id=queue_id,
                    summary={"eligibility_acquired_on": birthday.isoformat(), "eligibility_change_reason": "75歳到達"}))
        cards = {f"QC-{p['person_id']}-{b.isoformat()}": (p, b) for p, b in people}
        done = issue_missing(rt, writer, {cid: p for cid, (p, _) in cards.items()}, "new", today,
                             rt.settings.certificate_rule, starts={cid: b for cid, (_, b) in cards.items()})
        writer.flush()
        # The chunk's cards, valid from the birthday (mailed the month before), printed as its part of the run.
        files = print_cards(rt, run_name(first, last), done.cards, file_prefix=f"{chunk.number:04d}-")
        return {"applied": len(people), "queued": len(events) - len(queued_before), "issued": done.count,
                "files": len(files)}

    def finish(self, rt: Runtime, job: Job, succeeded: bool) -> dict[str, Any]:
        result = {"from": job.params["from"], "to": job.params["to"], "people": job.counts.get("applied", 0),
                  "queued": job.counts.get("queued", 0), "certificates_issued": job.counts.get("issued", 0)}
        rt.audit.append(AuditEvent("system", "batch.reaching-75", "success" if succeeded else "failure",
                                   target=f"{result['from']}..{result['to']}",
                                   detail={"people": str(result["people"]), "queued": str(result["queued"]),
                                           "issued": str(result["certificates_issued"]), "job": job.job_id}))
        return result


REACHING_75 = ReachingSeventyFive()


def _record_acquisitions(rt: Runtime, people: list[tuple[dict[str, Any], date]], first: date,
                         last: date) -> list[tuple[dict[str, Any], date]]:
    """Set the status, 資格取得日 (the birthday), reason and insurer on each person, so a later 転出 or 死亡 raises
    its loss and the renewal includes them; returns the records as written, which the events and cards follow. A
    person already recorded so is not written again (a re-run prints the same card).

    Each person is written only if still at the version the birth-month index showed: the index is eventually
    consistent and a clerk may change the person meanwhile, so a whole-record write could undo that change. On a
    conflict the person is read again (consistently) and judged again on what is there now: one who moved out or
    died meanwhile, or is gone, is left out (no acquisition, no event, no card)."""
    persons, out = rt.repository(PersonRepository), []
    for person, birthday in people:
        fields = acquired(birthday, Acquisition.REACHED_75)
        current: dict[str, Any] | None = person
        for _attempt in range(ACQUISITION_ATTEMPTS):
            if current is None or not any(current.get(k) != v for k, v in fields.items()):
                break  # gone meanwhile, or recorded already
            base = int(current.get("version", 0))
            updated = {**current, **fields, "version": base + 1, "updated_at": rt.clock().isoformat()}
            if persons.put_if_version(updated, base):
                current = updated
                break
            current = persons.get(current["person_id"])
            if current is not None and not reaching_75_in([current], first, last):
                current = None  # no longer reaches 75 here in the period (moved out, died, excluded meanwhile)
        else:
            raise RuntimeError("a person kept changing while the reaching-75 run recorded the acquisition; "
                               "the chunk is retried")
        if current is not None:
            out.append((current, birthday))
    return out


def run_reaching_75(rt: Runtime, first: date, last: date, today: date,
                    progress: Callable[[Job], None] | None = None) -> dict[str, Any]:
    """Queue the acquisition events and record the new 資格確認書 for everyone reaching 75 in the period who
    receives one under the current rule, running the chunks in this process; returns the job's summary."""
    job = run_job_here(rt, REACHING_75, start(rt, REACHING_75, plan_reaching_75(first, last, today)).job_id,
                       progress)
    return {**job.summary, "files": run_files(rt, run_name(first, last)), "job_id": job.job_id,
            "state": job.state.value}
