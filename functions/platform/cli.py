"""Operator commands of the platform: `choju audit-log seal | verify | inspect` (PIA-III-2-c, III-8)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

from shared.domain.calendar import JST, iso_date
from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["AUDIT_LOG"]


def _configure(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="audit_command", required=True)
    commands.add_parser("seal", help="link every written event into the hash chain now and anchor a digest")
    verify = commands.add_parser("verify", help="check the chain against every digest; name what is wrong; "
                                                "store a digest when it is intact")
    verify.add_argument("--seal", action=argparse.BooleanOptionalAction, default=None,
                        help="seal written events first (default: in local mode only; in AWS the sealer does it)")
    inspection = commands.add_parser("inspect", help="self-inspection report of My Number access for a period")
    inspection.add_argument("--from", dest="first", required=True, type=iso_date,
                            help="YYYY-MM-DD (Japan time)")
    inspection.add_argument("--to", dest="last", required=True, type=iso_date,
                            help="YYYY-MM-DD, exclusive (Japan time)")
    inspection.add_argument("--format", choices=("md", "json"), default="md")
    inspection.add_argument("--output", type=Path, default=None)


def _seal(runtime: Runtime) -> int:
    from functions.platform.services.audit_chain import seal

    run = seal(runtime, timedelta(0), writer="operator")
    print(f"sealed {run.sealed} event(s); head is record {run.head.seq}, hash {run.head.hash}")
    if run.digest:
        print(f"digest stored under Object Lock: s3://{runtime.audit_digests.bucket}/{run.digest}")
    return 0


def _verify(runtime: Runtime, seal_first: bool) -> int:
    from functions.platform.services.audit_chain import anchor, seal, verify

    if seal_first:
        sealed = seal(runtime, timedelta(0), writer="verify").sealed
        print(f"sealed {sealed} written event(s) first", file=sys.stderr)
    print("verifying the audit log against its head and every digest …", file=sys.stderr)
    report = verify(runtime)
    if not report.ok:
        print(f"BROKEN: {len(report.findings) + report.omitted} finding(s) in {report.count} sealed records, "
              f"{report.digests} digests checked")
        for finding in report.findings:
            print(f"  [{finding.kind}] {finding.message}")
        if report.omitted:
            print(f"  … and {report.omitted} more")
        return 1
    print(f"OK: {report.count} records, latest hash {report.latest.hash}, checked against {report.digests} "
          f"digest(s)")
    if report.count and not runtime.audit_digests.exists(report.latest):
        key = anchor(runtime, report.latest, "verify")
        print(f"digest stored under Object Lock: s3://{runtime.audit_digests.bucket}/{key}")
    return 0


def _inspect(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.platform.rules.inspection import inspect, render_markdown

    since = datetime.combine(args.first, time(), JST)
    until = datetime.combine(args.last, time(), JST)
    if until <= since:
        print("--to must be after --from", file=sys.stderr)
        return 2
    from shared.adapters.transfer_ledger import TransferLedger

    rt = runtime()
    report = inspect(rt.audit.between(since, until), since, until,
                     rt.repository(TransferLedger).between(since, until))
    text = (render_markdown(report) if args.format == "md"
            else json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"written: {args.output}", file=sys.stderr)
    return 0


def _run(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    if args.audit_command == "seal":
        return _seal(runtime())
    if args.audit_command == "verify":
        rt = runtime()
        return _verify(rt, rt.settings.is_local if args.seal is None else args.seal)
    return _inspect(args, runtime)


AUDIT_LOG = Command(_configure, _run)
