"""The SSM parameter holding the identity provider's public keys, which the API functions read through the VPC's
SSM endpoint (shared/security/tokens.py). Its value belongs to `choju jwks sync`, not to Pulumi: the program
creates it empty and ignores later changes, so a `pulumi up` never rolls back a key rotation."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from infra.settings import StackSettings
from shared.storage import STORAGE

__all__ = ["EMPTY_KEY_SET", "IdentityKeys", "parameter_name"]

EMPTY_KEY_SET = '{"keys": []}'


def parameter_name(settings: StackSettings) -> str:
    return STORAGE.parameter("idp-jwks").physical_name(settings.name_prefix)


class IdentityKeys(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:security:IdentityKeys", name, None, opts)
        self.parameter = aws.ssm.Parameter(
            f"{name}-jwks", name=parameter_name(settings), type="String", tier="Intelligent-Tiering",
            value=EMPTY_KEY_SET, description=f"public signing keys of {settings.token_issuer} (choju jwks sync)",
            tags={**settings.tags, "data-classification": "public-keys"},
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["value", "tier"]))
        self.register_outputs({"parameter": self.parameter.name})
