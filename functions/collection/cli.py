"""Operator commands of the collection workflow (`choju late-fee`, …). Bad input is one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import NoReturn

from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["LATE_FEE"]


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


LATE_FEE = Command(_configure_late_fee, _run_late_fee)
