"""Checks that stop `pulumi preview` before AWS would refuse the deployment half-way, with a message that says
what to change."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.settings import StackConfigError, StackSettings

__all__ = ["check_concurrency", "key_administrator", "reserved_concurrency"]


def key_administrator(settings: StackSettings, caller_arn: Any) -> pulumi.Output[str]:
    """The My Number key's administrator role. CreateKey refuses a key policy that would not let the caller
    change it later (the policy-lockout safety check, AWS KMS Developer Guide), so the stack must be deployed by
    that role: by default the deploying role itself; if `choju:keyAdminRoleArn` names another, preview stops."""
    issuer = aws.iam.get_session_context_output(arn=caller_arn).issuer_arn

    def check(deployer: str) -> str:
        configured = settings.key_admin_role_arn
        if configured is None:
            return deployer
        if deployer != configured:
            raise StackConfigError(
                f"choju:keyAdminRoleArn is {configured}, but the stack is being deployed by {deployer}. The My "
                "Number key may be administered only by its named role, and KMS refuses a key its creator could "
                "not administer: run `pulumi up` as that role (assume it), or set choju:keyAdminRoleArn to the "
                "deploying role.")
        return configured

    return issuer.apply(check)


# Lambda keeps at least this much of the account's concurrency unreserved and refuses a reservation that would
# leave less (Lambda Developer Guide, "Configuring reserved concurrency").
UNRESERVED_MINIMUM = 100
CONCURRENCY_QUOTA = ("lambda", "L-B99A9384")  # Service Quotas: Concurrent executions


def check_concurrency(reserved: dict[str, int], quota: float | None) -> dict[str, int]:
    """Stop before Lambda refuses the fifth function half-way: the reservations must leave 100 unreserved. New
    accounts often start with a quota far below the default 1,000."""
    total = sum(reserved.values())
    if quota is not None and total + UNRESERVED_MINIMUM > quota:
        largest = ", ".join(f"{label} {n}" for label, n in sorted(reserved.items(), key=lambda i: -i[1])[:3])
        raise StackConfigError(
            f"the functions reserve {total} concurrent executions, but the account's quota is {int(quota)} and Lambda "
            f"keeps {UNRESERVED_MINIMUM} unreserved: lower choju:reservedConcurrency or choju:functionConcurrency "
            f"(largest: {largest}), or ask for a higher 'Concurrent executions' quota (Service Quotas "
            f"{CONCURRENCY_QUOTA[1]}) and set choju:lambdaConcurrencyQuota")
    return reserved


def reserved_concurrency(settings: StackSettings) -> pulumi.Output[dict[str, int]]:
    """Each function's reservation, checked against the account's quota: the stack's declared quota
    (choju:lambdaConcurrencyQuota), else the one Service Quotas reports for the account, read during preview."""
    from infra.workloads import concurrency, deployed_functions

    unknown = set(settings.function_concurrency) - {f.label for f in deployed_functions()}
    if unknown:
        raise StackConfigError(f"choju:functionConcurrency names no function: {', '.join(sorted(unknown))}; the "
                               f"functions are {', '.join(f.label for f in deployed_functions())}")
    reserved = {f.label: concurrency(settings, f) for f in deployed_functions()}
    if settings.lambda_concurrency_quota is not None:
        return pulumi.Output.from_input(check_concurrency(reserved, settings.lambda_concurrency_quota))
    quota = aws.servicequotas.get_service_quota_output(service_code=CONCURRENCY_QUOTA[0],
                                                       quota_code=CONCURRENCY_QUOTA[1])
    return quota.value.apply(lambda value: check_concurrency(reserved, value))
