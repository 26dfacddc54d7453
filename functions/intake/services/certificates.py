"""資格確認書 issuance records, what a counter terminal prints, and the yearly renewal as a chunked job with its
printed cards.

The renewal (run in July for the cards of the coming 8/1) reads the persons table in parallel-scan segments, one
segment per chunk; each chunk reads which of its certificates exist (BatchGetItem), writes the missing ones
(BatchWriteItem) and prints the chunk's cards from the records in hand into its own files. Certificate ids are
derived from the person and the year and the PDFs are deterministic, so a re-run, of the job or of one chunk,
issues nothing twice and rewrites the same files.

A person whose 住所 is outside the city without a 住所地特例 reason (rules.certificates.renewal_withheld) is not
issued a card nor printed: the chunk lists them with the reason in its own report (`reports/certificate-renewal/
<job>/<chunk>-withheld.json` in the exchange bucket, person ids and reasons only), and the job's summary gathers
the lists.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

from functions.intake.rules.certificates import (
    CertificateRule,
    Reason,
    effective_from,
    receives_certificate,
    renewal_withheld,
    renewal_year_start,
    valid_until,
)
from functions.intake.services.certificate_print import print_cards, run_files
from functions.intake.workflow import WITHHELD_PREFIX
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
                "eligibility_acquired_on", "has_myna_insurance_card", "copayment_ratio", "limit_class",
                "resident_status", "special_address_insurer", "special_address_from", "special_address_until")


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def certificate_values(person: dict[str, Any], reason: Reason, issued_on: date, covers: date | None = None,
                       changed_on: date | None = None, insurer_number: str | None = None) -> dict[str, Any]:
    """An issuance record: the card's items (被保険者番号, 保険者番号, 一部負担金の割合, 交付年月日 = `issued_on`,
    発効期日, 有効期限, 限度額区分 where one applies) and the print data; no My Number (the card has none).
    `covers` is a day of the card year it is for (default: the day of issue); its 発効期日 is that year's 8/1,
    the 資格取得日 or `changed_on` (rules.certificates.effective_from), never the print date."""
    start = effective_from(covers or issued_on, _day(person.get("eligibility_acquired_on")), changed_on)
    until = valid_until(start)
    ratio = person.get("copayment_ratio")
    items = {"insured_number": person.get("insured_number"), "insurer_number": insurer_number,
             "copayment_ratio": ratio, "limit_class": person.get("limit_class")}
    return {
        "person_id": person["person_id"], "reason": reason, "issued_on": issued_on.isoformat(),
        "valid_from": start.isoformat(), "valid_until": until.isoformat(),
        **{k: v for k, v in items.items() if v is not None},
        "print": {"insurer": INSURER, "insured_number": person.get("insured_number"), "name": person.get("name"),
                  "name_kana": person.get("name_kana"), "birth_date": person.get("birth_date"),
                  "sex": person.get("sex"), "address": person.get("address"), "valid_until": until.isoformat(),
                  **({"copayment": ratio} if ratio else {})},
    }


def new_certificate_id() -> str:
    return new_id("QC")


def issue_missing(rt: Runtime, writer: BatchWriter, wanted: Mapping[str, dict[str, Any]], reason: Reason,
                  today: date, rule: CertificateRule, starts: Mapping[str, date] | None = None) -> Issued:
    """Queue (in `writer`) a certificate for each id -> person of `wanted` that the rule gives one and that
    does not exist yet, effective from `starts[id]` when given (a 75歳到達 card: the birthday; a renewal: 8/1)
    or later acquisition; the rule is judged on each card's 発効期日. One BatchGetItem per 100 ids reads those
    that exist; the result holds every due card, old and new, ready to print."""
    starts = starts or {}

    def effective(cid: str, person: dict[str, Any]) -> date:
        return effective_from(starts.get(cid, today), _day(person.get("eligibility_acquired_on")), starts.get(cid))

    due = {cid: p for cid, p in wanted.items()
           if receives_certificate(effective(cid, p), bool(p.get("has_myna_insurance_card")), rule)}
    existing = {c["certificate_id"]: c for c in rt.batch_get("certificates", [{"certificate_id": c} for c in due])}
    table, cards, issued = rt.table_name("certificates"), [], 0
    for certificate_id, person in due.items():
        certificate = existing.get(certificate_id)
        if certificate is None:
            certificate = {"certificate_id": certificate_id, "version": 1,
                           **certificate_values(person, reason, today, starts.get(certificate_id),
                                                 starts.get(certificate_id), rt.settings.insurer_number)}
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
    return f"renewal-{renewal_year_start(today).year}"


def plan_renewal(rt: Runtime, today: date, started_by: str = "system") -> Plan:
    """One chunk per scan segment, sized from the table's item count; a new job each run (the certificates,
    not the job, make it idempotent)."""
    persons = rt.records("persons")
    segments = max(1, math.ceil(persons.approximate_count() / PERSONS_PER_CHUNK))
    return Plan(new_id(f"certificate-renewal-{renewal_year_start(today).year}-", 8), KIND, QUEUE,
                [[{"segment": s, "segments": segments} for s in range(segments)]],
                params={"today": today.isoformat(), "rule": rt.settings.certificate_rule}, started_by=started_by)


class Renewal:
    """The chunks of the yearly 資格確認書 renewal."""

    name, queue = KIND, QUEUE

    def apply(self, rt: Runtime, job: Job, chunk: Chunk) -> dict[str, int]:
        today, rule = date.fromisoformat(job.params["today"]), job.params["rule"]
        year = renewal_year_start(today)  # run in July: the cards of the coming 8/1
        insured = issued = notices = 0
        cards: list[tuple[dict[str, Any], dict[str, Any]]] = []
        withheld: list[dict[str, str]] = []
        writer = rt.batch_writer()
        for page in rt.records("persons").scan_segment(chunk.spec["segment"], chunk.spec["segments"],
                                                        "eligibility_status", "insured", PRINT_FIELDS):
            insured += len(page)
            mailed = []
            for p in page:
                reason = renewal_withheld(p, rt.settings.city_name, year)
                if reason:
                    withheld.append({"person_id": p["person_id"], "reason": reason})
                else:
                    mailed.append(p)
            wanted = {f"QC-{p['person_id']}-renewal-{year.year}": p for p in mailed}
            done = issue_missing(rt, writer, wanted, "renewal", today, rule, starts=dict.fromkeys(wanted, year))
            issued, cards = issued + done.count, cards + done.cards
            notices += len(wanted) - len(done.cards)  # マイナ保険証 holders: 資格情報のお知らせ instead
            writer.flush()
        # Every card of the chunk is printed, those issued by an earlier attempt too: the files are the same bytes.
        files = print_cards(rt, run_name(today), sorted(cards, key=lambda pc: pc[1]["certificate_id"]),
                            file_prefix=f"{chunk.number:04d}-")
        if withheld:
            rt.objects("exchange").put(_withheld_key(job.job_id, chunk.number),
                                       json.dumps(sorted(withheld, key=lambda w: w["person_id"]),
                                                  ensure_ascii=False).encode("utf-8"), "application/json")
        return {"applied": insured, "insured": insured, "issued": issued, "information_notices": notices,
                "files": len(files), "withheld": len(withheld)}

    def finish(self, rt: Runtime, job: Job, succeeded: bool) -> dict[str, Any]:
        year = renewal_year_start(date.fromisoformat(job.params["today"])).year
        summary = {"year": year, "insured": job.counts.get("insured", 0),
                   "information_notices": job.counts.get("information_notices", 0),
                   "issued": job.counts.get("issued", 0), "rule": job.params["rule"],
                   "files": job.counts.get("files", 0), "withheld": job.counts.get("withheld", 0)}
        rt.audit.append(AuditEvent("system", "batch.certificate-renewal", "success" if succeeded else "failure",
                                   target=str(summary["year"]),
                                   detail={k: str(v) for k, v in summary.items() if k != "year"} | {
                                       "job": job.job_id}))
        return {**summary, "withheld_persons": _withheld(rt, job.job_id)}


RENEWAL = Renewal()


def _withheld_key(job_id: str, chunk: int) -> str:
    return f"{WITHHELD_PREFIX}{job_id}/{chunk:04d}-withheld.json"


def _withheld(rt: Runtime, job_id: str) -> list[dict[str, str]]:
    """Every person the run withheld, with the reason, from its chunks' reports (person ids only)."""
    store = rt.objects("exchange")
    found = [w for stored in store.list(f"{WITHHELD_PREFIX}{job_id}/") for w in json.loads(store.get(stored.key))]
    return sorted(found, key=lambda w: w["person_id"])


def run_annual_renewal(rt: Runtime, today: date, progress: Callable[[Job], None] | None = None) -> dict[str, Any]:
    """Plan the renewal and run its chunks in this process (local mode, tests); returns the job's summary."""
    job = run_job_here(rt, RENEWAL, start(rt, RENEWAL, plan_renewal(rt, today)).job_id, progress)
    return {**job.summary, "files": run_files(rt, run_name(today)), "job_id": job.job_id, "state": job.state.value}
