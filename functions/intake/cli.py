"""Operator commands of the intake workflow: `choju import-resident-changes`, `choju import-kouiki-results`,
`choju import-public-assistance`, `choju reaching-75` and, for local mode, `choju demo-data`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from shared.domain.calendar import iso_date
from shared.domain.errors import Invalid
from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["DEMO_DATA", "IMPORT_KOUIKI_RESULTS", "IMPORT_PUBLIC_ASSISTANCE", "IMPORT_RESIDENT_CHANGES",
           "KOUIKI_DISCREPANCIES", "REACHING_75"]


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--counterparty", required=True, help="e.g. jyuki-renkei (CP932) or jyuki-renkei-utf8")


def _run_import(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.services.resident_import import import_resident_path
    from shared.batch.progress import ProgressBar
    from shared.domain.errors import DomainError

    if args.file.is_dir():
        raise Invalid(f"{args.file} is a directory; give the 住基異動 file itself", code="validation-failed")
    if not args.file.is_file():
        raise Invalid(f"no such file: {args.file}", code="validation-failed")
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
    parser.add_argument("--from", dest="first", required=True, type=iso_date, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, type=iso_date, help="YYYY-MM-DD")
    parser.add_argument("--apply", action="store_true", help="queue the events and record the certificates")


def _run_reaching_75(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.services.reaching_75 import people_reaching_75, run_reaching_75

    if args.last < args.first or (args.last - args.first).days > 366:
        raise Invalid("--to must follow --from within a year", code="invalid-period")
    rt = runtime()
    if args.apply:
        from shared.batch.progress import ProgressBar

        bar = ProgressBar()
        result = run_reaching_75(rt, args.first, args.last, rt.clock().date(), progress=bar)
        bar.close()
        print(f"queued {result['queued']} events, issued {result['certificates_issued']} certificates "
              f"(job {result['job_id']}: {result['state']})")
        for key in result["files"]:
            print(f"printed: s3://{rt.bucket_name('documents')}/{key}")
    people = people_reaching_75(rt, args.first, args.last)
    for p in people:
        print(f"{p['person_id']}  {p['seventy_fifth_birthday']}  mail {p['certificate_mailing_month']}  {p['name']}")
    print(f"{len(people)} people reach 75 between {args.first} and {args.last}", file=sys.stderr)
    return 0


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--persons", type=int, required=True, help="insured persons to add, e.g. 300000")
    parser.add_argument("--rows", type=int, default=None, help="rows of the 住基異動 file (default: --persons)")
    parser.add_argument("--out", type=Path, default=Path(".choju/demo"), help="where the file is written")
    parser.add_argument("--encoding", choices=("cp932", "utf-8"), default="cp932",
                        help="cp932 for counterparty jyuki-renkei, utf-8 for jyuki-renkei-utf8")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same city")


def _run_demo(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.demo import change_rows, load_population, population, write_file

    if args.persons < 0 or (args.rows is not None and args.rows < 0):
        raise Invalid("--persons and --rows are counts (0 or more)", code="validation-failed")
    rt = runtime()
    if not rt.settings.is_local:
        raise Invalid("demo-data writes synthetic people: it runs only against local mode (start `choju local` "
                      "first)", code="validation-failed")
    today = rt.clock().date()
    loaded = load_population(rt, population(args.persons, today, args.seed),
                             lambda n: print(f"  {n} persons loaded", file=sys.stderr))
    args.out.mkdir(parents=True, exist_ok=True)
    rows = args.persons if args.rows is None else args.rows
    path = args.out / f"jyuki-{rows}-{args.encoding}.csv"
    write_file(path, change_rows(args.persons, rows, today, args.seed + 1), args.encoding)
    counterparty = "jyuki-renkei" if args.encoding == "cp932" else "jyuki-renkei-utf8"
    print(f"{loaded} synthetic insured persons loaded; a 住基異動 file of {rows} rows: {path}")
    print(f"import it: choju import-resident-changes {path} --counterparty {counterparty}")
    return 0


def _configure_kouiki(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a 被保険者情報 file of the 広域連合 (docs/intake.md)")


def _import_fixed_file(args: argparse.Namespace, runtime: Callable[[], Runtime],
                       importer: Callable[..., Any]) -> int:
    """Apply a fixed-layout counterparty file; a refused file prints every record error (exit 1)."""
    from shared.domain.fixed_width import FileRejected

    if not args.file.is_file():
        raise Invalid(f"no such file: {args.file}", code="validation-failed")
    try:
        report = importer(runtime(), args.file.read_bytes(), staff_id="operator-cli")
    except FileRejected as refused:
        print(f"refused: {refused.detail}", file=sys.stderr)
        for error in refused.record_errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(" ".join(f"{k}={v}" for k, v in asdict(report).items() if k != "errors"))
    return 0 if report.status in ("applied", "already-applied") else 1


def _run_kouiki(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.services.kouiki_import import import_kouiki_results

    return _import_fixed_file(args, runtime, import_kouiki_results)


def _configure_assistance(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a 生活保護 異動 file of the 保護課 (docs/intake.md)")


def _run_assistance(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.services.assistance_import import import_public_assistance

    return _import_fixed_file(args, runtime, import_public_assistance)


def _configure_discrepancies(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", choices=("open", "resolved"), default="open")
    parser.add_argument("--limit", type=int, default=100)


def _run_discrepancies(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.intake.services.discrepancies import discrepancy_page

    found, _ = discrepancy_page(runtime(), args.status, max(1, min(args.limit, 500)), None)
    for d in found:
        print(f"{d['discrepancy_id']}  {d['person_id']}  {d['label']}  city={d['city_value'] or '-'}  "
              f"広域連合={d['kouiki_value'] or '-'}  ({d['basis']})")
    print(f"{len(found)} {args.status} discrepancies", file=sys.stderr)
    return 0


IMPORT_KOUIKI_RESULTS = Command(_configure_kouiki, _run_kouiki)
IMPORT_PUBLIC_ASSISTANCE = Command(_configure_assistance, _run_assistance)
KOUIKI_DISCREPANCIES = Command(_configure_discrepancies, _run_discrepancies)
IMPORT_RESIDENT_CHANGES = Command(_configure_import, _run_import)
REACHING_75 = Command(_configure_reaching_75, _run_reaching_75)
DEMO_DATA = Command(_configure_demo, _run_demo)
