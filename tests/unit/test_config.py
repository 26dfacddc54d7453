"""Start-up configuration: data stays in Japan (PIA-II-6-a) and bad settings stop the process clearly."""

import pytest

from shared.config import ConfigError, load_settings

BASE = {"CHOJU_JWKS": "/tmp/jwks.json", "CHOJU_TOKEN_ISSUER": "https://idp", "CHOJU_TOKEN_AUDIENCE": "choju"}


def test_defaults_are_tokyo_primary_and_osaka_secondary() -> None:
    s = load_settings(BASE)
    assert (s.region, s.secondary_region) == ("ap-northeast-1", "ap-northeast-3")
    assert s.session_idle_minutes == 15 and s.mode == "aws" and s.endpoint_url is None


@pytest.mark.parametrize("region", ["us-east-1", "ap-northeast-3", "eu-west-1", "ap-southeast-1"])
def test_a_primary_region_outside_tokyo_stops_start_up_naming_the_variable(region: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({**BASE, "CHOJU_REGION": region})
    assert "CHOJU_REGION" in str(error.value) and "ap-northeast-1" in str(error.value)


def test_a_secondary_region_outside_osaka_stops_start_up() -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({**BASE, "CHOJU_SECONDARY_REGION": "us-west-2"})
    assert "CHOJU_SECONDARY_REGION" in str(error.value) and "ap-northeast-3" in str(error.value)


@pytest.mark.parametrize("name", ["CHOJU_JWKS", "CHOJU_TOKEN_ISSUER", "CHOJU_TOKEN_AUDIENCE"])
def test_missing_identity_settings_are_named(name: str) -> None:
    env = {k: v for k, v in BASE.items() if k != name}
    with pytest.raises(ConfigError, match=name):
        load_settings(env)


def test_an_endpoint_url_is_refused_outside_local_mode() -> None:
    with pytest.raises(ConfigError, match="CHOJU_ENDPOINT_URL"):
        load_settings({**BASE, "CHOJU_ENDPOINT_URL": "http://127.0.0.1:5000"})
    assert load_settings({**BASE, "CHOJU_MODE": "local", "CHOJU_ENDPOINT_URL": "http://x"}).is_local


@pytest.mark.parametrize("value", ["abc", "0", "100000"])
def test_idle_timeout_must_be_a_sane_number_of_minutes(value: str) -> None:
    with pytest.raises(ConfigError, match="CHOJU_SESSION_IDLE_MINUTES"):
        load_settings({**BASE, "CHOJU_SESSION_IDLE_MINUTES": value})


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ConfigError, match="CHOJU_MODE"):
        load_settings({**BASE, "CHOJU_MODE": "cloud"})


def test_in_aws_a_job_started_by_a_request_is_left_to_its_worker_and_locally_it_runs_in_the_request() -> None:
    """The default follows the mode: a Lambda API function must never run a long job in the request (its worker
    takes the chunks from the queue); local mode has no worker. An explicit setting wins either way."""
    assert load_settings(BASE).runs_chunks_here is False
    assert load_settings({**BASE, "CHOJU_MODE": "local"}).runs_chunks_here is True
    assert load_settings({**BASE, "CHOJU_CHUNKS_HERE": "true"}).runs_chunks_here is True
    assert load_settings({**BASE, "CHOJU_MODE": "local", "CHOJU_CHUNKS_HERE": "false"}).runs_chunks_here is False
