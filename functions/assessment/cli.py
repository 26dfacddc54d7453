"""Operator commands of the assessment workflow: `choju premium` (a 試算 from a household file), `choju
import-income`, `choju import-assessments`, `choju instalments` and `choju decision-notices` (the 本算定's print
run of 決定通知書)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["DECISION_NOTICES", "IMPORT_ASSESSMENTS", "IMPORT_INCOME", "INSTALMENTS", "PREMIUM"]


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


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--counterparty", required=True,
                        help="shiminzei-renkei (CP932) / shiminzei-renkei-utf8 for 所得; kouiki-rengo for 保険料情報")


def _importer(kind: str) -> Callable[[argparse.Namespace, Callable[[], Runtime]], int]:
    def run(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
        """Print the report (one line, then each reject); 0 when applied, 1 when refused, 2 for bad input."""
        from functions.assessment.services.income_import import import_income
        from functions.assessment.services.results_import import import_results
        from shared.domain.errors import DomainError

        if not args.file.is_file():
            return _fail(f"no such file: {args.file}")
        importer = import_income if kind == "income" else import_results
        try:
            report = importer(runtime(), args.counterparty, args.file.read_bytes(), "operator-cli")
        except DomainError as refused:
            return _fail(f"refused: {refused.detail}")
        summary = report.public()
        rejects, details = summary.pop("rejects"), summary.pop("summary")
        print(" ".join(f"{k}={v}" for k, v in {**summary, **details}.items()))
        for reject in rejects:
            print(f"  reject row {reject['row']} {reject['field']}: {reject['reason']}")
        return 0 if report.status in ("applied", "partially-applied", "already-applied") else 1
    return run


def _configure_instalments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fiscal-year", required=True, type=int, help="賦課年度")
    parser.add_argument("--person", required=True, help="宛名番号, e.g. P0000000001")


def _run_instalments(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    import re

    from functions.assessment.services.views import schedule_view
    from shared.domain.errors import DomainError
    from shared.domain.ids import PERSON_ID_PATTERN

    if not re.fullmatch(PERSON_ID_PATTERN, args.person):
        return _fail(f"{args.person!r} is not a 宛名番号 (P and 4 to 20 digits or capitals)")
    try:
        view = schedule_view(runtime(), args.person, args.fiscal_year)
    except DomainError as refused:
        return _fail(f"{refused.code}: {refused.detail}")
    print(json.dumps(view, ensure_ascii=False, indent=2))
    return 0


def _configure_decision_notices(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fiscal-year", required=True, type=int, help="賦課年度 of the 本算定, e.g. 2025")


def _run_decision_notices(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    """Run the print job here (local mode, or a deployed stack's job from an operator's shell): one line, then each
    file written. Running it again with the same results resumes the same job; a finished job prints nothing."""
    from functions.assessment.services.decision_run import run_decision_notices
    from shared.batch.progress import ProgressBar

    if not 2000 <= args.fiscal_year <= 2100:
        return _fail(f"{args.fiscal_year} is not a 賦課年度")
    rt = runtime()
    bar = ProgressBar()
    result = run_decision_notices(rt, args.fiscal_year, started_by="operator-cli", progress=bar)
    bar.close()
    print(f"{result.get('printed', 0)} notices for {result.get('persons', 0)} persons, "
          f"{result.get('skipped', 0)} without 期割 (job {result['job_id']}: {result['state']})")
    for key in result["files"]:
        print(f"printed: s3://{rt.bucket_name('documents')}/{key}")
    return 0 if result["state"] == "succeeded" else 1


PREMIUM = Command(_configure_premium, _run_premium)
IMPORT_INCOME = Command(_configure_import, _importer("income"))
IMPORT_ASSESSMENTS = Command(_configure_import, _importer("results"))
INSTALMENTS = Command(_configure_instalments, _run_instalments)
DECISION_NOTICES = Command(_configure_decision_notices, _run_decision_notices)
