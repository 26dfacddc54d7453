"""Verify staff bearer tokens from the city's identity provider (PIA-III-3-c).

RS256 or ES256 JWTs, checked against the provider's public key set (JWKS). `iss`, `aud`, `exp`, `iat` and
`jti` are all required; anything else about the token is the identity provider's business.

Where the key set comes from: in AWS, an SSM parameter read through the VPC's SSM endpoint (`ssm:<name>`),
kept current by `choju jwks sync` — the functions run in a closed network with no route to the identity
provider, and a request must never wait on one (API Gateway gives up after 29 s). Locally, a file. An
`https://` URL is accepted for networks that do reach the provider. Every fetch has a short timeout; keys are
cached for five minutes, refreshed at most once a minute when a token names an unknown key, and the last good
set keeps serving while a refresh fails. When no key set can be read at all, `KeySetUnavailable` says so
(the API answers 503, not a misleading 401).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.lazy import lazy_module

if TYPE_CHECKING:
    import jwt

__all__ = ["KeySetUnavailable", "KeySource", "TokenRejected", "TokenVerifier", "VerifiedToken", "file_source",
           "https_source", "parse_key_set", "unverified_subject"]

# PyJWT brings `cryptography`, about 40 ms of a cold start that only a request with a token needs.
jwt = lazy_module("jwt")  # the typed name above is for type checkers only

ALGORITHMS = ["RS256", "ES256"]
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti", "sub"]
CLOCK_SKEW_SECONDS = 30
FETCH_TIMEOUT_SECONDS = 3.0
KEYS_LIFESPAN_SECONDS = 300.0
UNKNOWN_KID_REFRESH_SECONDS = 60.0
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")

# A staff token lives at most one working day: a stolen token must not open sessions for weeks (issue 18).
MAX_LIFETIME_SECONDS = 12 * 3600

KeySource = Callable[[], dict[str, Any]]


class TokenRejected(Exception):
    """The token cannot be trusted; `code` is the stable problem code sent to the client."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class KeySetUnavailable(Exception):
    """The identity provider's public keys could not be read: no token can be verified until they can."""


@dataclass(frozen=True)
class VerifiedToken:
    subject: str
    jti: str
    issuer: str
    expires_at: int
    claims: dict[str, Any]


def parse_key_set(document: Any) -> dict[str, Any]:
    """A JWKS of public signing keys, or ValueError saying what is wrong with it (shared with `choju jwks sync`,
    so a bad set never reaches the functions)."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list) or not document["keys"]:
        raise ValueError("a key set is a JSON object with a non-empty 'keys' list (RFC 7517)")
    for index, key in enumerate(document["keys"]):
        if not isinstance(key, dict) or "kty" not in key:
            raise ValueError(f"key {index} has no 'kty'")
        secret = [m for m in PRIVATE_MEMBERS if m in key]
        if secret:
            raise ValueError(f"key {key.get('kid', index)} carries private or symmetric key material "
                             f"({', '.join(secret)}); publish only public keys")
        if key.get("use", "sig") != "sig":
            raise ValueError(f"key {key.get('kid', index)} is not a signing key (use={key['use']!r})")
    jwt.PyJWKSet.from_dict(document)  # every key must load
    return document


def file_source(path: str) -> KeySource:
    return lambda: json.loads(Path(path).read_text())


def https_source(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> KeySource:
    if not url.startswith("https://"):
        raise ValueError("a key set URL must use https")

    def fetch() -> dict[str, Any]:
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "choju"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # https only, checked above
            return json.loads(response.read(1_000_000))

    return fetch


class TokenVerifier:
    def __init__(self, jwks: str | KeySource, issuer: str, audience: str, *,
                 lifespan: float = KEYS_LIFESPAN_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        if callable(jwks):
            self._source: KeySource = jwks
        elif jwks.startswith("https://"):
            self._source = https_source(jwks)
        else:
            self._source = file_source(jwks)
        self._issuer = issuer
        self._audience = audience
        self._lifespan = lifespan
        self._clock = clock
        self._keys: dict[str | None, Any] = {}
        self._loaded_at: float | None = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        try:
            keys = jwt.PyJWKSet.from_dict(parse_key_set(self._source())).keys
        except Exception as error:  # a slow endpoint, a missing parameter, a malformed set: all the same here
            if self._keys:
                self._loaded_at = self._clock()  # keep serving the last good set; try again after the lifespan
                return
            raise KeySetUnavailable(f"the identity provider's key set could not be read ({type(error).__name__}: "
                                    f"{str(error)[:200]}); run `choju jwks sync` or check the SSM endpoint") from None
        self._keys = {key.key_id: key for key in keys}
        self._loaded_at = self._clock()

    def _signing_key(self, token: str) -> Any:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise TokenRejected("invalid-token", "the token could not be verified: DecodeError") from None
        with self._lock:
            now = self._clock()
            if self._loaded_at is None or now - self._loaded_at > self._lifespan:
                self._load()
            elif kid not in self._keys and kid is not None and now - self._loaded_at > UNKNOWN_KID_REFRESH_SECONDS:
                self._load()  # the provider may have rotated its keys
            if kid is None and len(self._keys) == 1:
                return next(iter(self._keys.values())).key
            if kid in self._keys:
                return self._keys[kid].key
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
        except (TokenRejected, KeySetUnavailable):
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
