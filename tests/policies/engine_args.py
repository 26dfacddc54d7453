"""Build the policy SDK's argument bags from engine-shaped (camelCase) properties, as the engine would."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.proxy import unknown_checking_proxy

from policies.catalog import BY_ID
from policies.pack import resource_policy, stack_policy

OPTIONS = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
TOKYO = PolicyProviderResource("pulumi:providers:aws", {"region": "ap-northeast-1"}, "urn:provider::default", "default")


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:test::choju::{type_}::{name}"


def resource_args(type_: str, props: dict[str, Any], name: str = "r", provider: PolicyProviderResource | None = TOKYO
                  ) -> ResourceValidationArgs:
    return ResourceValidationArgs(type_, unknown_checking_proxy(props), urn(type_, name), name, OPTIONS, provider)


def policy_resource(type_: str, name: str, props: dict[str, Any], deps: dict[str, list[PolicyResource]] | None = None
                    ) -> PolicyResource:
    return PolicyResource(type_, unknown_checking_proxy(props), urn(type_, name), name, OPTIONS, TOKYO, None, [],
                          deps or {})


def violations_of(control_id: str, args: ResourceValidationArgs | StackValidationArgs) -> list[str]:
    """Run the pack's policy for one control exactly as the analyzer would; return the violation messages."""
    control = BY_ID[control_id]
    policy = resource_policy(control) if control.resource_check else stack_policy(control)
    found: list[str] = []
    policy.validate(args, lambda message, _urn=None: found.append(message))
    return found


def stack_args(*resources: PolicyResource) -> StackValidationArgs:
    return StackValidationArgs(list(resources))
