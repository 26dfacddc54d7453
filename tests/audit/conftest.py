"""Fixtures of the audit-log tests: a sealed chain with two anchored digests, raw access for the attacker, and
the operator's environment for `choju audit-log`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from functions.platform.services.audit_chain import seal
from shared.adapters.audit_log import AuditEvent
from shared.adapters.dynamo import from_item, to_item
from shared.runtime import Runtime
from tests.conftest import env_for

NOW = timedelta(0)  # seal everything written up to the (fake, unmoving) clock's now


@pytest.fixture
def operator_env(runtime: Runtime, state_dir: Any, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    """CHOJU_* set as an operator's shell would have them, against the test's moto."""
    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    return runtime


def forge_hash(item: dict[str, Any]) -> str:
    """What an attacker who read docs/audit-log.md computes: SHA-256 of every attribute but `hash`, as JSON with
    sorted keys and no whitespace. Written here from the documentation, not imported from the code."""
    body = {k: v for k, v in item.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass
class Attacker:
    """Someone with write access to the table (or the account) and no access to the Object-Lock digests."""

    runtime: Runtime

    @property
    def db(self) -> Any:
        return self.runtime.clients.client("dynamodb")

    @property
    def table(self) -> str:
        return self.runtime.table_name("audit-log")

    def records(self) -> dict[int, dict[str, Any]]:
        return {int(r["seq"]): r for r in self.runtime.audit.chain()}

    def put(self, item: dict[str, Any]) -> None:
        self.db.put_item(TableName=self.table, Item=to_item(item))

    def delete(self, seq: int) -> None:
        record = self.records()[seq]
        self.db.delete_item(TableName=self.table, Key=to_item({"day_shard": record["day_shard"],
                                                                "event_id": record["event_id"]}))

    def set_head(self, seq: int, hash_: str) -> None:
        self.db.put_item(TableName=self.table, Item=to_item({"day_shard": "chain#main", "event_id": "head",
                                                             "head_seq": seq, "head_hash": hash_,
                                                             "sealed_at": "2026-01-01T00:00:00+00:00"}))

    def head(self) -> dict[str, Any]:
        key = to_item({"day_shard": "chain#main", "event_id": "head"})
        return from_item(self.db.get_item(TableName=self.table, Key=key)["Item"])


@dataclass
class SealedChain:
    """Eight sealed records (the demo seed's and seven more), anchored by a digest at record 5 and one at 8."""

    runtime: Runtime
    digests: list[str]
    attacker: Attacker


def append(runtime: Runtime, n: int, prefix: str = "S") -> None:
    for i in range(n):
        runtime.audit.append(AuditEvent(f"{prefix}{i}", "person.read", "success", target=f"P000000000{i}",
                                        purpose="資格確認", request_id=f"r-{prefix}{i}"))


@pytest.fixture
def sealed(runtime: Runtime) -> SealedChain:
    append(runtime, 4)
    first = seal(runtime, NOW)
    append(runtime, 3, "T")
    second = seal(runtime, NOW)
    assert (first.head.seq, second.head.seq) == (5, 8) and first.digest and second.digest
    return SealedChain(runtime, [first.digest, second.digest], Attacker(runtime))


@pytest.fixture
def hook_calls(runtime: Runtime) -> Callable[[], list[tuple[str, str, str]]]:
    """(operation, table, index) of every DynamoDB call the runtime's client makes from now on."""
    calls: list[tuple[str, str, str]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        table = params.get("TableName", "")
        if model.name == "TransactWriteItems":
            table = ",".join(sorted({next(iter(i.values()))["TableName"] for i in params["TransactItems"]}))
        calls.append((model.name, table, params.get("IndexName", "")))

    client = runtime.clients.client("dynamodb")
    client.meta.events.register("provide-client-params.dynamodb.*", record)
    yield lambda: list(calls)
    client.meta.events.unregister("provide-client-params.dynamodb.*", record)
