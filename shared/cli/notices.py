"""`choju notice render --kind KIND --person P… --output F.pdf`: any printed notice for one person, as a PDF.

The notice comes from the workflow that holds its data (a `NoticeSource` in its workflow.py: the 資格確認書 is
the person's latest card, or the card a new issue today would give); kinds no workflow holds yet are printed
from the sample figures of shared/local/demo_notices.py. Either way a preview is marked 見本 unless it is a
record's own notice. Printing reads the person's data, so it is an audit event with the purpose given.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from shared.notices.kinds import KINDS

if TYPE_CHECKING:
    from shared.runtime import Runtime

__all__ = ["configure", "run"]

STAFF = "operator-cli"


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="notice_action", required=True)
    render = actions.add_parser("render", help="render one notice for a person to a PDF")
    render.add_argument("--kind", required=True, choices=sorted(KINDS), help="which document")
    render.add_argument("--person", required=True, help="a person id, e.g. P0000000001")
    render.add_argument("--output", required=True, type=Path, help="the PDF to write")
    render.add_argument("--purpose", default="通知書の見本確認", help="why it is printed (recorded in the audit log)")


def run(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from functions.registry import notice_preview
    from shared.adapters.persons import PersonRepository
    from shared.domain.calendar import date_in_japan
    from shared.domain.errors import DomainError
    from shared.local.demo_notices import sample_notice
    from shared.notices.issuer import Issuer
    from shared.notices.printing import print_one

    if not args.output.parent.is_dir() or args.output.is_dir():
        print(f"cannot write {args.output}: not a file in an existing directory", file=sys.stderr)
        return 2
    rt = runtime()
    person = rt.repository(PersonRepository).get(args.person)
    if person is None:
        print("no such person", file=sys.stderr)
        return 2
    source = notice_preview(args.kind)
    try:
        notice = source(rt, person, date_in_japan(rt.clock())) if source else \
            sample_notice(args.kind, person, Issuer.from_settings(rt.settings))
        pdf = print_one(rt, notice, person_id=args.person, record=notice.context.number, staff_id=STAFF,
                        request_id=None, purpose=args.purpose)
    except DomainError as refused:
        print(f"refused: {refused.detail}", file=sys.stderr)
        return 1
    args.output.write_bytes(pdf)
    sample = " (見本)" if notice.context.sample else ""
    print(f"written: {args.output} — {notice.template.title}{sample} {notice.context.number}")
    return 0
