"""Token verification stays inside the closed network: the identity provider's public keys come from an SSM
parameter read through the VPC endpoint, fetches give up within seconds, and an unreadable key set is a clear
503 instead of a request hanging past API Gateway's 29 s (PIA-III-3-c, PIA-III-2-g)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from shared.adapters.aws import AwsClients
from shared.adapters.identity_keys import IdentityKeySet
from shared.cli.main import main
from shared.config import ConfigError, load_settings
from shared.local.identity import LOCAL_AUDIENCE, LOCAL_ISSUER, mint_token
from shared.runtime import Runtime
from shared.security import tokens
from shared.security.tokens import KeySetUnavailable, TokenRejected, TokenVerifier, parse_key_set
from tests.conftest import env_for

PARAMETER = "/choju-test/idp-jwks"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _key_set(state_dir: Path) -> dict:
    return json.loads((state_dir / "jwks.json").read_text())


def test_tokens_verify_against_the_key_set_in_ssm(_moto, _clients: AwsClients, state_dir: Path) -> None:
    store = IdentityKeySet(_clients.client("ssm", quick=True), PARAMETER)
    store.write(_key_set(state_dir))
    verifier = TokenVerifier(store.read, issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE)
    assert verifier.verify(mint_token(state_dir, "S1001")).subject == "S1001"


def test_the_runtime_reads_ssm_when_told_to(_moto, _clients: AwsClients, state_dir: Path) -> None:
    IdentityKeySet(_clients.client("ssm"), PARAMETER).write(_key_set(state_dir))
    runtime = Runtime(load_settings(env_for(state_dir, CHOJU_JWKS=f"ssm:{PARAMETER}")), clients=_clients)
    assert runtime.identity_keys.name == PARAMETER
    assert runtime.tokens.verify(mint_token(state_dir, "S1001")).subject == "S1001"


def test_the_ssm_client_gives_up_within_seconds() -> None:
    """Two attempts, 2 s to connect, 3 s to read: well inside API Gateway's 29 s (the default client would try
    five times with 30 s reads)."""
    config = AwsClients("ap-northeast-1").client("ssm", quick=True).meta.config
    assert (config.connect_timeout, config.read_timeout, config.retries["total_max_attempts"]) == (2, 3, 2)


def test_an_https_key_set_is_fetched_with_a_short_timeout(monkeypatch, state_dir: Path) -> None:
    seen = {}

    def urlopen(request, timeout):
        seen["timeout"] = timeout
        raise TimeoutError("timed out")

    monkeypatch.setattr(tokens.urllib.request, "urlopen", urlopen)
    verifier = TokenVerifier("https://idp.city.example.lg.jp/jwks.json", issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE)
    started = time.monotonic()
    with pytest.raises(KeySetUnavailable, match="choju jwks sync"):
        verifier.verify(mint_token(state_dir, "S1001"))
    assert seen["timeout"] <= 3 and time.monotonic() - started < 1


def test_no_key_set_at_all_is_unavailable_not_an_invalid_token(state_dir: Path) -> None:
    def missing() -> dict:
        raise RuntimeError("ParameterNotFound")

    verifier = TokenVerifier(missing, issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE)
    with pytest.raises(KeySetUnavailable, match="ParameterNotFound"):
        verifier.verify(mint_token(state_dir, "S1001"))


def test_the_last_good_key_set_keeps_serving_while_a_refresh_fails(state_dir: Path) -> None:
    clock, calls = Clock(), []

    def flaky() -> dict:
        calls.append(clock.now)
        if len(calls) > 1:
            raise TimeoutError("endpoint slow")
        return _key_set(state_dir)

    verifier = TokenVerifier(flaky, issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE, clock=clock)
    verifier.verify(mint_token(state_dir, "S1001"))
    clock.now += 301  # past the lifespan: a refresh is tried, fails, and the cached keys still verify
    assert verifier.verify(mint_token(state_dir, "S1001")).subject == "S1001"
    assert len(calls) == 2


def test_an_unknown_key_id_refreshes_at_most_once_a_minute(state_dir: Path) -> None:
    clock, calls = Clock(), []

    def source() -> dict:
        calls.append(clock.now)
        return _key_set(state_dir)

    verifier = TokenVerifier(source, issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE, clock=clock)
    verifier.verify(mint_token(state_dir, "S1001"))
    import jwt

    forged_kid = jwt.encode({"sub": "x"}, "secret-secret-secret-secret-32b!", algorithm="HS256",
                            headers={"kid": "rotated-2"})
    for _ in range(3):
        with pytest.raises(TokenRejected):
            verifier.verify(forged_kid)
    assert len(calls) == 1
    clock.now += 61
    with pytest.raises(TokenRejected):
        verifier.verify(forged_kid)
    assert len(calls) == 2


@pytest.mark.parametrize("document, message", [
    ({"keys": []}, "non-empty"),
    ({"keys": [{"kty": "EC", "kid": "k", "d": "secret", "crv": "P-256", "x": "a", "y": "b"}]}, "private"),
    ({"keys": [{"kty": "oct", "kid": "k", "k": "c2VjcmV0"}]}, "symmetric"),
    ({"keys": [{"kty": "RSA", "kid": "k", "use": "enc", "n": "a", "e": "AQAB"}]}, "not a signing key"),
])
def test_only_public_signing_keys_are_accepted(document: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_key_set(document)


def test_plain_http_and_relative_parameter_names_are_refused(state_dir: Path) -> None:
    with pytest.raises(ConfigError, match="http"):
        load_settings(env_for(state_dir, CHOJU_JWKS="http://idp.example/jwks.json"))
    with pytest.raises(ConfigError, match="full name"):
        load_settings(env_for(state_dir, CHOJU_JWKS="ssm:idp-jwks"))


def test_the_api_answers_503_when_the_keys_cannot_be_read(api, runtime, auth) -> None:
    def unreadable() -> dict:
        raise TimeoutError("ssm endpoint")

    runtime.__dict__["tokens"] = TokenVerifier(unreadable, issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE)
    response = api.get("/auth/me", headers=auth("S1001"))
    assert response.status_code == 503 and response.json()["code"] == "identity-keys-unavailable"
    assert response.headers["retry-after"] == "30" and "ssm endpoint" not in response.text


@pytest.fixture
def operator_env(_moto, state_dir: Path, monkeypatch) -> Path:
    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    return state_dir


def test_the_operator_syncs_and_shows_the_key_set(operator_env: Path, _clients: AwsClients, capsys) -> None:
    assert main(["jwks", "sync", "--file", str(operator_env / "jwks.json")]) == 0
    assert "choju-local-1" in capsys.readouterr().out
    stored = json.loads(_clients.client("ssm").get_parameter(Name=PARAMETER)["Parameter"]["Value"])
    assert stored == _key_set(operator_env)
    assert main(["jwks", "show"]) == 0
    assert json.loads(capsys.readouterr().out) == {"parameter": PARAMETER, "kids": ["choju-local-1"]}


def test_a_key_set_with_private_material_is_never_stored(operator_env: Path, tmp_path: Path, capsys) -> None:
    leaked = tmp_path / "leaked.json"
    leaked.write_text(json.dumps({"keys": [{"kty": "EC", "kid": "x", "crv": "P-256", "x": "a", "y": "b", "d": "c"}]}))
    assert main(["jwks", "sync", "--file", str(leaked)]) == 2
    assert "private" in capsys.readouterr().err
