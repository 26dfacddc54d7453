"""Operator commands of the transfer workflow: `choju transfer run | due | list | ledger | import-ack`.

`run` sends one period of one job by hand (an identical re-run sends nothing and says "not-resent"); `due` does
what the schedule does (every missed period in order, then corrections); `ledger` prints the ledger for auditors.
Refusals print the problem's code and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

from shared.domain.calendar import JST, date_in_japan, iso_date
from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["TRANSFER"]

OPERATOR = "operator-cli"


def _configure(parser: argparse.ArgumentParser) -> None:
    from functions.transfer.rules.jobs import JOBS

    names = [j.name for j in JOBS]
    commands = parser.add_subparsers(dest="transfer_command", required=True)
    run = commands.add_parser("run", help="send one period of a job (the period holding --date)")
    run.add_argument("--job", required=True, choices=names)
    run.add_argument("--date", required=True, type=iso_date, help="YYYY-MM-DD (Japan time)")
    due = commands.add_parser("due", help="send every ended period not yet sent, oldest first, then corrections")
    due.add_argument("--job", required=True, choices=names)
    commands.add_parser("list", help="the jobs: recipient, frequency, schedule, layout, fields")
    ledger = commands.add_parser("ledger", help="the transfer ledger for a period (auditors)")
    ledger.add_argument("--from", dest="first", required=True, type=iso_date, help="YYYY-MM-DD (Japan time)")
    ledger.add_argument("--to", dest="last", required=True, type=iso_date, help="YYYY-MM-DD, inclusive")
    ack = commands.add_parser("import-ack", help="import a 受付結果 file; rejected rows are queued to resend")
    ack.add_argument("file", type=Path)
    ack.add_argument("--job", required=True, choices=names)
    ack.add_argument("--period", required=True, help="the period of the file it answers, e.g. 2026-11-27")


def _print_result(result: dict[str, object]) -> None:
    print(" ".join(f"{k}={v}" for k, v in result.items() if v is not None))


def _list() -> int:
    from functions.transfer.rules.jobs import JOBS

    for j in JOBS:
        print(f"{j.name:<24} → {j.recipient:<13} {j.frequency:<8} {j.layout}/{j.encoding:<6} {j.schedule_note}")
        print(f"{'':<24}   fields: {', '.join(j.fields)}")
    return 0


def _ledger(args: argparse.Namespace, rt: Runtime) -> int:
    from shared.adapters.transfer_ledger import TransferLedger

    since = datetime.combine(args.first, time(), JST)
    until = datetime.combine(args.last + timedelta(days=1), time(), JST)
    for e in rt.repository(TransferLedger).between(since, until):
        print(f"{e['recorded_at']}  {e['job']:<24} {e['period']:<14} {e['result']:<10} rows={e.get('rows', 0)} "
              f"omitted={e.get('omitted', 0)} approval={e.get('approval_id', '-')} by={e['run_by']} "
              f"sha256={e.get('checksum', '-')} {e.get('reason', '')}".rstrip())
    return 0


def _run(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.transfer.rules.jobs import job as job_named
    from shared.domain.errors import DomainError

    if args.transfer_command == "list":
        return _list()
    rt = runtime()
    if args.transfer_command == "ledger":
        return _ledger(args, rt)
    job = job_named(args.job)
    assert job is not None
    today = date_in_japan(rt.clock())
    try:
        if args.transfer_command == "run":
            from functions.transfer.services.catch_up import run_by_hand

            _print_result(run_by_hand(rt, job, args.date, today, OPERATOR, "cli").as_dict())
        elif args.transfer_command == "due":
            from functions.transfer.batch import scheduled_run

            report = scheduled_run(job.name, {"today": today.isoformat(), "id": "cli"}, rt)
            for r in report["runs"] + ([report["correction"]] if report["correction"] else []):
                _print_result(r)
            return 1 if any(r["result"] == "refused" for r in report["runs"]) else 0
        else:
            from functions.transfer.services.acks import import_ack

            if not args.file.is_file():
                print(f"refused: no such file: {args.file}", file=sys.stderr)
                return 1
            _print_result(import_ack(rt, job, args.period, args.file.read_bytes(), OPERATOR, "cli").as_dict())
    except DomainError as refused:
        print(f"refused: {refused.code}: {refused.detail}", file=sys.stderr)
        return 1
    return 0


TRANSFER = Command(_configure, _run)
