"""Emulate what the policy pack sees during `pulumi preview` of a first deployment: the program runs under the
mocks with `preview=True`, and each recorded registration is handed to the pack's policies as the analyzer would
(the wire properties deserialised by the SDK, its unknown-checking proxy, provider, property dependencies as
resources). A control is "undecidable" when the SDK would turn its UnknownValueError into an advisory note
(pulumi_policy.policy: "can't run policy ... during preview"), so it would not block."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi_policy import PolicyProviderResource, PolicyResource, ResourceValidationArgs, StackValidationArgs
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from infra.mocks import Recorded, foundation_resources, run_program_with_stack, stack_config
from policies.catalog import CONTROLS, Control
from policies.pack import resource_policy, stack_policy
from tests.policies.engine_args import OPTIONS


def _providers(recorded: list[Recorded]) -> dict[str, PolicyProviderResource]:
    return {r.name: PolicyProviderResource(r.type, unknown_checking_proxy(deserialize_properties(r.raw)),
                                           r.engine_urn, r.name)
            for r in recorded if r.type.startswith("pulumi:providers:")}


def _provider_of(r: Recorded, providers: dict[str, PolicyProviderResource]) -> PolicyProviderResource | None:
    if not r.provider:
        return providers.get("default")
    urn = r.provider.split("::")  # "<urn>::<id>": the name is the URN's last segment
    return providers.get(urn[-2] if len(urn) > 1 else "")


def policy_resources(recorded: list[Recorded]) -> list[PolicyResource]:
    """The stack as a stack policy receives it at preview, property dependencies joined to their resources."""
    providers = _providers(recorded)
    by_urn: dict[str, PolicyResource] = {}
    out = []
    for r in recorded:
        res = PolicyResource(r.type, unknown_checking_proxy(deserialize_properties(r.raw)), r.engine_urn, r.name,
                             OPTIONS, _provider_of(r, providers), None, [], {})
        by_urn[r.engine_urn] = res
        out.append(res)
    for r, res in zip(recorded, out, strict=True):
        res.property_dependencies = {k: [by_urn[u] for u in urns if u in by_urn]
                                     for k, urns in r.property_dependencies.items()}
    return out


def verdict(control: Control, recorded: list[Recorded]) -> tuple[str, list[str]]:
    """("pass" | "fail" | "undecidable", violation messages) for one control at first preview."""
    found: list[str] = []
    report: Callable[..., None] = lambda message, _urn=None: found.append(message)  # noqa: E731
    undecidable = False
    if control.resource_check:
        policy: Any = resource_policy(control)
        providers = _providers(recorded)
        for r in recorded:
            args = ResourceValidationArgs(r.type, unknown_checking_proxy(deserialize_properties(r.raw)),
                                          r.engine_urn, r.name, OPTIONS, _provider_of(r, providers))
            try:  # the analyzer reports against the resource's URN: keep its name with the message
                policy.validate(args, lambda message, _urn=None, name=r.name: found.append(f"{name}: {message}"))
            except UnknownValueError:
                undecidable = True
    else:
        try:
            stack_policy(control).validate(StackValidationArgs(policy_resources(recorded)), report)
        except UnknownValueError:
            undecidable = True
    return ("fail" if found else "undecidable" if undecidable else "pass"), found


def first_preview(stack: str = "dev", after: Any = None, config: dict[str, Any] | None = None,
                  existing: frozenset[tuple[str, str]] = frozenset()) -> dict[str, tuple[str, list[str]]]:
    """Every control's verdict at the preview of `stack` (with `after` declaring extra resources) when only the
    `existing` resources were created before (none: the very first preview)."""
    recorded = run_program_with_stack(stack, config, preview=True, after=after, existing=existing).resources
    return {c.id: verdict(c, recorded) for c in CONTROLS}


def foundation_preview(stack: str = "dev") -> dict[str, tuple[str, list[str]]]:
    """Every control's verdict at the first preview of the foundation stage (`choju:stage: foundation`)."""
    return first_preview(stack, config={**stack_config(stack), "choju:stage": "foundation"})


def second_preview(stack: str = "dev", after: Any = None) -> dict[str, tuple[str, list[str]]]:
    """Every control's verdict at the preview that follows the foundation stage's `pulumi up`: the keys and the
    network exist (their ids known), everything else is still to be created (docs/operators.md)."""
    return first_preview(stack, after=after, existing=foundation_resources(stack))
