"""`choju jwks sync` and `choju jwks show`: keep the identity provider's public keys inside the account.

Run by an operator (or a scheduled job) on a host that reaches the identity provider over the city link and
has the stack's CHOJU_* settings: the key set is fetched over HTTPS with a short timeout, checked (public
signing keys only), and written to the SSM parameter the API functions read through their endpoint. Run it
after the first `pulumi up` and whenever the provider rotates its keys (before it starts signing with a new
one); the functions keep using their cached keys for five minutes and pick up the new set within a minute of
seeing an unknown key id.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from shared.runtime import Runtime
from shared.workflow import Command

__all__ = ["JWKS"]


def _configure(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="jwks_command", required=True)
    sync = commands.add_parser("sync", help="fetch the provider's key set and store it for the functions")
    source = sync.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="url", help="the provider's JWKS URL (https)")
    source.add_argument("--file", type=Path, help="a JWKS file handed over by the provider's operators")
    sync.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the provider (default 5)")
    sync.add_argument("--dry-run", action="store_true", help="fetch and check only")
    commands.add_parser("show", help="the key ids the functions currently trust")


def _kids(key_set: dict) -> list[str]:
    return [str(k.get("kid", "(no kid)")) for k in key_set.get("keys", [])]


def _sync(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    from shared.security.tokens import file_source, https_source, parse_key_set

    source = https_source(args.url, timeout=args.timeout) if args.url else file_source(str(args.file))
    try:
        key_set = parse_key_set(source())
    except ValueError as invalid:
        print(f"refused: {invalid}", file=sys.stderr)
        return 2
    except OSError as unreachable:
        print(f"the identity provider did not answer within {args.timeout:g} s: {unreachable}", file=sys.stderr)
        return 1
    print(f"key set with {len(key_set['keys'])} key(s): {', '.join(_kids(key_set))}")
    if args.dry_run:
        return 0
    store = runtime().identity_keys
    version = store.write(key_set)
    print(f"stored in {store.name} (version {version}); functions pick it up within five minutes")
    return 0


def _show(runtime: Callable[[], Runtime]) -> int:
    store = runtime().identity_keys
    key_set = store.read()
    print(json.dumps({"parameter": store.name, "kids": _kids(key_set)}, ensure_ascii=False))
    return 0


def _run(args: argparse.Namespace, runtime: Callable[[], Runtime]) -> int:
    return _sync(args, runtime) if args.jwks_command == "sync" else _show(runtime)


JWKS = Command(_configure, _run)
