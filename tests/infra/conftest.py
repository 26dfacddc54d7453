"""The Pulumi program under mocks, once per example stack for the whole session."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from infra.mocks import Recorded, run_program_with_stack, stack_config


class Declared:
    """What a stack declares, with helpers to find resources and read their policy documents."""

    def __init__(self, resources: list[Recorded], stack: Any = None) -> None:
        self.resources = resources
        self.stack = stack  # the infra.program.Stack object (components and their attributes)

    @classmethod
    def run(cls, stack: str, config: dict[str, Any] | None = None) -> Declared:
        mocks = run_program_with_stack(stack, config)
        return cls(mocks.resources, mocks.stack)

    def of(self, type_suffix: str) -> list[Recorded]:
        return [r for r in self.resources if r.type.endswith(type_suffix)]

    def one(self, type_suffix: str, name: str | None = None) -> Recorded:
        found = [r for r in self.of(type_suffix) if name is None or r.name == name]
        assert len(found) == 1, (type_suffix, name, [r.name for r in found])
        return found[0]

    def named(self, name: str) -> Recorded:
        """The one resource with this name (names repeat across types: use one() for those)."""
        found = [r for r in self.resources if r.name == name]
        assert len(found) == 1, (name, [r.type for r in found])
        return found[0]

    @staticmethod
    def policy(resource: Recorded, key: str = "policy") -> dict[str, Any]:
        value = resource.inputs[key]
        return json.loads(value) if isinstance(value, str) else value

    def where(self, predicate: Callable[[Recorded], bool]) -> list[Recorded]:
        return [r for r in self.resources if predicate(r)]


@pytest.fixture(scope="session")
def dev() -> Declared:
    return Declared.run("dev")


@pytest.fixture(scope="session")
def prod() -> Declared:
    return Declared.run("prod")


@pytest.fixture(params=["dev", "prod"])
def stack(request: pytest.FixtureRequest) -> Declared:
    return request.getfixturevalue(request.param)


def run_with(stack: str, **changes: Any) -> Declared:
    """The program with one example stack's config changed (for the negative twins)."""
    config = stack_config(stack)
    for key, value in changes.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    return Declared.run(stack, config)
