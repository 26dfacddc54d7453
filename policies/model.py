"""The shape every pre-deployment check reads: a resource as the Pulumi engine sees it (camelCase inputs)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

UNKNOWN_SENTINELS = frozenset({UNKNOWN_ARCHIVE_VALUE, UNKNOWN_ARRAY_VALUE, UNKNOWN_ASSET_VALUE,
                               UNKNOWN_BOOLEAN_VALUE, UNKNOWN_NUMBER_VALUE, UNKNOWN_OBJECT_VALUE,
                               UNKNOWN_STRING_VALUE})


@dataclass(frozen=True)
class Res:
    type: str
    name: str
    props: Mapping[str, Any]
    urn: str = ""
    provider_region: str | None = None
    # property -> names of the resources it was computed from (the engine's property dependencies), so a
    # stack check can join a bucket to its settings even when the bucket's id is unknown at preview time
    deps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def get(self, *path: str, default: Any = None) -> Any:
        """A nested input, refusing to decide on a value that is unknown at preview time."""
        value: Any = self.props
        for part in path:
            if not isinstance(value, Mapping) or part not in value:
                return default
            value = known(value[part], ".".join(path))
        return value

    def present(self, *path: str) -> bool:
        """Whether an input is set; see `present`."""
        return present(self.props, *path)

    def tag(self, key: str) -> str | None:
        tags = self.get("tags") or {}
        return tags.get(key) if isinstance(tags, Mapping) else None


def known(value: Any, where: str = "") -> Any:
    """Raise the SDK's UnknownValueError for a preview-time unknown: 'cannot decide', never compliant."""
    if isinstance(value, str) and value in UNKNOWN_SENTINELS:
        raise UnknownValueError(value, where.split(".") if where else [])
    return value


def present(mapping: Any, *path: str) -> bool:
    """Whether a nested input is set. A leaf that is unknown at preview counts as set: the engine only sends the
    sentinel when the program gave a value computed from another resource's output (an unset input is absent),
    and at `pulumi up` the resource policies run again on the known value before the resource is created
    (pulumi_policy.policy: Analyze runs at each resource's registration). An unknown container is still
    'cannot decide': whether it holds the leaf is not known."""
    value: Any = mapping
    for depth, part in enumerate(path, 1):
        if not isinstance(value, Mapping) or part not in iter(value):  # `in value` would read the value (proxy)
            return False
        try:
            value = known(value[part], ".".join(path[:depth]))  # the SDK's proxy raises on its own
        except UnknownValueError:
            if depth == len(path):
                return True
            raise
    return bool(value)


def policy_document(res: Res, key: str = "policy") -> dict[str, Any] | None:
    raw = res.get(key)
    if raw in (None, ""):
        return None
    return json.loads(raw) if isinstance(raw, str) else dict(raw)


def statements(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not document:
        return []
    return as_list(document.get("Statement", []))


def as_list(value: Any) -> list[Any]:
    """A property as a list: the SDK's list proxies count as lists, a single value becomes one item."""
    if value is None:
        return []
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return list(value)
    return [value]
