"""Operator commands of the collection workflow: `choju late-fee`, `choju collection-import`, `choju collection-run`.

Bad input is one line on stderr and exit 2; a rejected file lists its errors (record, byte, field) and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["IMPORT", "LATE_FEE", "RUN"]


def _one_line_errors(parser: argparse.ArgumentParser) -> None:
    """argparse prints the usage and exits 2; an operator's script wants one line it can log."""

    def error(message: str) -> NoReturn:
        print(f"{parser.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)

    parser.error = error  # type: ignore[method-assign]


def _yen(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of yen (digits only)")
    return int(text)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _payment(text: str) -> tuple[date, int]:
    day, _, amount = text.partition(":")
    return _day(day), _yen(amount)


def _configure_late_fee(parser: argparse.ArgumentParser) -> None:
    _one_line_errors(parser)
    parser.add_argument("--principal", required=True, type=_yen, help="期別保険料額, yen")
    parser.add_argument("--due", required=True, type=_day, help="納期限 YYYY-MM-DD")
    parser.add_argument("--paid", required=True, type=_day, help="the day the rest is paid, YYYY-MM-DD")
    parser.add_argument("--payment", action="append", default=[], type=_payment, metavar="DATE:AMOUNT",
                        help="a partial payment (repeat for several)")


def _run_late_fee(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.collection.rules.late_fee import Payment, late_fee
    from shared.domain.errors import DomainError

    try:
        result = late_fee(args.principal, args.due, args.paid, [Payment(d, a) for d, a in args.payment])
    except DomainError as invalid:
        print(f"choju late-fee: {invalid.detail}", file=sys.stderr)
        return 2
    print(json.dumps(result.as_json(), ensure_ascii=False))
    return 0


KINDS = ("payments", "debit-results", "pension-targets", "pension-results")
JOBS = ("schedules", "settle", "dunning", "debit-request", "refund-file", "write-off-candidates", "extracts",
        "pension-request")


def _configure_import(parser: argparse.ArgumentParser) -> None:
    _one_line_errors(parser)
    parser.add_argument("file", type=Path)
    parser.add_argument("--counterparty", required=True, help="shitei-kinyu, cvs-agent or kokuhoren")
    parser.add_argument("--kind", required=True, choices=KINDS)


def _run_import(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.collection.services.imports import apply_file
    from shared.domain.errors import DomainError
    from shared.domain.fixed_width import FileRejected

    if not args.file.is_file():
        print(f"choju collection-import: no such file: {args.file}", file=sys.stderr)
        return 2
    try:
        run = apply_file(runtime(), args.counterparty, args.kind, args.file.read_bytes(), "operator-cli")
    except FileRejected as rejected:
        print(f"rejected: {rejected.detail}", file=sys.stderr)
        for error in rejected.record_errors[:50]:
            print(f"  {error}", file=sys.stderr)
        return 1
    except DomainError as refused:
        print(f"choju collection-import: {refused.detail}", file=sys.stderr)
        return 2
    print(json.dumps({k: v for k, v in run.summary().items() if k != "rejects"}, ensure_ascii=False))
    return 0


def _configure_run(parser: argparse.ArgumentParser) -> None:
    _one_line_errors(parser)
    parser.add_argument("job", choices=JOBS)
    parser.add_argument("--date", type=_day, default=None, help="the run's day (default: today in Japan)")
    parser.add_argument("--debit-date", type=_day, help="debit-request: the 振替日 (the 納期限 debited)")
    parser.add_argument("--transfer-date", type=_day, help="refund-file: the 振込指定日")
    parser.add_argument("--fiscal-year", type=int, help="pension-request: the 年度")


def _run_run(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.collection.services import debits, dunning, extracts, limitation, pension, refunds, settle, store
    from shared.domain.calendar import date_in_japan
    from shared.domain.errors import DomainError

    needed = {"debit-request": "debit_date", "refund-file": "transfer_date", "pension-request": "fiscal_year"}
    if args.job in needed and getattr(args, needed[args.job]) is None:
        print(f"choju collection-run: {args.job} needs --{needed[args.job].replace('_', '-')}", file=sys.stderr)
        return 2
    rt = runtime()
    day = args.date or date_in_japan(rt.clock())
    jobs: dict[str, Callable[[], Any]] = {
        "schedules": lambda: store.take_all_schedules(rt),
        "settle": lambda: settle.settle(rt, day),
        "dunning": lambda: dunning.run_dunning(rt, day).as_json(),
        "debit-request": lambda: debits.write_debit_request(rt, args.debit_date, day, "operator-cli"),
        "refund-file": lambda: refunds.write_refund_file(rt, args.transfer_date, day, "operator-cli").__dict__,
        "write-off-candidates": lambda: limitation.write_off_candidates(rt, day),
        "extracts": lambda: extracts.write_daily_extracts(rt, day),
        "pension-request": lambda: pension.write_pension_request(rt, args.fiscal_year, day, "operator-cli"),
    }
    try:
        result = jobs[args.job]()
    except DomainError as refused:
        print(f"choju collection-run: {refused.detail}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


LATE_FEE = Command(_configure_late_fee, _run_late_fee)
IMPORT = Command(_configure_import, _run_import)
RUN = Command(_configure_run, _run_run)
