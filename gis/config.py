"""Typed settings: the environment (NAERINGSKART_*) plus the kommune's TOML file."""

from __future__ import annotations

import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_KOMMUNE_FILE = Path(__file__).resolve().parent / "kommuner" / "3203-asker.toml"


class ConfigError(Exception):
    """A settings file or variable that cannot be used, with the reason."""


def describe_validation_error(error: ValidationError) -> str:
    """'field.sub: message; ...' — short enough for a command line."""
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors())


class MapSettings(BaseModel):
    """Where the map opens."""

    centre_lat: float = Field(ge=57.0, le=72.0)
    centre_lon: float = Field(ge=4.0, le=32.0)
    zoom: int = Field(default=11, ge=3, le=18)


class JordvernSettings(BaseModel):
    """The kommune's farmland-protection target."""

    target_daa_per_year: float = Field(ge=0)


class KommuneConfig(BaseModel):
    """One kommune's settings, read from its TOML file."""

    kommunenummer: str = Field(pattern=r"^\d{4}$")
    name: str
    storage_srid: int = Field(ge=2000, le=999999)
    map: MapSettings
    jordvern: JordvernSettings
    # Sections added by later features (abc, projection, ...) stay available as raw data.
    extra: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> KommuneConfig:
        """Read and validate a kommune TOML file."""
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{path}: kommune file not found") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        known = {"kommunenummer", "name", "storage_srid", "map", "jordvern"}
        extra = {key: value for key, value in raw.items() if key not in known}
        try:
            return cls(**{key: raw[key] for key in known if key in raw}, extra=extra)
        except ValidationError as exc:
            raise ConfigError(f"{path}: {describe_validation_error(exc)}") from exc


class Settings(BaseSettings):
    """Process settings; every field can be set as NAERINGSKART_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="NAERINGSKART_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    # When empty, the project-local cluster in var_dir/pg is used.
    database_url: str = ""
    database_name: str = "naeringskart"
    var_dir: Path = PROJECT_ROOT / "var"
    kommune_file: Path = DEFAULT_KOMMUNE_FILE
    secret_key: str = "dev-only-not-secret"
    # Upper bound for features returned by one bbox request.
    max_features: int = Field(default=5000, ge=1, le=100_000)
    # Finished vector tiles kept in memory per server process (0: no cache).
    tile_cache_mb: int = Field(default=64, ge=0, le=65536)
    # Connections a big load writes over at once (0: one per CPU core, at most 4).
    load_workers: int = Field(default=0, ge=0, le=16)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none;
    # the socket's address is the client's, as a forged header must not dodge the sign-in limits).
    trusted_proxies: int = Field(default=0, ge=0, le=5)

    @field_validator("secret_key")
    @classmethod
    def _secret_key_not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("secret_key must not be empty")
        return value

    @cached_property
    def kommune(self) -> KommuneConfig:
        """The kommune's settings (read once)."""
        return KommuneConfig.from_file(self.kommune_file)

    @property
    def cluster_dir(self) -> Path:
        """Data directory of the project-local PostGIS cluster."""
        return self.var_dir / "pg"


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with explicit overrides (tests pass these)."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(f"settings: {describe_validation_error(exc)}") from exc
    if settings.env == "production" and settings.secret_key == "dev-only-not-secret":
        raise ConfigError("NAERINGSKART_SECRET_KEY must be set in production")
    return settings
