"""My Number field encryption (`python -m bench kms`): the cached-data-key vault against one KMS call per number.

Both run in this process on moto, so the KMS call counts are exact and the times are comparable with each
other (not with real KMS latency, which would make the baseline far slower still: ~1 network round trip
per number).
"""

from __future__ import annotations

import os
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


def run(count: int = 1000) -> dict[str, float]:
    """KMS calls and seconds of a round trip of `count` numbers: one KMS call per value against the vault."""
    numbers = [parse_my_number(demo_my_number(f"{i:011d}")) for i in range(count)]
    with mock_aws(), tempfile.TemporaryDirectory() as state:
        runtime = _runtime(Path(state))
        kms, alias = runtime.clients.client("kms"), runtime.key_alias("mynumber")
        runtime.vault.blind_index(numbers[0])  # warm: key ARN and index secret, paid once per process

        def vault(ns: list[MyNumber]) -> list[str]:
            return [runtime.vault.decrypt(b).digits for b in [runtime.vault.encrypt(n) for n in ns]]

        def per_number(ns: list[MyNumber]) -> list[str]:
            blobs = [kms.encrypt(KeyId=alias, Plaintext=n.digits.encode())["CiphertextBlob"] for n in ns]
            return [kms.decrypt(CiphertextBlob=b)["Plaintext"].decode() for b in blobs]

        base_calls, base_s = _measure(runtime, per_number, numbers)
        vault_calls, vault_s = _measure(runtime, vault, numbers)
    return {"numbers": count, "baseline_calls": base_calls, "baseline_seconds": base_s, "vault_calls": vault_calls,
            "vault_seconds": vault_s}


def report(result: dict[str, float]) -> bool:
    print(f"My Number round trip (encrypt + decrypt) of {result['numbers']} numbers, moto KMS, one process:")
    print(f"{'variant':<38}{'KMS calls':>10}{'seconds':>10}")
    print(f"{'baseline: one KMS call per value':<38}{result['baseline_calls']:>10}{result['baseline_seconds']:>10.2f}")
    print(f"{'vault: cached data key (powertools)':<38}{result['vault_calls']:>10}{result['vault_seconds']:>10.2f}")
    print(f"KMS calls: {result['baseline_calls'] / max(result['vault_calls'], 1):.0f}x fewer; "
          f"time ratio vault/baseline: {result['vault_seconds'] / result['baseline_seconds']:.2f}")
    return result["vault_calls"] < result["baseline_calls"]
