"""Verify staff bearer tokens from the city's identity provider (PIA-III-3-c).

RS256 or ES256 JWTs, checked against a JWKS from a file or an HTTPS URL. `iss`, `aud`, `exp`, `iat` and
`jti` are all required; anything else about the token is the identity provider's business.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.lazy import lazy_module

if TYPE_CHECKING:
    import jwt


# PyJWT brings `cryptography`, about 40 ms of a cold start that only a request with a token needs.
jwt = lazy_module("jwt")  # the typed name above is for type checkers only

ALGORITHMS = ["RS256", "ES256"]
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti", "sub"]
CLOCK_SKEW_SECONDS = 30
# A staff token lives at most one working day: a stolen token must not open sessions for weeks (issue 18).
MAX_LIFETIME_SECONDS = 12 * 3600


class TokenRejected(Exception):
    """The token cannot be trusted; `code` is the stable problem code sent to the client."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class VerifiedToken:
    subject: str
    jti: str
    issuer: str
    expires_at: int
    claims: dict[str, Any]


class TokenVerifier:
    def __init__(self, jwks: str, issuer: str, audience: str) -> None:
        self._jwks_source = jwks
        self._issuer = issuer
        self._audience = audience
        self._keys: jwt.PyJWKSet | None = None
        self._url_client: jwt.PyJWKClient | None = None

    def _signing_key(self, token: str) -> Any:
        if self._jwks_source.startswith("https://"):
            if self._url_client is None:
                self._url_client = jwt.PyJWKClient(self._jwks_source, cache_keys=True, lifespan=300)
            return self._url_client.get_signing_key_from_jwt(token).key
        if self._keys is None:
            self._keys = jwt.PyJWKSet.from_dict(json.loads(Path(self._jwks_source).read_text()))
        kid = jwt.get_unverified_header(token).get("kid")
        for key in self._keys.keys:
            if kid is None or key.key_id == kid:
                return key.key
        raise TokenRejected("invalid-token", "the token's signing key is not in the configured key set")

    def verify(self, token: str) -> VerifiedToken:
        try:
            key = self._signing_key(token)
            claims = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except TokenRejected:
            raise
        except jwt.ExpiredSignatureError:
            raise TokenRejected("token-expired", "the token has expired; sign in again") from None
        except jwt.InvalidIssuerError:
            raise TokenRejected("invalid-token",
                                "the token was not issued by the configured identity provider") from None
        except jwt.InvalidAudienceError:
            raise TokenRejected("invalid-token", "the token is not meant for this system (audience)") from None
        except jwt.MissingRequiredClaimError as error:
            raise TokenRejected("invalid-token", f"the token lacks the required claim {error.claim!r}") from None
        except jwt.PyJWTError as error:
            raise TokenRejected("invalid-token", f"the token could not be verified: {type(error).__name__}") from None
        if int(claims["exp"]) - int(claims["iat"]) > MAX_LIFETIME_SECONDS:
            raise TokenRejected("invalid-token", f"the token lives longer than {MAX_LIFETIME_SECONDS // 3600} hours; "
                                                 "the identity provider must issue shorter ones")
        return VerifiedToken(
            subject=str(claims["sub"]),
            jti=str(claims["jti"]),
            issuer=str(claims["iss"]),
            expires_at=int(claims["exp"]),
            claims=claims,
        )


def unverified_subject(token: str) -> str | None:
    """The `sub` a refused token claims, for the audit trail only (never trusted)."""
    try:
        sub = jwt.decode(token, options={"verify_signature": False}).get("sub")
    except jwt.PyJWTError:
        return None
    return str(sub)[:64] if sub else None
