"""Vector tiles: content, empty tiles, bad coordinates, caching and data versions."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from gis import db as gisdb
from gis import tiles as gistiles
from gis.cluster import LocalCluster
from gis.db import libpq_dsn
from tests.conftest import make_settings
from tests.openapi_check import assert_matches_spec, openapi_document
from tests.tile_data import CENTRE, add_tile_data, tile_of

MVT = "application/vnd.mapbox-vector-tile"


_COUNTER = itertools.count()


@pytest.fixture
def tiles_db(cluster: LocalCluster, migrated_template: str) -> Iterator[str]:
    # A new name per test: the tile pool keeps connections to each database it has served.
    url = cluster.url(f"nk_tiles_api_{os.getpid()}_{next(_COUNTER)}")
    gisdb.drop_database(url)
    gisdb.ensure_database(url, template=migrated_template)
    add_tile_data(url)
    yield url
    gisdb.drop_database(url)


@pytest.fixture
def tiles_app(tiles_db: str) -> Flask:
    from webmap import create_app

    app = create_app(make_settings(tiles_db))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def tc(tiles_app: Flask) -> FlaskClient:
    return tiles_app.test_client()


def _url(layer: str, z: int, lon: float = CENTRE[0], lat: float = CENTRE[1]) -> str:
    z, x, y = tile_of(lon, lat, z)
    return f"/tiles/{layer}/{z}/{x}/{y}.mvt"


def test_zoning_tile_holds_current_plans_only(tc: FlaskClient) -> None:
    response = tc.get(_url("zoning", 14))
    assert response.status_code == 200 and response.mimetype == MVT
    data = response.data
    assert b"zoning" in data and b"naering" in data and b"Testplan" in data
    # The rejected proposal (planstatus 2) is not zoning.
    assert b"FORSLAG" not in tc.get(_url("zoning", 12)).data


def test_low_zoom_zoning_comes_from_the_simplified_overview(tc: FlaskClient) -> None:
    response = tc.get(_url("zoning", 10))
    assert response.status_code == 200 and b"naering" in response.data


def test_buildings_are_footprints_up_close_and_counts_far_out(tc: FlaskClient) -> None:
    close = tc.get(_url("buildings", 16))
    assert close.status_code == 200 and b"kontor/forretning" in close.data
    far = tc.get(_url("buildings", 12))
    assert far.status_code == 200
    assert b"dominant_group" in far.data and b"bygningsnummer" not in far.data


def test_farmland_leaves_out_other_land_cover(tc: FlaskClient) -> None:
    data = tc.get(_url("farmland", 14)).data
    assert b"Fulldyrka jord" in data and b"Skog" not in data


def test_empty_tile_is_204(tc: FlaskClient) -> None:
    response = tc.get(_url("buildings", 16, lon=5.0, lat=61.0))
    assert response.status_code == 204 and response.data == b""
    assert response.headers["ETag"]


@pytest.mark.parametrize(("path", "status"), [
    ("/tiles/buildings/25/0/0.mvt", 400),
    ("/tiles/buildings/14/16384/0.mvt", 400),
    ("/tiles/buildings/14/0/16384.mvt", 400),
    ("/tiles/buildings/14/-1/0.mvt", 404),
    ("/tiles/buildings/3/4/2.mvt", 404),  # below the layer's zoom range
    ("/tiles/nope/14/0/0.mvt", 404),
    ("/tiles/sites/14/0/0.mvt", 404),  # a GeoJSON layer
])
def test_bad_tile_requests(tc: FlaskClient, path: str, status: int) -> None:
    response = tc.get(path)
    assert response.status_code == status
    if status == 400:
        assert "outside" in response.get_json()["detail"]


def test_etag_and_cache_control_follow_the_data_version(tc: FlaskClient, tiles_db: str) -> None:
    layers = {layer["id"]: layer for layer in tc.get("/api/layers").get_json()["layers"]}
    template = layers["buildings"]["tiles"]
    z, x, y = tile_of(*CENTRE, 16)
    url = template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
    first = tc.get(url)
    assert first.status_code == 200
    assert "immutable" in first.headers["Cache-Control"]
    assert "no-cache" in tc.get(url.split("?")[0]).headers["Cache-Control"]
    again = tc.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""

    with psycopg.connect(libpq_dsn(tiles_db)) as conn:
        conn.execute("DELETE FROM building_footprint WHERE id % 2 = 1")
    after = {layer["id"]: layer for layer in tc.get("/api/layers").get_json()["layers"]}
    assert after["buildings"]["tiles"] != template
    assert after["zoning"]["tiles"] == layers["zoning"]["tiles"]
    changed = tc.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and b"kontor/forretning" not in changed.data
    assert "no-cache" in changed.headers["Cache-Control"]


def test_overviews_follow_loads_without_an_explicit_refresh(tc: FlaskClient, tiles_db: str) -> None:
    before = tc.get(_url("buildings", 12)).data
    with psycopg.connect(libpq_dsn(tiles_db)) as conn:
        conn.execute("UPDATE building_footprint SET bygningsgruppe = 'helse'")
    after = tc.get(_url("buildings", 12)).data
    assert b"helse" in after and b"helse" not in before


def test_refresh_overviews_rebuilds_what_derives_from_a_table(tiles_db: str) -> None:
    with psycopg.connect(libpq_dsn(tiles_db), autocommit=True) as conn:
        assert gistiles.refresh_overviews(conn, "building_footprint") == [
            "tile_building_grid_z10", "tile_building_grid_z12"]
        total = conn.execute("SELECT sum(n) FROM tile_building_grid_z12").fetchone()
        assert total == (400,)
        state = conn.execute("SELECT built_from FROM tile_overview_state "
                             "WHERE name = 'tile_building_grid_z12'").fetchone()
        assert state == (gistiles.data_version(conn, ["building_footprint"]),)


def test_tile_responses_match_the_openapi_document(tc: FlaskClient) -> None:
    document = openapi_document(tc)
    for path in (_url("zoning", 14), _url("buildings", 16, lon=5.0, lat=61.0),
                 "/tiles/buildings/25/0/0.mvt", "/tiles/nope/1/0/0.mvt", "/api/layers"):
        assert_matches_spec(document, "get", path, tc.get(path))
