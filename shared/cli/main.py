"""The `choju` command: local mode, demo tokens, and operator checks."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import timezone
from pathlib import Path

from shared.config import ConfigError


def _port(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError("a port is a number from 1 to 65535")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="choju", description="choju: 後期高齢者医療 back office")
    parser.add_argument("--state-dir", type=Path, default=None,
                        help="local-mode state directory (default: $CHOJU_STATE_DIR or .choju/local)")
    commands = parser.add_subparsers(dest="command", required=True)

    local = commands.add_parser("local", help="run the counter API on an embedded local AWS with demo data")
    local.add_argument("--host", default=os.environ.get("CHOJU_API_HOST", "127.0.0.1"))
    local.add_argument("--port", type=_port, default=int(os.environ.get("CHOJU_API_PORT", "8000")))
    local.add_argument("--aws-port", type=_port, default=int(os.environ.get("CHOJU_AWS_PORT", "5000")))

    token = commands.add_parser("dev-token", help="print a bearer token for a demo staff member (local mode only)")
    token.add_argument("--role", required=True, help="a role, e.g. counter-clerk, checker, auditor")
    token.add_argument("--staff", default=None, help="a demo staff id instead of the first holder of --role")

    imports = commands.add_parser("import-resident-changes",
                                  help="validate and apply a 住基異動 file from a registered counterparty")
    imports.add_argument("file", type=Path)
    imports.add_argument("--counterparty", required=True, help="e.g. jyuki-renkei (CP932) or jyuki-renkei-utf8")

    reaching = commands.add_parser("reaching-75", help="people reaching 75 in a period; --apply queues events")
    reaching.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    reaching.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
    reaching.add_argument("--apply", action="store_true", help="queue the events and record the certificates")

    controls = commands.add_parser("controls", help="evaluate every control on a stack (Pulumi mocks)")
    controls.add_argument("--stack", required=True, help="an example stack: dev or prod (Pulumi.<stack>.yaml)")
    controls.add_argument("--format", choices=("text", "md", "json", "html"), default="text")
    controls.add_argument("--output", type=Path, default=None, help="write the report here instead of stdout")

    account = commands.add_parser("audit-account", help="check a live account read-only against the controls")
    account.add_argument("--region", default="ap-northeast-1")
    account.add_argument("--endpoint-url", default=None, help="e.g. the embedded AWS of `choju local`")
    account.add_argument("--prefix", default=None, help="name prefix of the stack's resources (default: all)")
    account.add_argument("--organisation-provides", nargs="*", default=[], choices=("cloudtrail", "guardduty"))
    account.add_argument("--format", choices=("text", "md", "json", "html"), default="text")
    account.add_argument("--output", type=Path, default=None)

    audit = commands.add_parser("audit-log", help="audit-log tools")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_commands.add_parser("verify", help="walk the hash chain, report the first broken link, store a digest")
    inspection = audit_commands.add_parser("inspect", help="self-inspection report of My Number access for a period")
    inspection.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD (Japan time)")
    inspection.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD, exclusive (Japan time)")
    inspection.add_argument("--format", choices=("md", "json"), default="md")
    inspection.add_argument("--output", type=Path, default=None)
    return parser


def _state_dir(args: argparse.Namespace) -> Path:
    from shared.local.state import default_state_dir

    return args.state_dir or default_state_dir()


def _use_local_environment_if_running(state_dir: Path) -> None:
    """Outside AWS, operator commands talk to the running `choju local` unless CHOJU_* says otherwise."""
    from shared.local.state import read_state

    state = read_state(state_dir)
    if state and "CHOJU_MODE" not in os.environ:
        os.environ.update(state["environment"])


def cmd_local(args: argparse.Namespace) -> int:
    from shared.local.server import run_local

    return run_local(_state_dir(args), args.host, args.port, args.aws_port)


def cmd_dev_token(args: argparse.Namespace) -> int:
    from shared.domain.roles import Role
    from shared.local.demo_staff import DEMO_STAFF, demo_staff_with_role
    from shared.local.identity import mint_token
    from shared.local.state import read_state

    state_dir = _state_dir(args)
    if os.environ.get("CHOJU_MODE", "local") != "local" or read_state(state_dir) is None:
        print("dev-token works only in local mode, while `choju local` (make run) is running", file=sys.stderr)
        return 2
    try:
        role = Role(args.role)
    except ValueError:
        print(f"unknown role {args.role!r}; roles: {', '.join(r.value for r in Role)}", file=sys.stderr)
        return 2
    if args.staff:
        matches = [m for m in DEMO_STAFF if m.staff_id == args.staff]
        if not matches or role not in matches[0].roles:
            print(f"{args.staff} is not a demo staff member holding {role.value}", file=sys.stderr)
            return 2
        member = matches[0]
    else:
        member = demo_staff_with_role(role)
    print(mint_token(state_dir, member.staff_id))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from shared.adapters.audit_log import write_digest
    from shared.storage import RETENTION_CLASSES, STORAGE

    runtime = _operator_runtime(args)
    print("verifying the audit-log hash chain …", file=sys.stderr)
    report = runtime.audit.verify()
    if not report.ok:
        print(f"BROKEN at record {report.broken_at}: {report.reason} ({report.count} records verified before it)")
        return 1
    now = runtime.clock().astimezone(timezone.utc)
    retention = RETENTION_CLASSES[STORAGE.bucket("audit").retention].days or 1
    key = write_digest(runtime.clients.client("s3"), runtime.bucket_name("audit"), report, now, retention)
    print(f"OK: {report.count} records, latest hash {report.latest_hash}")
    print(f"digest stored under Object Lock: s3://{runtime.bucket_name('audit')}/{key}")
    return 0


def _operator_runtime(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from shared.config import load_settings
    from shared.runtime import Runtime

    _use_local_environment_if_running(_state_dir(args))
    return Runtime(load_settings())


def cmd_import(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from shared.domain.counterparties import UnknownCounterparty
    from shared.domain.resident_changes import FileRefused
    from shared.intake.resident_import import import_resident_changes

    if not args.file.is_file():
        print(f"no such file: {args.file}", file=sys.stderr)
        return 2
    runtime = _operator_runtime(args)
    try:
        report = import_resident_changes(
            runtime, args.counterparty, args.file.read_bytes(), staff_id="operator-cli",
            progress=lambda done, total: print(f"  applied {done}/{total} rows", file=sys.stderr))
    except (UnknownCounterparty, FileRefused) as refused:
        print(f"refused: {refused}", file=sys.stderr)
        return 1
    summary = asdict(report)
    rejects = summary.pop("rejects")
    print(" ".join(f"{k}={v}" for k, v in summary.items()))
    for reject in rejects:
        print(f"  reject row {reject['row']} {reject['field']}: {reject['reason']}")
    return 0 if report.status in ("applied", "already-applied") else 1


def cmd_reaching_75(args: argparse.Namespace) -> int:
    from datetime import date

    from shared.intake.reaching_75 import people_reaching_75, run_reaching_75

    runtime = _operator_runtime(args)
    first, last = date.fromisoformat(args.first), date.fromisoformat(args.last)
    if args.apply:
        result = run_reaching_75(runtime, first, last, runtime.clock().date())
        people = result["people"]
        print(f"queued {result['queued']} events, issued {result['certificates_issued']} certificates")
    else:
        people = people_reaching_75(runtime, first, last)
    for p in people:
        print(f"{p['person_id']}  {p['seventy_fifth_birthday']}  mail {p['certificate_mailing_month']}  {p['name']}")
    print(f"{len(people)} people reach 75 between {first} and {last}", file=sys.stderr)
    return 0


def cmd_audit_inspect(args: argparse.Namespace) -> int:
    import json
    from datetime import datetime, timedelta
    from datetime import timezone as tz

    from shared.domain.inspection import inspect, render_markdown

    jst = tz(timedelta(hours=9))
    since = datetime.fromisoformat(args.first).replace(tzinfo=jst)
    until = datetime.fromisoformat(args.last).replace(tzinfo=jst)
    if until <= since:
        print("--to must be after --from", file=sys.stderr)
        return 2
    runtime = _operator_runtime(args)
    report = inspect(runtime.audit.records(), since, until)
    text = render_markdown(report) if args.format == "md" else json.dumps(report.as_dict(), ensure_ascii=False,
                                                                          indent=2) + "\n"
    _emit(text, args.output)
    return 0


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"written: {output}", file=sys.stderr)


def cmd_controls(args: argparse.Namespace) -> int:
    from policies import report as reports

    print(f"running the Pulumi program for stack {args.stack} under mocks …", file=sys.stderr)
    report = reports.build_report(args.stack)
    _emit(reports.RENDERERS[args.format](report), args.output)
    return 0 if report.ok else 1


def cmd_audit_account(args: argparse.Namespace) -> int:
    from policies import report as reports
    from policies.auditor import audit_account

    report = audit_account(args.region, args.endpoint_url, args.prefix, tuple(args.organisation_provides))
    _emit(reports.RENDERERS[args.format](report), args.output)
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "local":
            return cmd_local(args)
        if args.command == "dev-token":
            return cmd_dev_token(args)
        if args.command == "import-resident-changes":
            return cmd_import(args)
        if args.command == "reaching-75":
            return cmd_reaching_75(args)
        if args.command == "controls":
            return cmd_controls(args)
        if args.command == "audit-account":
            return cmd_audit_account(args)
        if args.command == "audit-log" and args.audit_command == "verify":
            return cmd_audit_verify(args)
        if args.command == "audit-log" and args.audit_command == "inspect":
            return cmd_audit_inspect(args)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
