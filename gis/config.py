"""Typed settings: the environment (NAERINGSKART_*) plus the kommune's TOML file."""

from __future__ import annotations

import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_KOMMUNE_FILE = Path(__file__).resolve().parent / "kommuner" / "3203-asker.toml"
DEV_SECRET_KEY = "dev-only-not-secret"
# Shorter keys can be guessed offline from one signed session cookie.
MIN_PRODUCTION_SECRET_BYTES = 32
# Values found in examples, templates and tests: anyone can sign cookies with them.
KNOWN_DEFAULT_SECRETS = frozenset({
    DEV_SECRET_KEY, "change-me", "changeme", "change-this", "changethis", "dev", "development",
    "secret", "secret-key", "secret_key", "secretkey", "test", "test-secret", "testing",
    "naeringskart", "næringskart", "default", "password", "replace-me", "your-secret-key",
    "please-change-me",
})


class ConfigError(Exception):
    """A settings file or variable that cannot be used, with the reason."""


def describe_validation_error(error: ValidationError) -> str:
    """'field.sub: message; ...' — short enough for a command line."""
    parts = []
    for item in error.errors():
        message = item["msg"].removeprefix("Value error, ")
        where = ".".join(str(part) for part in item["loc"])
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


class MapSettings(BaseModel):
    """Where the map opens."""

    centre_lat: float = Field(ge=57.0, le=72.0)
    centre_lon: float = Field(ge=4.0, le=32.0)
    zoom: int = Field(default=11, ge=3, le=18)


class JordvernSettings(BaseModel):
    """The kommune's farmland-protection target."""

    target_daa_per_year: float = Field(ge=0)


class DemoSettings(BaseModel):
    """What the demo data generator (etl/demo/generate.py) writes for this kommune. Only the
    generator reads it; every field has a default (empty: derived from the kommune's name and
    number), so a kommune file without a [demo] section loads."""

    # Input files in etl/demo: the kommune boundary (GeoJSON, WGS84) and the named places
    # (CSV: name, kind, level, lat, lon). Empty: <name>_kommune_<nr>.geojson, <name>_places.csv.
    boundary_file: str = ""
    places_file: str = ""
    # The data owner (SOSI ..EIER). Empty: "<name> kommune (fiktive demodata)".
    owner: str = ""
    # Demo site ids are <prefix>-001, ... Empty: the name's first three letters in capitals.
    site_id_prefix: str = Field(default="", pattern=r"^[A-ZÆØÅ]{0,6}$")
    # The kommuneplan's arealdel the demo invents (SOSI ..PLANID and ..PLANNAVN).
    kpa_planid: str = Field(default="2020001", pattern=r"^\w{1,16}$")
    kpa_name: str = "Kommuneplanens arealdel (fiktiv demo)"
    # Where the boundary file comes from and its licence (the demo README's words).
    boundary_source: str = "© Kartverket, CC BY 4.0."


class KommuneConfig(BaseModel):
    """One kommune's settings, read from its TOML file."""

    kommunenummer: str = Field(pattern=r"^\d{4}$")
    name: str
    storage_srid: int = Field(ge=2000, le=999999)
    map: MapSettings
    jordvern: JordvernSettings
    demo: DemoSettings = Field(default_factory=DemoSettings)
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
        known = {"kommunenummer", "name", "storage_srid", "map", "jordvern", "demo"}
        extra = {key: value for key, value in raw.items() if key not in known}
        try:
            return cls(**{key: raw[key] for key in known if key in raw}, extra=extra)
        except ValidationError as exc:
            raise ConfigError(f"{path}: {describe_validation_error(exc)}") from exc


class Settings(BaseSettings):
    """Process settings; every field can be set as NAERINGSKART_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="NAERINGSKART_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    # The web app's connection. When empty, the project-local cluster in var_dir/pg is used,
    # signed in as its app role (rows only, no schema changes).
    database_url: str = ""
    # Migrations, loads and the other administrative commands. Empty: the local cluster's owner
    # role, or database_url when that is set (a database with one role for everything).
    owner_database_url: str = ""
    # Only for `db up` and `demo` on a server you manage (docker compose): the superuser that
    # creates the database, its extensions and the owner and app roles named by the two URLs
    # above, with their passwords. Never needed by the web app.
    superuser_database_url: str = ""
    # Hot standbys for reads that may lag a moment (tiles, the catalogue, feature GETs): app-role
    # URLs, comma-separated. Empty: none, or the local replica when `db up --replica` runs one.
    replica_urls: str = ""
    database_name: str = "naeringskart"
    var_dir: Path = PROJECT_ROOT / "var"
    kommune_file: Path = DEFAULT_KOMMUNE_FILE
    secret_key: str = DEV_SECRET_KEY
    # Upper bound for features returned by one bbox request.
    max_features: int = Field(default=5000, ge=1, le=100_000)
    # Finished vector tiles kept in memory per server process (0: no cache).
    tile_cache_mb: int = Field(default=64, ge=0, le=65536)
    # Connections a big load writes over at once (0: one per CPU core, at most 4).
    load_workers: int = Field(default=0, ge=0, le=16)
    # Base of absolute links in exports and PDFs (e.g. https://kart.asker.kommune.no); never
    # taken from the request's Host header, which the client chooses. Empty: http://HOST:PORT.
    public_url: str = Field(default="", pattern=r"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$")
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

    @model_validator(mode="after")
    def _production_secret_key_is_strong(self) -> Settings:
        problem = production_secret_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def public_base_url(self) -> str:
        """Absolute links start with this (no trailing slash)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @cached_property
    def kommune(self) -> KommuneConfig:
        """The kommune's settings (read once)."""
        return KommuneConfig.from_file(self.kommune_file)

    @property
    def replica_url_list(self) -> list[str]:
        """The configured replica URLs (replica_urls split at commas)."""
        return [url.strip() for url in self.replica_urls.split(",") if url.strip()]

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
    require_production_safe(settings)
    return settings


def production_secret_problem(settings: Settings) -> str | None:
    """Why the secret key may not sign production cookies, or None."""
    if settings.env != "production":
        return None
    key = settings.secret_key
    if key.strip().lower() in KNOWN_DEFAULT_SECRETS:
        return ("NAERINGSKART_SECRET_KEY is a published default value; set a long random value "
                "in production (e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    if len(key.encode("utf-8")) < MIN_PRODUCTION_SECRET_BYTES:
        return (f"NAERINGSKART_SECRET_KEY has {len(key.encode('utf-8'))} bytes; production needs "
                f"at least {MIN_PRODUCTION_SECRET_BYTES} (e.g. python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')")
    return None


def require_production_safe(settings: Settings) -> None:
    """Refuse settings that must not run in production (also for settings changed after load)."""
    problem = production_secret_problem(settings)
    if problem:
        raise ConfigError(problem)
