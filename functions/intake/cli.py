"""Operator commands of the intake workflow: `choju import-resident-changes` and `choju reaching-75`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path

from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["IMPORT_RESIDENT_CHANGES", "REACHING_75"]


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--counterparty", required=True, help="e.g. jyuki-renkei (CP932) or jyuki-renkei-utf8")


def _run_import(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.services.resident_import import import_resident_path
    from shared.batch.progress import ProgressBar
    from shared.domain.errors import DomainError

    if not args.file.is_file():
        print(f"no such file: {args.file}", file=sys.stderr)
        return 2
    bar = ProgressBar()
    try:
        report = import_resident_path(runtime(), args.counterparty, args.file, staff_id="operator-cli", progress=bar)
    except DomainError as refused:
        print(f"refused: {refused.detail}", file=sys.stderr)
        return 1
    finally:
        bar.close()
    summary = asdict(report)
    rejects = summary.pop("rejects")
    print(" ".join(f"{k}={v}" for k, v in summary.items()))
    for reject in rejects:
        print(f"  reject row {reject['row']} {reject['field']}: {reject['reason']}")
    return 0 if report.status in ("applied", "already-applied") else 1


def _configure_reaching_75(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--apply", action="store_true", help="queue the events and record the certificates")


def _run_reaching_75(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.services.reaching_75 import people_reaching_75, run_reaching_75

    rt = runtime()
    if args.apply:
        from shared.batch.progress import ProgressBar

        bar = ProgressBar()
        result = run_reaching_75(rt, args.first, args.last, rt.clock().date(), progress=bar)
        bar.close()
        print(f"queued {result['queued']} events, issued {result['certificates_issued']} certificates "
              f"(job {result['job_id']}: {result['state']})")
    people = people_reaching_75(rt, args.first, args.last)
    for p in people:
        print(f"{p['person_id']}  {p['seventy_fifth_birthday']}  mail {p['certificate_mailing_month']}  {p['name']}")
    print(f"{len(people)} people reach 75 between {args.first} and {args.last}", file=sys.stderr)
    return 0


IMPORT_RESIDENT_CHANGES = Command(_configure_import, _run_import)
REACHING_75 = Command(_configure_reaching_75, _run_reaching_75)
