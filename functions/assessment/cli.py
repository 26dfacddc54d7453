"""Operator commands of the assessment workflow: `choju premium` (a 試算 from a household file)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["PREMIUM"]


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _configure_premium(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fiscal-year", required=True, type=int, help="賦課年度, e.g. 2025 for 令和7年度")
    parser.add_argument("--household", required=True, type=Path, help='JSON: {"members": [{"id": …}]}')


def _run_premium(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    """Print the 試算 as JSON; bad input is one line on stderr and exit status 2. Needs no AWS."""
    from pydantic import ValidationError

    from functions.assessment.rules.premium import calculate
    from functions.assessment.schemas import HouseholdIn, first_error
    from shared.domain.errors import DomainError

    try:
        raw = json.loads(args.household.read_text("utf-8"))
    except OSError as error:
        return _fail(f"cannot read {args.household}: {error.strerror}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return _fail(f"{args.household} is not UTF-8 JSON: {error}")
    try:
        household = HouseholdIn.model_validate(raw)
    except ValidationError as error:
        return _fail(f"invalid household: {first_error(error)}")
    if household.fiscal_year and household.fiscal_year != args.fiscal_year:
        return _fail(f"the file is for fiscal year {household.fiscal_year}, not {args.fiscal_year}")
    try:
        result = calculate(args.fiscal_year, household.members_for_rules())
    except DomainError as refused:
        return _fail(f"refused: {refused.detail}")
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    return 0


PREMIUM = Command(_configure_premium, _run_premium)
