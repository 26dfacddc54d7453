"""Where each job's rows come from: declared tables, the transfer queue and extracts other workflows left in the
exchange bucket; never another workflow's code (design: workflows exchange data through declared storage).

Rows are read a chunk at a time (design rule 8): the planner splits a period into chunk specs (JSON, no personal
data), and `rows_of` yields one chunk's rows, each with the person's record joined in one BatchGetItem per
hundred people. Output is sorted, so the same data always gives the same file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from functions.transfer.rules.jobs import TransferJob
from functions.transfer.rules.layouts import as_day
from functions.transfer.rules.periods import Period
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.calendar import JST
from shared.runtime import Runtime

__all__ = ["SEGMENTS", "chunk_specs", "fiscal_year_of", "rows_of"]

SEGMENTS = 8  # parallel scan segments of a bulk (table) job: 300,000 rows → about 37,500 rows per chunk


def chunk_specs(job: TransferJob) -> list[dict[str, Any]]:
    if job.source.kind == "table":
        return [{"part": n + 1, "segment": n, "segments": SEGMENTS} for n in range(SEGMENTS)]
    return [{"part": 1}]


def fiscal_year_of(period: Period) -> int:
    """年度: April to March (地方自治法第208条)."""
    return period.first.year if period.first.month >= 4 else period.first.year - 1


def _window(period: Period) -> tuple[datetime, datetime]:
    """The period's days in Japan time, as UTC instants [since, until)."""
    since = datetime.combine(period.first, time(), JST).astimezone(UTC)
    return since, datetime.combine(period.last + timedelta(days=1), time(), JST).astimezone(UTC)


# 住民税 課税区分 as assessment stores it (docs/assessment.md, 所得・課税情報) → the label in the 広域連合's file.
RESIDENT_TAX = {"taxable": "課税", "non-taxable": "非課税", "undetermined": "未確定"}
EXTRACT_LAG = timedelta(days=2)  # an extract of day D is queued on D+1 (collection-extracts, 07:00 JST)


def _extract_day(entry: Mapping[str, Any]) -> str | None:
    entity = str(entry.get("entity_id", ""))
    return entity.removeprefix("extract:") if entity.startswith("extract:") else None


def _queued(rt: Runtime, job: TransferJob, period: Period) -> list[dict[str, Any]]:
    since, until = _window(period)
    if job.source.kind == "extract":  # the extract's own day decides its period, not when it was queued
        entries = rt.repository(TransferQueue).queued_between(job.recipient, since, until + EXTRACT_LAG)
        first, last = f"{period.first:%Y%m%d}", f"{period.last:%Y%m%d}"
        return [e for e in entries if e["kind"].startswith(job.source.kinds)
                and first <= (_extract_day(e) or datetime.fromisoformat(e["queued_at"]).astimezone(JST)
                              .strftime("%Y%m%d")) <= last]
    entries = rt.repository(TransferQueue).queued_between(job.recipient, since, until)
    return [e for e in entries if e["kind"].startswith(job.source.kinds)]


def _person_row(entry: Mapping[str, Any], person: Mapping[str, Any]) -> dict[str, Any]:
    summary = entry.get("summary") or {}
    event_day = summary.get("change_date") or datetime.fromisoformat(entry["queued_at"]).astimezone(JST).date()
    return {**person, "event": entry["kind"], "event_date": as_day(event_day), "birth_date": as_day(
        person.get("birth_date")), "queue_id": entry["queue_id"]}


def _from_queue(rt: Runtime, job: TransferJob, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    people = rt.repository(PersonRepository).get_many(e["entity_id"] for e in entries)
    return [_person_row(e, people[e["entity_id"]]) if e["entity_id"] in people
            else {"person_id": e["entity_id"], "missing": True, "queue_id": e["queue_id"]} for e in entries]


def _from_extracts(rt: Runtime, job: TransferJob, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for entry in entries:
        key = (entry.get("summary") or {}).get("key") or entry["reference"]
        record = entry["kind"].split("-")[1] if "-" in entry["kind"] else entry["kind"]
        for line in rt.objects("exchange").get(key).decode("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                # collection's 収納 lines name the day received `received_on` (functions/collection postings)
                lines.append({"record": record, "paid_on": row.get("received_on"), **row})
    people = rt.repository(PersonRepository).get_many(r["person_id"] for r in lines)
    return [{**people.get(r["person_id"], {"missing": True}), **r,
             **{f: as_day(r.get(f)) for f in ("due_date", "paid_on") if r.get(f)},
             "birth_date": as_day(people.get(r["person_id"], {}).get("birth_date"))} for r in lines]


def _from_table(rt: Runtime, job: TransferJob, period: Period, spec: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    table = rt.records(job.source.table)
    for page in table.scan_segment(spec["segment"], spec["segments"], "fiscal_year",
                                   fiscal_year_of(period)):  # type: ignore[arg-type]
        people = rt.repository(PersonRepository).get_many(r["person_id"] for r in page)
        for record in page:
            person = people.get(record["person_id"], {"missing": True})
            tax = record.get("resident_tax")
            yield {**person, **record, "resident_tax": RESIDENT_TAX.get(str(tax), tax)}


def _receipts_year(rt: Runtime, period: Period) -> list[dict[str, Any]]:
    """What each person paid in the period (a calendar year), from collection's daily 収納 extracts: the amount
    applied to premiums (`amount`; an excess is a 過誤納, refunded or offset, not a premium paid)."""
    paid: dict[str, int] = {}
    exchange = rt.objects("exchange")
    for stored in exchange.list(f"extracts/daily/{period.first.year}"):
        day = stored.key.split("/")[2]
        if not stored.key.endswith("/receipts.jsonl") or not f"{period.first:%Y%m%d}" <= day <= f"{period.last:%Y%m%d}":
            continue
        for line in exchange.get(stored.key).decode("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                paid[row["person_id"]] = paid.get(row["person_id"], 0) + int(row.get("amount") or 0)
    people = rt.repository(PersonRepository).get_many(paid)
    return [{**people.get(pid, {"person_id": pid, "missing": True}), "person_id": pid, "year": period.first.year,
             "paid": amount, "birth_date": as_day(people.get(pid, {}).get("birth_date"))}
            for pid, amount in sorted(paid.items())]


def rows_of(rt: Runtime, job: TransferJob, period: Period, spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One chunk's rows, sorted, each holding the person's record (with `mynumber_enc`, `suspended`)."""
    if spec.get("queue_ids"):  # a correction: the rows the recipient rejected, as the records are now
        queue = rt.repository(TransferQueue)
        entries = [e for e in (queue.get(i) for i in spec["queue_ids"]) if e is not None]
        return _from_queue(rt, job, [{**e, "summary": json.loads(e.get("summary") or "{}")} for e in entries])
    if job.source.kind == "table":
        rows = list(_from_table(rt, job, period, spec))
        return sorted(rows, key=lambda r: (r["person_id"], str(r.get("income_id", ""))))
    if job.source.kind == "receipts-year":
        return _receipts_year(rt, period)
    entries = _queued(rt, job, period)
    if job.source.kind == "queue":
        return _from_queue(rt, job, entries)
    return _from_extracts(rt, job, entries)
