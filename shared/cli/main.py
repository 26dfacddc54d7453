"""The `choju` command: local mode, demo tokens, compliance checks, and each workflow's operator commands.

Workflow commands (`import-resident-changes`, `audit-log` …) are declared in each `functions/<workflow>/
workflow.py` and reached through the registry; their code is imported only when they run.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from functions.registry import cli_command
from functions.registry import cli_commands as workflow_commands
from shared.cli import notices
from shared.config import ConfigError

if TYPE_CHECKING:
    from shared.runtime import Runtime


class UsageError(Exception):
    """Bad input to a command: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line naming the problem (and `choju COMMAND --help` for the rest)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError("a port is a number from 1 to 65535")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="choju", description="choju: 後期高齢者医療 back office")
    parser.add_argument("--state-dir", type=Path, default=None,
                        help="local-mode state directory (default: $CHOJU_STATE_DIR or .choju/local)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    local = commands.add_parser("local", help="run the counter API on an embedded local AWS with demo data")
    local.add_argument("--host", default=os.environ.get("CHOJU_API_HOST", "127.0.0.1"))
    local.add_argument("--port", type=_port, default=int(os.environ.get("CHOJU_API_PORT", "8000")))
    local.add_argument("--aws-port", type=_port, default=int(os.environ.get("CHOJU_AWS_PORT", "5000")))

    token = commands.add_parser("dev-token", help="print a bearer token for a demo staff member (local mode only)")
    token.add_argument("--role", required=True, help="a role, e.g. counter-clerk, checker, auditor")
    token.add_argument("--staff", default=None, help="a demo staff id instead of the first holder of --role")

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

    notice = commands.add_parser("notice", help="printed notices: render one for a person (a PDF)")
    notices.configure(notice)

    for declared in workflow_commands():
        command = commands.add_parser(declared.name, help=declared.help)
        command.set_defaults(workflow_command=declared)
        cli_command(declared).configure(command)
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
    elif state is None and "CHOJU_MODE" not in os.environ:
        raise UsageError(f"no running `choju local` found in {state_dir.resolve()} and no CHOJU_* settings for a "
                         "deployed stack: run from the repository root while `make run` runs, or pass "
                         "--state-dir / set CHOJU_STATE_DIR, or set CHOJU_* (see docs/platform.md)")


def cmd_local(args: argparse.Namespace) -> int:
    from shared.local.server import run_local

    return run_local(_state_dir(args), args.host, args.port, args.aws_port)


def cmd_dev_token(args: argparse.Namespace) -> int:
    from shared.domain.roles import Role
    from shared.local.demo_staff import DEMO_STAFF, demo_staff_with_role
    from shared.local.identity import mint_token
    from shared.local.state import read_state

    state_dir = _state_dir(args)
    if os.environ.get("CHOJU_MODE", "local") != "local":
        print("dev-token works only in local mode (CHOJU_MODE is not local)", file=sys.stderr)
        return 2
    if read_state(state_dir) is None:
        print(f"dev-token needs a running `choju local` (make run); none found in {state_dir.resolve()} "
              "(run from the repository root, or pass --state-dir / set CHOJU_STATE_DIR)", file=sys.stderr)
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


def _operator_runtime(args: argparse.Namespace) -> Runtime:
    from shared.config import load_settings
    from shared.runtime import Runtime

    _use_local_environment_if_running(_state_dir(args))
    return Runtime(load_settings())


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"written: {output}", file=sys.stderr)


def cmd_controls(args: argparse.Namespace) -> int:
    from infra.mocks import ROOT as REPOSITORY
    from policies import report as reports

    stacks = sorted(p.name.split(".")[1] for p in REPOSITORY.glob("Pulumi.*.yaml"))
    if args.stack not in stacks:
        raise UsageError(f"no stack {args.stack!r}: Pulumi.{args.stack}.yaml not found (stacks: {', '.join(stacks)})")
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


def cmd_notice(args: argparse.Namespace) -> int:
    return notices.run(args, lambda: _operator_runtime(args))


COMMANDS = {"local": cmd_local, "dev-token": cmd_dev_token, "controls": cmd_controls,
            "audit-account": cmd_audit_account, "notice": cmd_notice}


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; bad input, bad settings and an unreachable AWS are one line on stderr and exit 2, a fault
    is one line and exit 1 (set CHOJU_DEBUG=1 for the traceback), never a traceback by default."""
    args = _parser().parse_args(argv)
    try:
        declared = getattr(args, "workflow_command", None)
        if declared is not None:
            return cli_command(declared).run(args, lambda: _operator_runtime(args))
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if os.environ.get("CHOJU_DEBUG"):
            raise
        status, line = _one_line(error)
        print(f"choju {args.command}: {line}", file=sys.stderr)
        return status


def _one_line(error: Exception) -> tuple[int, str]:
    from shared.adapters.aws import aws_failure
    from shared.domain.errors import DomainError

    if isinstance(error, UsageError):
        return 2, str(error)
    if isinstance(error, ConfigError):
        return 2, f"configuration error: {error}"
    if isinstance(error, DomainError):
        return 2, f"refused ({error.code}): {error.detail}"
    if (described := aws_failure(error)) is not None:
        return 2, described
    if isinstance(error, OSError):
        return 2, f"{error.strerror or error}: {error.filename}" if error.filename else str(error)
    return 1, f"internal error ({type(error).__name__}): {error}; rerun with CHOJU_DEBUG=1 for details"


if __name__ == "__main__":
    sys.exit(main())
