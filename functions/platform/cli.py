"""Operator commands of the platform: `choju audit-log verify` and `choju audit-log inspect`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, time
from pathlib import Path

from shared.domain.calendar import JST, iso_date
from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["AUDIT_LOG"]


def _configure(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="audit_command", required=True)
    commands.add_parser("verify", help="walk the hash chain, report the first broken link, store a digest")
    inspection = commands.add_parser("inspect", help="self-inspection report of My Number access for a period")
    inspection.add_argument("--from", dest="first", required=True, type=iso_date,
                            help="YYYY-MM-DD (Japan time)")
    inspection.add_argument("--to", dest="last", required=True, type=iso_date,
                            help="YYYY-MM-DD, exclusive (Japan time)")
    inspection.add_argument("--format", choices=("md", "json"), default="md")
    inspection.add_argument("--output", type=Path, default=None)


def _verify(runtime: Runtime) -> int:
    print("verifying the audit-log hash chain …", file=sys.stderr)
    report = runtime.audit.verify()
    if not report.ok:
        print(f"BROKEN at record {report.broken_at}: {report.reason} ({report.count} records verified before it)")
        return 1
    key = runtime.audit_digests.write(report, runtime.clock().astimezone(UTC))
    print(f"OK: {report.count} records, latest hash {report.latest_hash}")
    print(f"digest stored under Object Lock: s3://{runtime.audit_digests.bucket}/{key}")
    return 0


def _inspect(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.platform.rules.inspection import inspect, render_markdown

    since = datetime.combine(args.first, time(), JST)
    until = datetime.combine(args.last, time(), JST)
    if until <= since:
        print("--to must be after --from", file=sys.stderr)
        return 2
    report = inspect(runtime().audit.records(), since, until)
    text = (render_markdown(report) if args.format == "md"
            else json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"written: {args.output}", file=sys.stderr)
    return 0


def _run(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    return _verify(runtime()) if args.audit_command == "verify" else _inspect(args, runtime)


AUDIT_LOG = Command(_configure, _run)
