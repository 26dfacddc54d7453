"""資格確認書 issuance records, what a counter terminal prints, and the yearly renewal as a chunked job.

The renewal (8/1) reads the persons table in parallel-scan segments, one segment per chunk; each chunk looks
up which of its certificates exist (BatchGetItem) and writes the missing ones (BatchWriteItem). Certificate ids
are derived from the person and the year, so a re-run, of the job or of one chunk, issues nothing twice.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from functions.intake.rules.certificates import CertificateRule, Reason, receives_certificate, valid_until
from shared.adapters.audit_log import AuditEvent
from shared.adapters.batch_io import BatchWriter
from shared.batch import Chunk, Job, Plan, start
from shared.batch.local import run_job_here
from shared.domain.counterparties import COUNTERPARTIES, KOUIKI_RENGO
from shared.domain.ids import new_id
from shared.runtime import Runtime

__all__ = ["RENEWAL", "Renewal", "certificate_values", "issue_missing", "new_certificate_id", "plan_renewal",
           "run_annual_renewal"]

INSURER = COUNTERPARTIES[KOUIKI_RENGO].name
# ~5,000 persons a chunk: a few scan pages, 50 BatchGetItem and up to 200 BatchWriteItem requests.
PERSONS_PER_CHUNK = 5000
# What a certificate prints and the rule needs; the scan reads nothing else (never the sealed My Number).
PRINT_FIELDS = ("person_id", "insured_number", "name", "name_kana", "birth_date", "sex", "address",
                "has_myna_insurance_card")


def certificate_values(person: dict[str, Any], reason: Reason, issued_on: date) -> dict[str, Any]:
    """An issuance record: reason, validity and the print data (no My Number: the card does not carry it)."""
    until = valid_until(issued_on)
    return {
        "person_id": person["person_id"], "reason": reason, "issued_on": issued_on.isoformat(),
        "valid_from": issued_on.isoformat(), "valid_until": until.isoformat(),
        "print": {"insurer": INSURER, "insured_number": person.get("insured_number"), "name": person.get("name"),
                  "name_kana": person.get("name_kana"), "birth_date": person.get("birth_date"),
                  "sex": person.get("sex"), "address": person.get("address"), "valid_until": until.isoformat()},
    }


def new_certificate_id() -> str:
    return new_id("QC")


def issue_missing(rt: Runtime, writer: BatchWriter, wanted: dict[str, dict[str, Any]], reason: Reason,
                  today: date, rule: CertificateRule) -> int:
    """Queue (in `writer`) a certificate for each id -> person of `wanted` that the rule gives one and that
    does not exist yet; returns how many. One BatchGetItem per 100 ids tells which exist."""
    due = {cid: p for cid, p in wanted.items()
           if receives_certificate(today, bool(p.get("has_myna_insurance_card")), rule)}
    existing = {c["certificate_id"] for c in rt.batch_get("certificates", [{"certificate_id": c} for c in due],
                                                          projection=("certificate_id",))}
    table = rt.table_name("certificates")
    for certificate_id, person in due.items():
        if certificate_id not in existing:
            writer.put(table, {"certificate_id": certificate_id, "version": 1,
                               **certificate_values(person, reason, today)})
    return len(due) - len(existing)


# --- the yearly renewal ------------------------------------------------------------------------------------------

KIND, QUEUE = "certificate-renewal", "certificate-renewal-chunks"


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
        writer = rt.batch_writer()
        for page in rt.records("persons").scan_segment(chunk.spec["segment"], chunk.spec["segments"],
                                                        "eligibility_status", "insured", PRINT_FIELDS):
            insured += len(page)
            issued += issue_missing(rt, writer, {f"QC-{p['person_id']}-renewal-{today.year}": p for p in page},
                                    "renewal", today, rule)
            writer.flush()
        return {"applied": insured, "insured": insured, "issued": issued}

    def finish(self, rt: Runtime, job: Job, succeeded: bool) -> dict[str, Any]:
        summary = {"year": date.fromisoformat(job.params["today"]).year, "insured": job.counts.get("insured", 0),
                   "issued": job.counts.get("issued", 0), "rule": job.params["rule"]}
        rt.audit.append(AuditEvent("system", "batch.certificate-renewal", "success" if succeeded else "failure",
                                   target=str(summary["year"]),
                                   detail={k: str(v) for k, v in summary.items() if k != "year"} | {
                                       "job": job.job_id}))
        return summary


RENEWAL = Renewal()


def run_annual_renewal(rt: Runtime, today: date, progress: Callable[[Job], None] | None = None) -> dict[str, Any]:
    """Plan the renewal and run its chunks in this process (local mode, tests); returns the job's summary."""
    job = run_job_here(rt, RENEWAL, start(rt, RENEWAL, plan_renewal(rt, today)).job_id, progress)
    return {**job.summary, "job_id": job.job_id, "state": job.state.value}
