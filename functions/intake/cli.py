"""Operator commands of the intake workflow: `choju import-resident-changes` and `choju reaching-75`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from shared.domain.calendar import iso_date
from shared.domain.errors import Invalid
from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["IMPORT_RESIDENT_CHANGES", "REACHING_75"]


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--counterparty", required=True, help="e.g. jyuki-renkei (CP932) or jyuki-renkei-utf8")


def _run_import(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.services.resident_import import import_resident_changes
    from shared.domain.errors import DomainError

    if args.file.is_dir():
        raise Invalid(f"{args.file} is a directory; give the 住基異動 file itself", code="validation-failed")
    if not args.file.is_file():
        raise Invalid(f"no such file: {args.file}", code="validation-failed")
    try:
        report = import_resident_changes(
            runtime(), args.counterparty, args.file.read_bytes(), staff_id="operator-cli",
            progress=lambda done, total: print(f"  applied {done}/{total} rows", file=sys.stderr))
    except DomainError as refused:
        print(f"refused: {refused.detail}", file=sys.stderr)
        return 1
    summary = asdict(report)
    rejects = summary.pop("rejects")
    print(" ".join(f"{k}={v}" for k, v in summary.items()))
    for reject in rejects:
        print(f"  reject row {reject['row']} {reject['field']}: {reject['reason']}")
    return 0 if report.status in ("applied", "already-applied") else 1


def _configure_reaching_75(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", required=True, type=iso_date, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, type=iso_date, help="YYYY-MM-DD")
    parser.add_argument("--apply", action="store_true", help="queue the events and record the certificates")


def _run_reaching_75(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.services.reaching_75 import people_reaching_75, run_reaching_75

    if args.last < args.first or (args.last - args.first).days > 366:
        raise Invalid("--to must follow --from within a year", code="invalid-period")
    rt = runtime()
    if args.apply:
        result = run_reaching_75(rt, args.first, args.last, rt.clock().date())
        people = result["people"]
        print(f"queued {result['queued']} events, issued {result['certificates_issued']} certificates")
        for key in result["files"]:
            print(f"printed: s3://{rt.bucket_name('documents')}/{key}")
    else:
        people = people_reaching_75(rt, args.first, args.last)
    for p in people:
        print(f"{p['person_id']}  {p['seventy_fifth_birthday']}  mail {p['certificate_mailing_month']}  {p['name']}")
    print(f"{len(people)} people reach 75 between {args.first} and {args.last}", file=sys.stderr)
    return 0


IMPORT_RESIDENT_CHANGES = Command(_configure_import, _run_import)
REACHING_75 = Command(_configure_reaching_75, _run_reaching_75)
