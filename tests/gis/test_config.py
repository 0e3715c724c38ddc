"""Settings from the environment and the kommune TOML."""

from __future__ import annotations

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


def test_env_example_documents_every_setting() -> None:
    from gis.config import PROJECT_ROOT, Settings

    documented = (PROJECT_ROOT / ".env.example").read_text()
    for name in Settings.model_fields:
        assert f"NAERINGSKART_{name.upper()}" in documented, name
