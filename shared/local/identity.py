"""A stand-in for the city's identity provider in local mode: an ES256 key pair, its JWKS, and tokens.

Production verifies tokens against the real provider's JWKS; only this module can mint tokens, and it
refuses to run without a local-mode state directory.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

LOCAL_ISSUER = "https://idp.choju.local"
LOCAL_AUDIENCE = "choju-counter-api"
KEY_ID = "choju-local-1"


def ensure_keys(state_dir: Path) -> Path:
    """Create the signing key and JWKS once; return the JWKS path."""
    state_dir.mkdir(parents=True, exist_ok=True)
    private_path, jwks_path = state_dir / "signing-key.pem", state_dir / "jwks.json"
    if private_path.exists() and jwks_path.exists():
        return jwks_path
    key = ec.generate_private_key(ec.SECP256R1())
    private_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    private_path.chmod(0o600)
    public_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    public_jwk.update({"kid": KEY_ID, "use": "sig", "alg": "ES256"})
    jwks_path.write_text(json.dumps({"keys": [public_jwk]}, indent=2))
    return jwks_path


def mint_token(state_dir: Path, subject: str, lifetime_seconds: int = 8 * 3600, *, issuer: str = LOCAL_ISSUER,
               audience: str = LOCAL_AUDIENCE, now: int | None = None) -> str:
    private_path = state_dir / "signing-key.pem"
    if not private_path.exists():
        raise FileNotFoundError(f"no local signing key in {state_dir}; start `choju local` first")
    issued = int(time.time()) if now is None else now
    claims = {"iss": issuer, "aud": audience, "sub": subject, "iat": issued, "nbf": issued,
              "exp": issued + lifetime_seconds, "jti": str(uuid.uuid4())}
    return jwt.encode(claims, private_path.read_bytes(), algorithm="ES256", headers={"kid": KEY_ID})
