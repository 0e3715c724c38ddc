"""Vector tiles: content, empty tiles, bad coordinates, caching and data versions."""

from __future__ import annotations

import gzip
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
from webmap.tiles.cache import ENTRY_OVERHEAD, CachedTile, TileCache
from webmap.tiles.reply import GZIP_MIN_BYTES

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


def test_tiles_are_gzipped_for_clients_that_accept_it(tc: FlaskClient, tiles_db: str) -> None:
    url = _url("buildings", 16)
    plain = tc.get(url)
    packed = tc.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and packed.mimetype == MVT
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    for response in (plain, packed):
        assert "Accept-Encoding" in response.vary
        # Tiles are data: nothing in them may run or be framed.
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Two representations, two strong ETags; each revalidates as itself.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = tc.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == packed.headers["ETag"]
    # A client that refuses gzip gets the plain tile.
    refused = tc.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and refused.data == plain.data

    with psycopg.connect(libpq_dsn(tiles_db)) as conn:
        conn.execute("DELETE FROM building_footprint WHERE id % 2 = 1")
    changed = tc.get(url, headers={"Accept-Encoding": "gzip",
                                   "If-None-Match": packed.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != packed.headers["ETag"]
    assert b"kontor/forretning" not in gzip.decompress(changed.data)


def test_empty_tile_stays_204_when_gzip_is_accepted(tc: FlaskClient) -> None:
    response = tc.get(_url("buildings", 16, lon=5.0, lat=61.0), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 204 and response.data == b""
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.vary and response.headers["ETag"]


def test_tiles_survive_terminated_database_connections(tc: FlaskClient, tiles_db: str) -> None:
    # Open the pool's connections (several at once, as a map asks for many tiles).
    urls = [_url("zoning", 16, lon=CENTRE[0] + dx / 1000, lat=CENTRE[1]) for dx in range(4)]
    first = [tc.get(url).data for url in urls]
    assert tc.get("/api/layers").status_code == 200
    with psycopg.connect(libpq_dsn(tiles_db), autocommit=True) as conn:
        killed = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()
    assert killed is not None and killed[0] >= 1
    # Every pooled connection is dead now; the next requests still get their tiles.
    assert [tc.get(url).data for url in urls] == first
    assert tc.get("/api/layers").status_code == 200


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


def test_tiny_tiles_go_uncompressed_even_when_gzip_is_accepted(tc: FlaskClient) -> None:
    url = _url("zoning", 14)
    plain = tc.get(url)
    assert 0 < len(plain.data) < GZIP_MIN_BYTES  # three plan areas: gzip would save ~100 bytes
    packed = tc.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.status_code == 200 and packed.mimetype == MVT
    assert "Content-Encoding" not in packed.headers and packed.data == plain.data
    assert packed.headers["Content-Length"] == str(len(plain.data))
    assert "Accept-Encoding" in packed.vary
    # The same bytes as the plain tile: the same ETag, and it revalidates as itself.
    assert packed.headers["ETag"] == plain.headers["ETag"]
    again = tc.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == packed.headers["ETag"]


def test_a_tile_asked_again_comes_from_the_cache_until_its_data_changes(
        tc: FlaskClient, tiles_db: str) -> None:
    url = _url("zoning", 16)
    first = tc.get(url, headers={"Accept-Encoding": "gzip"})
    second = tc.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["X-Tile-Cache"] == "miss" and second.headers["X-Tile-Cache"] == "hit"
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    # The gzipped and the plain tile are cached apart.
    big = _url("buildings", 16)
    assert tc.get(big).headers["X-Tile-Cache"] == "miss"
    packed = tc.get(big, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["X-Tile-Cache"] == "miss" and packed.headers["Content-Encoding"] == "gzip"
    assert tc.get(big, headers={"Accept-Encoding": "gzip"}).data == packed.data

    with psycopg.connect(libpq_dsn(tiles_db)) as conn:
        conn.execute("UPDATE plan_area SET feltnavn = 'ENDRET' WHERE plan_id = 900001")
    changed = tc.get(url, headers={"Accept-Encoding": "gzip"})
    assert changed.headers["X-Tile-Cache"] == "miss"
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert changed.headers["X-Data-Version"] != first.headers["X-Data-Version"]
    assert b"ENDRET" in changed.data and b"ENDRET" not in first.data
    assert tc.get(url, headers={"Accept-Encoding": "gzip"}).headers["X-Tile-Cache"] == "hit"


def test_tile_cache_can_be_switched_off(tiles_db: str) -> None:
    from webmap import create_app

    client = create_app(make_settings(tiles_db, tile_cache_mb=0)).test_client()
    first, second = client.get(_url("zoning", 16)), client.get(_url("zoning", 16))
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert "X-Tile-Cache" not in first.headers and "X-Tile-Cache" not in second.headers


def test_tile_cache_evicts_the_least_recently_used_beyond_its_bytes() -> None:
    cache = TileCache(max_bytes=3 * (1000 + ENTRY_OVERHEAD))
    for x in range(3):
        cache.put(("zoning", 16, x, 0, True), CachedTile(1, b"t" * 1000, True))
    assert cache.get(("zoning", 16, 0, 0, True)) is not None  # now the most recently used
    cache.put(("zoning", 16, 3, 0, True), CachedTile(1, b"t" * 1000, True))
    assert len(cache) == 3 and cache.size <= cache.max_bytes
    assert cache.get(("zoning", 16, 1, 0, True)) is None  # the least recently used went
    assert cache.get(("zoning", 16, 0, 0, True)) is not None
    # A newer version replaces the entry in place; a tile bigger than the cache is not kept.
    cache.put(("zoning", 16, 0, 0, True), CachedTile(2, b"n" * 500, False))
    assert cache.get(("zoning", 16, 0, 0, True)) == CachedTile(2, b"n" * 500, False)
    assert cache.size == 2 * (1000 + ENTRY_OVERHEAD) + 500 + ENTRY_OVERHEAD
    cache.put(("zoning", 16, 9, 9, True), CachedTile(1, b"x" * 10_000, True))
    assert cache.get(("zoning", 16, 9, 9, True)) is None and len(cache) == 3


def test_head_goes_through_the_flask_view_with_the_same_headers(tc: FlaskClient) -> None:
    url = _url("buildings", 16)
    get = tc.get(url, headers={"Accept-Encoding": "gzip"})
    head = tc.head(url, headers={"Accept-Encoding": "gzip"})  # the fast path answers GET only
    assert head.status_code == 200 and head.data == b""
    for name in ("ETag", "Content-Encoding", "Content-Length", "Content-Type", "Cache-Control",
                 "X-Data-Version"):
        assert head.headers[name] == get.headers[name]
    assert "Accept-Encoding" in head.vary  # (Flask's session adds Cookie there)
    assert head.headers["X-Tile-Cache"] == "hit"
    empty = tc.head(_url("buildings", 16, lon=5.0, lat=61.0))
    assert empty.status_code == 204 and "Content-Type" not in empty.headers
