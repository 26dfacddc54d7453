"""Settings from `CHOJU_*` environment variables (pydantic-settings), validated once at start-up.

Why validate here: a wrong region or a missing issuer must stop the process before it touches data, with a
message that names the variable and what it may be (PIA-II-6-a for the regions).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.sources.utils import parse_env_vars

from shared.domain.regions import PRIMARY_REGION, SECONDARY_REGION

__all__ = ["ENV_PREFIX", "ConfigError", "Mode", "Settings", "load_settings"]

ENV_PREFIX = "CHOJU_"
Mode = Literal["aws", "local"]
_explicit_environment: ContextVar[Mapping[str, str] | None] = ContextVar("choju_environment", default=None)


class ConfigError(ValueError):
    """A `CHOJU_*` variable is missing or has a value the system cannot run with."""


class _MappingSource(EnvSettingsSource):
    """Read the variables from a given mapping instead of the process environment (tests, operator tools)."""

    def __init__(self, settings_cls: type[BaseSettings], environment: Mapping[str, str]) -> None:
        self._environment = environment
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._environment, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, frozen=True, extra="ignore")

    mode: Mode = "aws"
    # Only Tokyo as primary and Osaka as secondary: data stays in Japan (PIA-II-6-a).
    region: Literal["ap-northeast-1"] = PRIMARY_REGION
    secondary_region: Literal["ap-northeast-3"] = SECONDARY_REGION
    name_prefix: Annotated[str, Field(min_length=1)] = "choju-dev"
    endpoint_url: str | None = None
    # The identity provider's public keys: ssm:<parameter name> (AWS), a file path (local) or an https URL.
    jwks: Annotated[str, Field(min_length=1)]
    token_issuer: Annotated[str, Field(min_length=1)]
    token_audience: Annotated[str, Field(min_length=1)]
    session_idle_minutes: Annotated[int, Field(ge=1, le=480)] = 15
    max_body_bytes: Annotated[int, Field(ge=1_024, le=6_291_456)] = 1_048_576
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    change_expiry_hours: Annotated[int, Field(ge=1, le=24 * 30)] = 72
    # 資格確認書 after the transition (2026-07-31): "all" or "non-holders" (not settled in the sources [P]).
    certificate_rule: Literal["all", "non-holders"] = "all"
    # Printed notices (design rule 11): the city that sends them, the department residents call, its telephone,
    # and the insurer's 保険者番号 (法別番号 39) printed on the 資格確認書 (not in the sources: blank until set).
    city_name: Annotated[str, Field(min_length=1, max_length=20)] = "熊本市"
    issuing_department: Annotated[str, Field(min_length=1, max_length=40)] = "国保年金課"
    notice_contact: Annotated[str | None, Field(max_length=40)] = None
    insurer_number: Annotated[str | None, Field(pattern=r"^39[0-9]{6}$")] = None
    # Who runs the chunks of a job an API request starts: its queue's worker function (AWS: the request answers
    # 202) or the request itself (local mode, where no worker exists). Unset: the mode decides.
    chunks_here: bool | None = None

    @property
    def is_local(self) -> bool:
        return self.mode == "local"

    @property
    def runs_chunks_here(self) -> bool:
        """True when no worker function takes a job's chunks from its queue, so whoever starts a job runs them."""
        return self.is_local if self.chunks_here is None else self.chunks_here

    @model_validator(mode="after")
    def _key_set_source(self) -> Settings:
        if self.jwks.startswith("http://"):
            raise ValueError("CHOJU_JWKS must not be plain http: use https://, ssm:<parameter name> or a file path")
        if self.jwks.startswith("ssm:") and not self.jwks.startswith("ssm:/"):
            raise ValueError("CHOJU_JWKS=ssm:<name> takes the parameter's full name, e.g. ssm:/choju-prod/idp-jwks")
        return self

    @model_validator(mode="after")
    def _endpoint_only_locally(self) -> Settings:
        if self.endpoint_url and self.mode != "local":
            raise ValueError("CHOJU_ENDPOINT_URL is only allowed with CHOJU_MODE=local")
        return self

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only the environment (no .env files, no secrets directory): Lambda configuration is the environment.
        explicit = _explicit_environment.get()
        return (init_settings, _MappingSource(settings_cls, explicit) if explicit is not None else env_settings)


def _variable(location: tuple[Any, ...]) -> str:
    return f"{ENV_PREFIX}{str(location[0]).upper()}" if location else "configuration"


def _message(error: Any) -> str:
    """One line per bad variable: its name, what was given (never for secrets-like values) and what may be."""
    name = _variable(error["loc"])
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        return f"{name} must be set"
    if kind == "literal_error":
        allowed = error["ctx"]["expected"].replace("'", "")
        return f"{name}={given!r} is not allowed; allowed values: {allowed}"
    if kind in ("int_parsing", "int_from_float"):
        return f"{name}={given!r} is not a whole number"
    if kind in ("greater_than_equal", "less_than_equal"):
        field = Settings.model_fields[error["loc"][0]]
        bounds = {type(m).__name__: m for m in field.metadata}
        low, high = getattr(bounds.get("Ge"), "ge", None), getattr(bounds.get("Le"), "le", None)
        return f"{name}={given} must be between {low} and {high}"
    if kind == "string_too_short":
        return f"{name} must be set"
    if kind == "string_too_long":
        return f"{name} is at most {error['ctx']['max_length']} characters"
    if kind == "string_pattern_mismatch":
        return f"{name}={given!r} does not match {error['ctx']['pattern']}"
    return error["msg"].removeprefix("Value error, ") if not error["loc"] else f"{name}: {error['msg']}"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings from `env` (default: the process environment); raise ConfigError
    naming every bad variable."""
    token = _explicit_environment.set(env if env is not None else None)
    try:
        return Settings()  # type: ignore[call-arg]  # required values come from the environment
    except ValidationError as invalid:
        raise ConfigError("; ".join(_message(e) for e in invalid.errors())) from None
    finally:
        _explicit_environment.reset(token)
