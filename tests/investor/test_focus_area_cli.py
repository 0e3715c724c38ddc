"""`naeringskart focus-area add` and the focus-area map layer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.investor.conftest import query
from webmap.cli import main

SQUARE = [[[10.40, 59.70], [10.45, 59.70], [10.45, 59.73], [10.40, 59.73], [10.40, 59.70]]]


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NAERINGSKART_DATABASE_URL", db_url)
    return db_url


def _write(path: Path, *geometries: dict[str, object]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": g} for g in geometries]}))
    return path


def test_add_creates_then_replaces_a_focus_area(cli_env: str, tmp_path: Path) -> None:
    shifted = [[[x + 0.1, y] for x, y in SQUARE[0]]]
    path = _write(tmp_path / "omraade.geojson", {"type": "Polygon", "coordinates": SQUARE},
                  {"type": "Polygon", "coordinates": shifted})
    runner = CliRunner()
    result = runner.invoke(main, ["focus-area", "add", "--name-nb", "Testområdet", "--name-en",
                                  "Test area", "--text-nb", "Tekst", "--text-en", "Text",
                                  str(path)])
    assert result.exit_code == 0, result.output
    assert "Testområdet: focus area saved" in result.output
    rows = query(cli_env, "SELECT name_en, text_nb, ST_NumGeometries(geom), "
                          "ST_SRID(geom) FROM focus_area")
    assert rows == [("Test area", "Tekst", 2, 25832)]
    one = _write(tmp_path / "mindre.geojson", {"type": "Polygon", "coordinates": SQUARE})
    again = runner.invoke(main, ["focus-area", "add", "--name-nb", "Testområdet", "--name-en",
                                 "Test area 2", str(one)])
    assert again.exit_code == 0, again.output
    assert query(cli_env, "SELECT name_en, ST_NumGeometries(geom) FROM focus_area") == [
        ("Test area 2", 1)]


def test_a_point_is_refused_with_the_feature_named(cli_env: str, tmp_path: Path) -> None:
    path = _write(tmp_path / "punkt.geojson", {"type": "Polygon", "coordinates": SQUARE},
                  {"type": "Point", "coordinates": [10.4, 59.7]})
    result = CliRunner().invoke(main, ["focus-area", "add", "--name-nb", "X", "--name-en", "X",
                                       str(path)])
    assert result.exit_code != 0
    assert "punkt.geojson: feature 1: a focus area must be a polygon" in result.output
    assert query(cli_env, "SELECT count(*) FROM focus_area") == [(0,)]


def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(main, ["focus-area", "add", "--help"])
    assert result.exit_code == 0 and "--name-nb" in result.output and "--text-en" in result.output


def test_demo_focus_area_is_served_as_a_map_layer(client: object) -> None:
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    data = client.get("/api/layers/focus_areas/features?bbox=10.2,59.4,10.8,60.0").get_json()
    names = [f["properties"]["name_nb"] for f in data["features"]]
    assert names == ["Asker syd"] and data["features"][0]["properties"]["illustrative"] is True
