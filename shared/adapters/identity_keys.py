"""The identity provider's public key set (JWKS), held in an SSM parameter inside the account.

Why: the functions verify tokens in a closed network with no route to the identity provider. The key set is
public (it only verifies signatures), so it is a plain String parameter; `choju jwks sync` writes it from the
provider over the city link, and the functions read it through the VPC's SSM endpoint with a quick client.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["IdentityKeySet"]


class IdentityKeySet:
    def __init__(self, client: Any, name: str) -> None:
        self._client = client
        self.name = name

    def read(self) -> dict[str, Any]:
        """The stored key set (botocore errors propagate: the verifier turns them into KeySetUnavailable)."""
        value = self._client.get_parameter(Name=self.name)["Parameter"]["Value"]
        return json.loads(value)  # type: ignore[no-any-return]

    def write(self, key_set: dict[str, Any]) -> int:
        """Store a validated key set; returns the parameter's new version. Intelligent tiering moves to the
        advanced tier by itself when a set outgrows 4 KB (several RSA keys during a rotation)."""
        response = self._client.put_parameter(
            Name=self.name, Value=json.dumps(key_set, sort_keys=True), Type="String", Overwrite=True,
            Tier="Intelligent-Tiering")
        return int(response["Version"])
