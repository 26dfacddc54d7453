"""Fixtures of the batch crash tests: one moto account per module holding several stacks (each its own name
prefix), so a reference run and a crashed run of the same job can be compared item by item."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from functions.intake.demo import load_population, population
from shared.config import load_settings
from shared.local.bootstrap import bootstrap_storage
from shared.local.identity import ensure_keys
from shared.runtime import Runtime
from tests.batch.city import NOW, PERSONS, TODAY, Killed
from tests.conftest import env_for
from tests.moto_world import WORLD


@pytest.fixture(scope="module")
def moto_account(_moto: None) -> Iterator[None]:
    """The session's embedded AWS, emptied for this module's stacks and emptied again after them."""
    WORLD.wipe()
    yield
    WORLD.wipe()


@pytest.fixture(scope="module")
def city(moto_account: None, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Runtime]:
    """city("a") -> a runtime over a fresh stack `choju-a` holding the same synthetic population."""
    state = tmp_path_factory.mktemp("state")
    ensure_keys(state)

    def make(name: str) -> Runtime:
        rt = Runtime(load_settings(env_for(state, CHOJU_NAME_PREFIX=f"choju-{name}")), clock=lambda: NOW)
        bootstrap_storage(rt)
        load_population(rt, population(PERSONS, TODAY))
        return rt

    return make


@pytest.fixture
def kill_at() -> Iterator[Callable[[Runtime, str, int], None]]:
    """kill_at(rt, "BatchWriteItem", 3): the process dies as it sends its third BatchWriteItem from now."""
    armed: list[tuple[Any, str, str]] = []

    def arm(rt: Runtime, operation: str, nth: int) -> None:
        client, seen = rt.clients.client("dynamodb"), [0]

        def die(**_: Any) -> None:
            seen[0] += 1
            if seen[0] == nth:
                raise Killed(f"killed at {operation} #{nth}")

        event, unique_id = f"before-call.dynamodb.{operation}", f"kill-{operation}"
        client.meta.events.register(event, die, unique_id=unique_id)
        armed.append((client, event, unique_id))

    yield arm
    for client, event, unique_id in armed:
        client.meta.events.unregister(event, unique_id=unique_id)
