"""Shared fixtures: moto stands in for AWS, a local identity provider signs tokens, a clock we can move."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from moto import mock_aws

from shared.adapters.aws import AwsClients
from shared.config import Settings, load_settings
from shared.local.identity import LOCAL_AUDIENCE, LOCAL_ISSUER, ensure_keys, mint_token
from shared.runtime import Runtime
from tests.moto_world import WORLD

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "ap-northeast-1")
os.environ.pop("AWS_PROFILE", None)
os.environ.setdefault("POWERTOOLS_DEV", "false")


class FakeClock:
    """A clock the tests move by hand (idle time-outs, expiries)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 4, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    path = tmp_path / "state"
    ensure_keys(path)
    return path


def env_for(state_dir: Path, **overrides: str) -> dict[str, str]:
    env = {
        "CHOJU_MODE": "aws",
        "CHOJU_NAME_PREFIX": "choju-test",
        "CHOJU_JWKS": str(state_dir / "jwks.json"),
        "CHOJU_TOKEN_ISSUER": LOCAL_ISSUER,
        "CHOJU_TOKEN_AUDIENCE": LOCAL_AUDIENCE,
        "CHOJU_CHUNKS_HERE": "true",  # AWS mode against moto: no worker function takes the chunks from a queue
    }
    env.update(overrides)
    return env


@pytest.fixture
def settings(state_dir: Path) -> Settings:
    return load_settings(env_for(state_dir))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture(scope="session")
def _moto() -> Iterator[None]:
    """One embedded AWS for the whole session, started when a test first needs it."""
    with mock_aws():
        yield


@pytest.fixture
def aws(_moto: None) -> Iterator[None]:
    """A pristine, empty account for tests that build their own (the account auditor, the bootstrap)."""
    WORLD.wipe()
    yield


@pytest.fixture(scope="session")
def _clients(_moto: None) -> AwsClients:
    """Clients are costly to create (botocore loads each service model): one set serves every runtime."""
    return AwsClients("ap-northeast-1")


@pytest.fixture
def runtime(_moto: None, _clients: AwsClients, settings: Settings, clock: FakeClock) -> Runtime:
    """The declared storage with the demo data, as a fresh `choju local` has it, at the cost of a reset."""
    rt = Runtime(settings, clients=_clients, clock=clock)
    WORLD.restore(rt)
    return rt


@pytest.fixture(scope="session")
def _app() -> FastAPI:
    from functions.registry import build_all

    return build_all(Runtime(load_settings(env_for(Path("/nonexistent")))))


@pytest.fixture
def api(_app: FastAPI, runtime: Runtime) -> TestClient:
    """Every workflow's routes in one app (built once); each test's runtime is the app's."""
    _app.state.runtime = runtime
    return TestClient(_app, raise_server_exceptions=False)


@pytest.fixture
def token_for(state_dir: Path) -> Callable[..., str]:
    """token_for("S1001") -> a signed bearer token for that staff id.

    Tokens carry real time (the verifier checks exp/iat against the real clock); sessions and change
    expiry follow the fake clock, so tests can move it freely."""

    def make(staff_id: str, **kwargs: object) -> str:
        return mint_token(state_dir, staff_id, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def auth(token_for: Callable[..., str]) -> Callable[[str], dict[str, str]]:
    """auth("S1001") -> headers with a fresh bearer token for that staff member."""
    return lambda staff_id: {"Authorization": f"Bearer {token_for(staff_id)}"}


@pytest.fixture
def log_output() -> Iterator[Callable[[], str]]:
    """What the choju logger wrote during the test, through its real (redacting) handler."""
    import io

    from shared.observability import get_logger

    handler = get_logger().registered_handler
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer.getvalue
    finally:
        handler.setStream(previous)
