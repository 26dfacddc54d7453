"""Checks that stop `pulumi preview` before AWS would refuse the deployment half-way, with a message that says
what to change."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.settings import StackConfigError, StackSettings

__all__ = ["key_administrator"]


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
