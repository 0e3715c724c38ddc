"""The command line, through Click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from webmap.cli import main


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NAERINGSKART_DATABASE_URL", db_url)
    return db_url


@pytest.mark.parametrize("command", [[], ["db"], ["db", "up"], ["db", "status"], ["load"],
                                     ["serve"], ["demo"], ["db", "migrate"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 4


def test_load_prints_what_it_did_and_history_lists_it(cli_env: str, tmp_path: Path) -> None:
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"site_id": "X-1", "name": "Tomt", "area_m2": 100,
                                          "status": "ledig"},
        "geometry": {"type": "Polygon", "coordinates": [[[10.43, 59.83], [10.44, 59.83],
                                                         [10.44, 59.84], [10.43, 59.83]]]}}]}))
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", "sites", str(path)])
    assert loaded.exit_code == 0, loaded.output
    assert "1 rows published to sites" in loaded.output
    again = runner.invoke(main, ["load", "sites", str(path)])
    assert "already loaded" in again.output
    history = runner.invoke(main, ["load", "--history"])
    assert "published" in history.output and "unchanged" in history.output


def test_bad_file_exits_non_zero_with_the_reason(cli_env: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    result = CliRunner().invoke(main, ["load", "sites", str(path)])
    assert result.exit_code == 1
    assert "broken.geojson" in result.output
    assert "Traceback" not in result.output


def test_load_without_arguments_lists_sources(cli_env: str) -> None:
    result = CliRunner().invoke(main, ["load"])
    assert result.exit_code == 2 and "sites" in result.output


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the refusal these tests would start a server; make that fail fast instead."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a server was started")

    monkeypatch.setattr("webmap.cli.serve.os.execvp", refuse)
    monkeypatch.setattr("flask.Flask.run", refuse)


@pytest.mark.usefixtures("no_server")
def test_serve_dev_is_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAERINGSKART_ENV", "production")
    monkeypatch.setenv("NAERINGSKART_SECRET_KEY", "a-long-random-production-secret-0123456789")
    result = CliRunner().invoke(main, ["serve", "--dev"])
    assert result.exit_code != 0
    assert "--dev" in result.output and "NAERINGSKART_ENV=production" in result.output


@pytest.mark.usefixtures("no_server")
def test_serve_refuses_a_weak_secret_key_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAERINGSKART_ENV", "production")
    monkeypatch.setenv("NAERINGSKART_SECRET_KEY", "change-me")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code != 0
    assert "NAERINGSKART_SECRET_KEY" in result.output and "Traceback" not in result.output


def test_create_app_refuses_a_weak_secret_key_in_production(db_url: str) -> None:
    from gis.config import ConfigError, load_settings
    from webmap import create_app

    settings = load_settings(database_url=db_url, env="test", secret_key="test-secret")
    settings.env = "production"  # changed after loading: create_app checks again
    with pytest.raises(ConfigError, match="NAERINGSKART_SECRET_KEY"):
        create_app(settings)
