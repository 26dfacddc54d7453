"""資格確認書 issuance records, what a counter terminal prints, and the yearly renewal as a chunked job with its
printed cards.

The renewal (8/1) reads the persons table in parallel-scan segments, one segment per chunk; each chunk reads
which of its certificates exist (BatchGetItem), writes the missing ones (BatchWriteItem) and prints the chunk's
cards from the records in hand into its own files. Certificate ids are derived from the person and the year and
the PDFs are deterministic, so a re-run, of the job or of one chunk, issues nothing twice and rewrites the same
files.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

from functions.intake.rules.certificates import CertificateRule, Reason, receives_certificate, valid_until
from functions.intake.services.certificate_print import print_cards, run_files
from shared.adapters.audit_log import AuditEvent
from shared.adapters.batch_io import BatchWriter
from shared.batch import Chunk, Job, Plan, start
from shared.batch.local import run_job_here
from shared.domain.counterparties import COUNTERPARTIES, KOUIKI_RENGO
from shared.domain.ids import new_id
from shared.runtime import Runtime

__all__ = ["RENEWAL", "Issued", "Renewal", "certificate_values", "issue_missing", "new_certificate_id", "plan_renewal",
           "run_annual_renewal"]

INSURER = COUNTERPARTIES[KOUIKI_RENGO].name
# ~5,000 persons a chunk: a few scan pages, 50 BatchGetItem and up to 200 BatchWriteItem requests.
PERSONS_PER_CHUNK = 5000
# What a certificate prints and the rule needs; the scan reads nothing else (never the sealed My Number).
PRINT_FIELDS = ("person_id", "insured_number", "name", "name_kana", "birth_date", "sex", "address",
                "eligibility_acquired_on", "has_myna_insurance_card")


def certificate_values(person: dict[str, Any], reason: Reason, issued_on: date,
                       valid_from: date | None = None) -> dict[str, Any]:
    """An issuance record: reason, validity and the print data (no My Number: the card does not carry it).
    A card mailed before the insurance starts (75歳到達: the month before the birthday) is valid from that day
    to the 7/31 after it, not from the day it is made."""
    start = max(valid_from or issued_on, issued_on)
    until = valid_until(start)
    return {
        "person_id": person["person_id"], "reason": reason, "issued_on": issued_on.isoformat(),
        "valid_from": start.isoformat(), "valid_until": until.isoformat(),
        "print": {"insurer": INSURER, "insured_number": person.get("insured_number"), "name": person.get("name"),
                  "name_kana": person.get("name_kana"), "birth_date": person.get("birth_date"),
                  "sex": person.get("sex"), "address": person.get("address"), "valid_until": until.isoformat()},
    }


def new_certificate_id() -> str:
    return new_id("QC")


def issue_missing(rt: Runtime, writer: BatchWriter, wanted: Mapping[str, dict[str, Any]], reason: Reason,
                  today: date, rule: CertificateRule, starts: Mapping[str, date] | None = None) -> Issued:
    """Queue (in `writer`) a certificate for each id -> person of `wanted` that the rule gives one and that
    does not exist yet (valid from `starts[id]` when given). One BatchGetItem per 100 ids reads those that exist;
    the result holds every due card, old and new, ready to print."""
    due = {cid: p for cid, p in wanted.items()
           if receives_certificate(today, bool(p.get("has_myna_insurance_card")), rule)}
    existing = {c["certificate_id"]: c for c in rt.batch_get("certificates", [{"certificate_id": c} for c in due])}
    table, cards, issued = rt.table_name("certificates"), [], 0
    for certificate_id, person in due.items():
        certificate = existing.get(certificate_id)
        if certificate is None:
            certificate = {"certificate_id": certificate_id, "version": 1,
                           **certificate_values(person, reason, today, (starts or {}).get(certificate_id))}
            writer.put(table, certificate)
            issued += 1
        cards.append((person, certificate))
    return Issued(issued, cards)


class Issued(NamedTuple):
    """What `issue_missing` did: how many it issued, and every due (person, certificate) in the order given."""

    count: int
    cards: list[tuple[dict[str, Any], dict[str, Any]]]


# --- the yearly renewal ------------------------------------------------------------------------------------------

KIND, QUEUE = "certificate-renewal", "certificate-renewal-chunks"


def run_name(today: date) -> str:
    return f"renewal-{today.year}"


def plan_renewal(rt: Runtime, today: date, started_by: str = "system") -> Plan:
    """One chunk per scan segment, sized from the table's item count; a new job each run (the certificates,
    not the job, make it idempotent)."""
    persons = rt.records("persons")
    segments = max(1, math.ceil(persons.approximate_count() / PERSONS_PER_CHUNK))
    return Plan(new_id(f"certificate-renewal-{today.year}-", 8), KIND, QUEUE,
                [[{"segment": s, "segments": segments} for s in range(segments)]],
                params={"today": today.isoformat(), "rule": rt.settings.certificate_rule}, started_by=started_by)


class Renewal:
    """The chunks of the yearly 資格確認書 renewal."""

    name, queue = KIND, QUEUE

    def apply(self, rt: Runtime, job: Job, chunk: Chunk) -> dict[str, int]:
        today, rule = date.fromisoformat(job.params["today"]), job.params["rule"]
        insured = issued = 0
        cards: list[tuple[dict[str, Any], dict[str, Any]]] = []
        writer = rt.batch_writer()
        for page in rt.records("persons").scan_segment(chunk.spec["segment"], chunk.spec["segments"],
                                                        "eligibility_status", "insured", PRINT_FIELDS):
            insured += len(page)
            done = issue_missing(rt, writer, {f"QC-{p['person_id']}-renewal-{today.year}": p for p in page},
                                 "renewal", today, rule)
            issued, cards = issued + done.count, cards + done.cards
            writer.flush()
        # Every card of the chunk is printed, those issued by an earlier attempt too: the files are the same bytes.
        files = print_cards(rt, run_name(today), sorted(cards, key=lambda pc: pc[1]["certificate_id"]),
                            file_prefix=f"{chunk.number:04d}-")
        return {"applied": insured, "insured": insured, "issued": issued, "files": len(files)}

    def finish(self, rt: Runtime, job: Job, succeeded: bool) -> dict[str, Any]:
        summary = {"year": date.fromisoformat(job.params["today"]).year, "insured": job.counts.get("insured", 0),
                   "issued": job.counts.get("issued", 0), "rule": job.params["rule"],
                   "files": job.counts.get("files", 0)}
        rt.audit.append(AuditEvent("system", "batch.certificate-renewal", "success" if succeeded else "failure",
                                   target=str(summary["year"]),
                                   detail={k: str(v) for k, v in summary.items() if k != "year"} | {
                                       "job": job.job_id}))
        return summary


RENEWAL = Renewal()


def run_annual_renewal(rt: Runtime, today: date, progress: Callable[[Job], None] | None = None) -> dict[str, Any]:
    """Plan the renewal and run its chunks in this process (local mode, tests); returns the job's summary."""
    job = run_job_here(rt, RENEWAL, start(rt, RENEWAL, plan_renewal(rt, today)).job_id, progress)
    return {**job.summary, "files": run_files(rt, run_name(today)), "job_id": job.job_id, "state": job.state.value}
