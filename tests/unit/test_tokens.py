"""Staff tokens from the city's identity provider are verified strictly (PIA-III-3-c)."""

import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from shared.local.identity import LOCAL_AUDIENCE, LOCAL_ISSUER, mint_token
from shared.security.tokens import TokenRejected, TokenVerifier


@pytest.fixture
def verifier(state_dir: Path) -> TokenVerifier:
    return TokenVerifier(str(state_dir / "jwks.json"), issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE)


def test_a_valid_token_is_accepted(verifier: TokenVerifier, state_dir: Path) -> None:
    verified = verifier.verify(mint_token(state_dir, "S1001"))
    assert verified.subject == "S1001" and verified.jti and verified.issuer == LOCAL_ISSUER


def test_an_expired_token_is_refused(verifier: TokenVerifier, state_dir: Path) -> None:
    token = mint_token(state_dir, "S1001", lifetime_seconds=60, now=int(time.time()) - 3600)
    with pytest.raises(TokenRejected) as rejected:
        verifier.verify(token)
    assert rejected.value.code == "token-expired"


def test_a_token_from_another_issuer_is_refused(verifier: TokenVerifier, state_dir: Path) -> None:
    with pytest.raises(TokenRejected, match="identity provider"):
        verifier.verify(mint_token(state_dir, "S1001", issuer="https://evil.example"))


def test_a_token_for_another_audience_is_refused(verifier: TokenVerifier, state_dir: Path) -> None:
    with pytest.raises(TokenRejected, match="audience"):
        verifier.verify(mint_token(state_dir, "S1001", audience="someone-else"))


def test_a_token_signed_by_another_key_is_refused(verifier: TokenVerifier) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    now = int(time.time())
    forged = jwt.encode({"iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE, "sub": "S1001", "iat": now, "exp": now + 60,
                         "jti": "x"}, other, algorithm="ES256", headers={"kid": "choju-local-1"})
    with pytest.raises(TokenRejected) as rejected:
        verifier.verify(forged)
    assert rejected.value.code == "invalid-token"


def test_a_token_without_jti_is_refused(verifier: TokenVerifier, state_dir: Path) -> None:
    key = (state_dir / "signing-key.pem").read_bytes()
    now = int(time.time())
    token = jwt.encode({"iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE, "sub": "S1001", "iat": now, "exp": now + 60},
                       key, algorithm="ES256", headers={"kid": "choju-local-1"})
    with pytest.raises(TokenRejected, match="jti"):
        verifier.verify(token)


def test_hs256_and_none_algorithms_are_refused(verifier: TokenVerifier) -> None:
    now = int(time.time())
    claims = {"iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE, "sub": "S1001", "iat": now, "exp": now + 60, "jti": "x"}
    for token in (jwt.encode(claims, "secret-secret-secret-secret-32b!", algorithm="HS256"),
                  jwt.encode(claims, None, algorithm="none")):
        with pytest.raises(TokenRejected):
            verifier.verify(token)


def test_rs256_keys_are_supported(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk["kid"] = "rsa-1"
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
    now = int(time.time())
    token = jwt.encode({"iss": "i", "aud": "a", "sub": "S1", "iat": now, "exp": now + 60, "jti": "j"}, key,
                       algorithm="RS256", headers={"kid": "rsa-1"})
    assert TokenVerifier(str(tmp_path / "jwks.json"), "i", "a").verify(token).subject == "S1"


def test_garbage_is_refused(verifier: TokenVerifier) -> None:
    with pytest.raises(TokenRejected):
        verifier.verify("not-a-jwt")


def test_a_ten_year_token_is_refused(verifier: TokenVerifier, state_dir: Path) -> None:
    """Issue 18 item 5: a token lives at most 12 hours (exp − iat), however it was signed."""
    with pytest.raises(TokenRejected, match="longer than 12 hours"):
        verifier.verify(mint_token(state_dir, "S1001", lifetime_seconds=10 * 365 * 24 * 3600))


def test_a_token_of_exactly_twelve_hours_is_accepted(verifier: TokenVerifier, state_dir: Path) -> None:
    """The twin at the boundary: 12 h is allowed, 12 h and 1 s is not."""
    assert verifier.verify(mint_token(state_dir, "S1001", lifetime_seconds=12 * 3600)).subject == "S1001"
    with pytest.raises(TokenRejected):
        verifier.verify(mint_token(state_dir, "S1001", lifetime_seconds=12 * 3600 + 1))
