"""`choju deletion plan --as-of DATE | run RUN_ID | certificates [--print RUN_ID --output F]` (PIA-III-7-e).

`plan` shows what a run would erase (counts per class, the reason, what holds keep out); `run` carries an approved
run on from where it stopped (safe to repeat after a crash); `certificates` lists the 廃棄証明書 under Object Lock,
and with `--print` renders one for printing through the notices mechanism (docs/notices.md).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from shared.domain.calendar import iso_date
from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["DELETION"]


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    plan = sub.add_parser("plan", help="what a run on a day would erase")
    plan.add_argument("--as-of", dest="as_of", required=True, type=iso_date, help="YYYY-MM-DD")
    run = sub.add_parser("run", help="carry an approved run on (resumes after a crash)")
    run.add_argument("run_id")
    certificates = sub.add_parser("certificates", help="every 廃棄証明書 stored under Object Lock; or print one")
    certificates.add_argument("--print", dest="print_run", metavar="RUN_ID", help="a run's 廃棄証明書 as a PDF")
    certificates.add_argument("--output", help="where the PDF goes (default RUN_ID.pdf)")
    certificates.add_argument("--purpose", default="廃棄証明書の印刷", help="recorded in the audit log")


def _run(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.deletion.services.plan import plan_deletion
    from functions.deletion.services.runs import continue_run, current_rules

    rt = runtime()
    if args.action == "plan":
        rules = current_rules()
        summary = plan_deletion(rt, args.as_of, rules).summary(rules)
        for entry in summary["classes"]:
            print(f"{entry['rule']:<26} {entry['count']:>7} to erase  {entry['held']:>5} held  {entry['method']:<8}"
                  f"  {entry['reason']}")
        for entry in summary["not_erased"]:
            print(f"{entry['rule']:<26} not erased: {entry['reason']}")
        print(f"{summary['targets']} targets on {summary['as_of']}; plan digest {summary['plan_digest']}")
        return 0
    if args.action == "run":
        print(json.dumps(continue_run(rt, args.run_id), ensure_ascii=False, sort_keys=True))
        return 0
    if args.print_run:
        from pathlib import Path

        from functions.deletion.services.printing import print_certificate

        pdf = print_certificate(rt, args.print_run, staff_id="operator-cli", request_id=None, purpose=args.purpose)
        output = Path(args.output or f"{args.print_run}.pdf")
        output.write_bytes(pdf)
        print(f"{output} ({len(pdf)} bytes)")
        return 0
    for stored in rt.erasure_certificates.listing():
        print(f"{stored.run_id}  {stored.stored_at}  sha256 {stored.sha256}  {stored.key}")
    return 0


DELETION = Command(_configure, _run)
