"""Explicit providers that behave like the stack's default one.

Why: a provider declared in the program does not inherit the stack's `aws:` settings. Without them the Osaka
provider would take its credentials, role and account from the operator's environment — it could deploy the
replicas with other credentials, or into another account, than the Tokyo resources (pulumi-aws, "Provider
configuration"). Every `aws:` setting that selects credentials or guards the account is passed on, with the
region replaced.
"""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_aws as aws

from infra.settings import StackSettings

__all__ = ["provider_args", "regional_provider"]

_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(name: str) -> str:
    return _SNAKE.sub("_", name).lower()


def provider_args(settings: StackSettings) -> dict[str, Any]:
    """The stack's aws: settings as pulumi_aws.Provider keyword arguments."""
    out: dict[str, Any] = {}
    for key, value in settings.aws_provider.items():
        # Nested settings go through their typed args, which the SDK sends in the engine's camelCase.
        if key == "assumeRoles":
            value = [aws.ProviderAssumeRoleArgs(**{_snake(k): v for k, v in role.items()}) for role in value]
        elif key == "defaultTags":
            value = aws.ProviderDefaultTagsArgs(tags=value.get("tags"))
        elif key == "ignoreTags":
            value = aws.ProviderIgnoreTagsArgs(**{_snake(k): v for k, v in value.items()})
        elif key == "endpoints":
            value = [aws.ProviderEndpointArgs(**{_snake(k): v for k, v in entry.items()}) for entry in value]
        elif key == "skipMetadataApiCheck":
            value = str(value).lower() == "true"
        out[_snake(key)] = value
    return out


def regional_provider(name: str, settings: StackSettings, region: str,
                      opts: pulumi.ResourceOptions | None = None) -> aws.Provider:
    return aws.Provider(name, region=region, **provider_args(settings), opts=opts)
