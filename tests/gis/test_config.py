"""Settings from the environment and the kommune TOML."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from gis.config import ConfigError, KommuneConfig, load_settings


def test_default_kommune_is_asker() -> None:
    kommune = load_settings().kommune
    assert (kommune.kommunenummer, kommune.name, kommune.storage_srid) == ("3203", "Asker", 25832)
    assert kommune.jordvern.target_daa_per_year == 15.0
    assert 59 < kommune.map.centre_lat < 60


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAERINGSKART_MAX_FEATURES", "250")
    monkeypatch.setenv("NAERINGSKART_DATABASE_URL", "postgresql+psycopg://u@h:1/x")
    settings = load_settings()
    assert settings.max_features == 250
    assert settings.database_url.endswith("/x")


def test_bad_kommune_file_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "kommune.toml"
    path.write_text('kommunenummer = "32"\nname = "X"\nstorage_srid = 25832\n'
                    "[map]\ncentre_lat = 59.8\ncentre_lon = 10.4\n"
                    "[jordvern]\ntarget_daa_per_year = 15\n")
    with pytest.raises(ConfigError, match=r"kommune\.toml.*kommunenummer"):
        KommuneConfig.from_file(path)


def test_production_requires_a_secret_key() -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings(env="production")


@pytest.mark.parametrize("secret_key", ["short-but-random-Xq81", "x" * 31, "change-me", "Secret",
                                        "test-secret", " dev ", "dev-only-not-secret"])
def test_production_refuses_short_or_published_secret_keys(secret_key: str) -> None:
    with pytest.raises(ConfigError, match="NAERINGSKART_SECRET_KEY"):
        load_settings(env="production", secret_key=secret_key)


def test_production_refuses_the_secret_key_of_env_example() -> None:
    from gis.config import PROJECT_ROOT

    lines = (PROJECT_ROOT / ".env.example").read_text().splitlines()
    example = next(line.split("=", 1)[1] for line in lines
                   if line.startswith("NAERINGSKART_SECRET_KEY="))
    with pytest.raises(ConfigError, match="NAERINGSKART_SECRET_KEY"):
        load_settings(env="production", secret_key=example)


def test_production_refuses_a_short_secret_key_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAERINGSKART_ENV", "production")
    monkeypatch.setenv("NAERINGSKART_SECRET_KEY", "only-sixteen-byt")
    with pytest.raises(ConfigError, match=r"16 bytes.*at least 32"):
        load_settings()


def test_production_accepts_a_long_random_secret_key() -> None:
    key = secrets.token_urlsafe(32)
    assert load_settings(env="production", secret_key=key).secret_key == key


def test_short_secret_keys_are_fine_outside_production() -> None:
    assert load_settings(env="development", secret_key="dev").secret_key == "dev"


def test_env_example_documents_every_setting() -> None:
    from gis.config import PROJECT_ROOT, Settings

    documented = (PROJECT_ROOT / ".env.example").read_text()
    for name in Settings.model_fields:
        assert f"NAERINGSKART_{name.upper()}" in documented, name
