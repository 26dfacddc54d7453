"""`make bench`: every benchmark, each against its baseline measured in the same run.

`python -m bench` runs them all; `python -m bench cold-start kms` runs those named. The exit status is 1 when a
benchmark misses its target, so the numbers are a check and not only a report.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

# name -> (module, what it measures); each module has run() -> result and report(result) -> met its target
BENCHMARKS: dict[str, tuple[str, str]] = {
    "cold-start": ("bench.cold_start", "cold import of each handler from its bundle vs a minimal handler"),
    "kms": ("bench.kms", "My Number encryption: cached data keys vs one KMS call per value"),
    "audit-load": ("bench.audit_load", "authenticated person views: audit writes per request, 20 clients vs 1"),
    "batch-scale": ("bench.batch_scale", "住基 import and yearly renewal at 300,000 persons vs today's per-row paths"),
    "assessment": ("bench.assessment", "the yearly 本算定: requests per person, KMS calls, peak RSS, longest chunk"),
    "collection": ("bench.collection", "matching 300,000 payments and the 督促 run: requests per payment, RSS, chunks"),
    "transfer": ("bench.transfer", "the monthly 所得 transfer: rows/s, requests per row, peak RSS vs per-row reads"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS], metavar="NAME",
                        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    ok = True
    for name in args.names or BENCHMARKS:
        module = import_module(BENCHMARKS[name][0])
        run: Callable[[], Any] = module.run
        print(f"\n== {name}: {BENCHMARKS[name][1]}", flush=True)
        ok &= bool(module.report(run()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
