"""Batch entry points of the intake workflow (jobs, triggers and queues declared in functions/intake/workflow.py).

Each trigger plans its job and sends the chunks to the job's queue; the `*_chunks` handlers are the queues'
workers. Given a runtime (local mode, tests), a trigger also runs the chunks in this process, through the same
worker, as the SQS event source mapping would in AWS, and returns the finished job's result.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any
from urllib.parse import unquote_plus

from functions.intake.services.assistance_import import COUNTERPARTY as ASSISTANCE
from functions.intake.services.assistance_import import import_public_assistance
from functions.intake.services.certificates import RENEWAL, plan_renewal, run_annual_renewal
from functions.intake.services.kouiki_import import KOUIKI_IMPORT, import_kouiki_file, is_results_key
from functions.intake.services.kouiki_import import report_of as _kouiki_report
from functions.intake.services.reaching_75 import REACHING_75, plan_reaching_75, run_reaching_75
from functions.intake.services.resident_import import IMPORT, import_resident_file, run_import_here
from shared.batch import Job, start
from shared.batch.inbound import import_each
from shared.batch.local import run_job_here
from shared.batch.worker import chunk_worker
from shared.domain.calendar import date_in_japan
from shared.domain.counterparties import COUNTERPARTIES, KOUIKI_RENGO, UnknownCounterparty
from shared.observability import instrumented
from shared.runtime import Runtime, default_runtime

__all__ = ["annual_certificate_renewal", "certificate_renewal_chunks", "counterparty_of", "daily_reaching_75",
           "kouiki_results_chunks", "kouiki_results_files", "on_inbound_file", "reaching_75_chunks",
           "resident_import_chunks"]

resident_import_chunks = instrumented(chunk_worker(IMPORT))
certificate_renewal_chunks = instrumented(chunk_worker(RENEWAL))
reaching_75_chunks = instrumented(chunk_worker(REACHING_75))
kouiki_results_chunks = instrumented(chunk_worker(KOUIKI_IMPORT))


def counterparty_of(key: str) -> str:
    """inbound/<counterparty>/<file name> → counterparty code."""
    parts = key.split("/")
    if len(parts) < 3 or parts[0] != "inbound" or parts[1] not in COUNTERPARTIES:
        raise UnknownCounterparty(f"{key!r} is not under a registered counterparty's inbound prefix")
    return parts[1]


def _today(event: dict[str, Any], rt: Runtime) -> date:
    """The run's date in Japan; an operator may give `today` to re-run a past day."""
    return date.fromisoformat(event["today"]) if event.get("today") else date_in_japan(rt.clock())


def _started(job: Job) -> dict[str, Any]:
    return {"job_id": job.job_id, "state": job.state.value, "chunks": job.chunks_total}


@instrumented
def on_inbound_file(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """S3 ObjectCreated under inbound/<counterparty>/: validate each file and start its import (住基異動 files on
    the batch framework; the 福祉 department's 生活保護 file applied here)."""
    rt = runtime or default_runtime()

    def import_one(key: str) -> dict[str, Any]:
        counterparty = counterparty_of(key)
        if counterparty == ASSISTANCE:  # the 福祉 department's 生活保護 file: small, applied in this invocation
            applied = import_public_assistance(rt, rt.objects("exchange").get(key), stored=True)
            return {k: v for k, v in asdict(applied).items() if k != "errors"}
        report = import_resident_file(rt, counterparty, key)
        if runtime is not None and report.status == "running":
            report = run_import_here(rt, report)
        return {k: v for k, v in asdict(report).items() if k != "rejects"}

    keys = [unquote_plus(r["s3"]["object"]["key"]) for r in event.get("Records", [])]
    # the 広域連合's 被保険者情報: kouiki_results_files takes it
    return {"files": import_each([k for k in keys if not is_results_key(k)], import_one, "inbound file")}


@instrumented
def kouiki_results_files(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """Every 被保険者情報 file under inbound/kouiki-rengo/: validated whole and its job started (a file applied
    before answers `already-applied`; a refused one is refused again, recorded and audited)."""
    rt = runtime or default_runtime()

    def import_one(key: str) -> dict[str, Any] | None:
        report = import_kouiki_file(rt, key)
        if runtime is not None and report.status == "running" and report.job_id:
            report = _kouiki_report(run_job_here(rt, KOUIKI_IMPORT, report.job_id))
        return None if report.status == "already-applied" else {"status": report.status, "job_id": report.job_id}

    keys = [s.key for s in rt.objects("exchange").list(f"inbound/{KOUIKI_RENGO}/") if is_results_key(s.key)]
    return {"files": import_each(keys, import_one, "kouiki file")}


@instrumented
def daily_reaching_75(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """Next month's 75th birthdays: certificates are mailed the month before, events go to the 広域連合."""
    rt = runtime or default_runtime()
    today = _today(event, rt)
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if runtime is None:
        return _started(start(rt, REACHING_75, plan_reaching_75(first, last, today)))
    return run_reaching_75(rt, first, last, today)


@instrumented
def annual_certificate_renewal(event: dict[str, Any], context: Any, runtime: Runtime | None = None) -> dict[str, Any]:
    """July: the 資格確認書 of the coming 8/1 for every insured person the certificate rule covers."""
    rt = runtime or default_runtime()
    if runtime is None:
        return _started(start(rt, RENEWAL, plan_renewal(rt, _today(event, rt))))
    return run_annual_renewal(rt, _today(event, rt))
