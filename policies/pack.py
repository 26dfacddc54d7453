"""The CrossGuard policies, built from the catalog. Importing this module never starts the pack's server;
policies/__main__.py does, for `pulumi preview --policy-pack policies`."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from policies.catalog import CONTROLS, Control
from policies.model import Res


def res_from_args(args: ResourceValidationArgs) -> Res:
    provider_region = None
    if args.provider is not None:
        provider_region = args.provider.props.get("region") if args.provider.props else None
    return Res(args.resource_type, args.name, args.props, urn=args.urn, provider_region=provider_region)


def res_from_policy_resource(resource: Any) -> Res:
    provider_region = resource.provider.props.get("region") if resource.provider and resource.provider.props else None
    deps = {prop: tuple(d.name for d in sources) for prop, sources in (resource.property_dependencies or {}).items()}
    return Res(resource.resource_type, resource.name, resource.props, urn=resource.urn,
               provider_region=provider_region, deps=deps)


def _description(control: Control) -> str:
    return f"{control.statement} ({', '.join(control.pia)})"


def resource_policy(control: Control) -> ResourceValidationPolicy:
    check = control.resource_check
    assert check is not None

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message in check(res_from_args(args)):
            report_violation(f"{control.id}: {message}", None)

    return ResourceValidationPolicy(name=control.id, description=_description(control), validate=validate,
                                    enforcement_level=_level(control))


def stack_policy(control: Control) -> StackValidationPolicy:
    check = control.stack_check
    assert check is not None

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [res_from_policy_resource(r) for r in args.resources]
        urns = {r.name: r.urn for r in resources}
        for name, message in check(resources):
            report_violation(f"{control.id}: {name}: {message}", urns.get(name))

    return StackValidationPolicy(name=control.id, description=_description(control), validate=validate,
                                 enforcement_level=_level(control))


def _level(control: Control) -> EnforcementLevel:
    return EnforcementLevel.MANDATORY if control.mandatory else EnforcementLevel.ADVISORY


def policies() -> list[Any]:
    return [resource_policy(c) if c.resource_check else stack_policy(c) for c in CONTROLS]
