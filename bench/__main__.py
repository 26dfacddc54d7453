"""My Number field encryption: the cached-data-key vault against one KMS call per number.

Both run in this process on moto, so the KMS call counts are exact and the times are comparable with each
other (not with real KMS latency, which would make the baseline far slower still: ~1 network round trip
per number).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

from moto import mock_aws

from shared.adapters.kms_calls import counting_kms_calls
from shared.config import load_settings
from shared.domain.mynumber import MyNumber, parse_my_number
from shared.local.bootstrap import bootstrap_storage
from shared.local.demo_data import demo_my_number
from shared.local.identity import LOCAL_AUDIENCE, LOCAL_ISSUER, ensure_keys
from shared.runtime import Runtime


def _runtime(state: Path) -> Runtime:
    ensure_keys(state)
    settings = load_settings({"CHOJU_NAME_PREFIX": "choju-bench", "CHOJU_JWKS": str(state / "jwks.json"),
                              "CHOJU_TOKEN_ISSUER": LOCAL_ISSUER, "CHOJU_TOKEN_AUDIENCE": LOCAL_AUDIENCE})
    runtime = Runtime(settings)
    bootstrap_storage(runtime)
    return runtime


def _measure(runtime: Runtime, round_trip: Callable[[list[MyNumber]], list[str]], numbers: list[MyNumber]):
    with counting_kms_calls(runtime.clients) as calls:
        started = time.perf_counter()
        out = round_trip(numbers)
        seconds = time.perf_counter() - started
    assert out == [n.digits for n in numbers], "round trip lost data"
    return sum(calls.values()), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--numbers", type=int, default=1000)
    args = parser.parse_args(argv)
    numbers = [parse_my_number(demo_my_number(f"{i:011d}")) for i in range(args.numbers)]
    with mock_aws(), tempfile.TemporaryDirectory() as state:
        runtime = _runtime(Path(state))
        kms, alias = runtime.clients.client("kms"), runtime.key_alias("mynumber")
        runtime.vault.blind_index(numbers[0])  # warm: key ARN and index secret, paid once per process

        def vault(ns: list[MyNumber]) -> list[str]:
            return [runtime.vault.decrypt(b).digits for b in [runtime.vault.encrypt(n) for n in ns]]

        def per_number(ns: list[MyNumber]) -> list[str]:
            blobs = [kms.encrypt(KeyId=alias, Plaintext=n.digits.encode())["CiphertextBlob"] for n in ns]
            return [kms.decrypt(CiphertextBlob=b)["Plaintext"].decode() for b in blobs]

        print(f"My Number round trip (encrypt + decrypt) of {args.numbers} numbers, moto KMS, one process:",
              file=sys.stderr)
        base_calls, base_s = _measure(runtime, per_number, numbers)
        vault_calls, vault_s = _measure(runtime, vault, numbers)
    print(f"{'variant':<34}{'KMS calls':>10}{'seconds':>10}")
    print(f"{'baseline: one KMS call per value':<34}{base_calls:>10}{base_s:>10.2f}")
    print(f"{'vault: cached data key (powertools)':<34}{vault_calls:>10}{vault_s:>10.2f}")
    print(f"KMS calls: {base_calls / max(vault_calls, 1):.0f}x fewer; "
          f"time ratio vault/baseline: {vault_s / base_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
