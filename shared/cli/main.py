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

    audit = commands.add_parser("audit-log", help="audit-log tools")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_commands.add_parser("verify", help="walk the hash chain, report the first broken link, store a digest")
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
    from shared.config import load_settings
    from shared.runtime import Runtime
    from shared.storage import RETENTION_CLASSES, STORAGE

    _use_local_environment_if_running(_state_dir(args))
    runtime = Runtime(load_settings())
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "local":
            return cmd_local(args)
        if args.command == "dev-token":
            return cmd_dev_token(args)
        if args.command == "audit-log" and args.audit_command == "verify":
            return cmd_audit_verify(args)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
