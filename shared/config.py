"""Settings from `CHOJU_*` environment variables, validated once at start-up.

Why validate here: a wrong region or a missing issuer must stop the process before it touches data,
with a message that names the variable and what it may be (PIA-II-6-a for the regions).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from shared.domain.regions import PRIMARY_REGION, SECONDARY_REGION

Mode = Literal["aws", "local"]


class ConfigError(ValueError):
    """A `CHOJU_*` variable is missing or has a value the system cannot run with."""


@dataclass(frozen=True)
class Settings:
    mode: Mode
    region: str
    secondary_region: str
    name_prefix: str
    endpoint_url: str | None
    jwks: str
    token_issuer: str
    token_audience: str
    session_idle_minutes: int
    max_body_bytes: int
    log_level: str
    change_expiry_hours: int = 72
    certificate_rule: str = "all"

    @property
    def is_local(self) -> bool:
        return self.mode == "local"


def _int(env: Mapping[str, str], name: str, default: int, minimum: int, maximum: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name}={value} must be between {minimum} and {maximum}")
    return value


def _one_of(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = env.get(name) or default
    if value not in allowed:
        raise ConfigError(f"{name}={value!r} is not allowed; allowed values: {', '.join(allowed)}")
    return value


def _required(env: Mapping[str, str], name: str, default: str | None = None) -> str:
    value = env.get(name) or default
    if not value:
        raise ConfigError(f"{name} must be set")
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings; raise ConfigError naming the variable on the first bad value."""
    env = os.environ if env is None else env
    mode = _one_of(env, "CHOJU_MODE", "aws", ("aws", "local"))
    endpoint_url = env.get("CHOJU_ENDPOINT_URL") or None
    if endpoint_url and mode != "local":
        raise ConfigError("CHOJU_ENDPOINT_URL is only allowed with CHOJU_MODE=local")
    return Settings(
        mode=mode,  # type: ignore[arg-type]
        # Only Tokyo as primary and Osaka as secondary: data stays in Japan (PIA-II-6-a).
        region=_one_of(env, "CHOJU_REGION", PRIMARY_REGION, (PRIMARY_REGION,)),
        secondary_region=_one_of(env, "CHOJU_SECONDARY_REGION", SECONDARY_REGION, (SECONDARY_REGION,)),
        name_prefix=_required(env, "CHOJU_NAME_PREFIX", "choju-dev"),
        endpoint_url=endpoint_url,
        jwks=_required(env, "CHOJU_JWKS"),
        token_issuer=_required(env, "CHOJU_TOKEN_ISSUER"),
        token_audience=_required(env, "CHOJU_TOKEN_AUDIENCE"),
        session_idle_minutes=_int(env, "CHOJU_SESSION_IDLE_MINUTES", 15, 1, 480),
        max_body_bytes=_int(env, "CHOJU_MAX_BODY_BYTES", 1_048_576, 1_024, 6_291_456),
        log_level=_one_of(env, "CHOJU_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
        change_expiry_hours=_int(env, "CHOJU_CHANGE_EXPIRY_HOURS", 72, 1, 24 * 30),
        # 資格確認書 after the transition (2026-07-31): "all" or "non-holders" (not settled in the sources [P]).
        certificate_rule=_one_of(env, "CHOJU_CERTIFICATE_RULE", "all", ("all", "non-holders")),
    )
