"""Walking distance along a loaded path network (pgRouting), on a small hand-drawn network.

A hub station S at the origin and three paths: north 300 m, east 300 m, south 300 m back
down to the point 300 m east of S. Site N touches that point: 300 m from S as the crow flies,
900 m on foot. Site L lies 390 m west of S, far from every path: straight line × 1.3 = 507 m.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pyproj import Transformer
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import load_source
from gis.abc.accessibility import accessibility_of_geometry, refresh_site_accessibility
from gis.abc.explain import transit_line
from gis.db import libpq_dsn
from tests.abc_data import SRID, X0, Y0, add_centre, add_junction, add_square_site, add_stop

DETOUR_PATHS = [[(0, 0), (0, 300)], [(0, 300), (300, 300)], [(300, 300), (300, 0)]]
SHORTCUT = [[(0, 0), (300, 0)]]


def network_file(path: Path, lines: list[list[tuple[float, float]]]) -> Path:
    """A GeoJSON walking network in EPSG:25832, coordinates relative to the origin."""
    features = [{"type": "Feature", "properties": {"path_key": f"P{i}", "kind": "gangveg"},
                 "geometry": {"type": "LineString",
                              "coordinates": [[X0 + x, Y0 + y] for x, y in line]}}
                for i, line in enumerate(lines)]
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": features}))
    return path


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_dsn(db_url), autocommit=True) as connection:
        # Headway 4 min both ways: a rail stop of category I whatever the hub list says.
        add_stop(connection, "Sentral stasjon", "rail", 0, headway=4)
        add_centre(connection, "Sentrum", 0, 0)
        add_junction(connection, "E18 Kryss", 0, 1000)
        add_square_site(connection, "N", 300, south=-10)   # x 300–310, y −10–0
        add_square_site(connection, "L", -400)             # x −400 – −390: 390 m west
        refresh_site_accessibility(connection)             # the kommune file's thresholds
        yield connection


def accessibility(conn: psycopg.Connection) -> dict[str, dict[str, Any]]:
    cursor = conn.execute(
        "SELECT s.site_key, a.transit_class, a.transit_stop_distance_m::float8 AS walk_m, "
        "a.distance_method, a.abc_class, a.detour_factor::float8 AS detour_factor, "
        "a.transit_stop_name, a.transit_stop_distance_m, "
        "a.nearest_stop_distance_m::float8 AS nearest_m "
        "FROM site s JOIN site_accessibility a ON a.site_id = s.id")
    names = [d.name for d in cursor.description or []]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def test_network_distance_decides_the_class_and_a_site_off_the_network_falls_back(
        engine: Engine, conn: psycopg.Connection, tmp_path: Path) -> None:
    load_source(engine, "walk_network", network_file(tmp_path / "walk.geojson", DETOUR_PATHS),
                storage_srid=SRID)
    rows = accessibility(conn)
    # N: 300 m straight (× 1.3 = 390 m would be class A), 900 m along the paths: category I at
    # ≤ 1000 m is C; with transit C the site is no A or B site, but the E18 is within 3 km.
    assert rows["N"]["walk_m"] == 900.0
    assert rows["N"]["distance_method"] == "network"
    assert (rows["N"]["transit_class"], rows["N"]["abc_class"]) == ("C", "C")
    assert rows["N"]["nearest_m"] == 900.0
    # L: 50 m snap tolerance, and L is 390 m from the nearest path: 390 × 1.3 = 507 m -> B.
    assert rows["L"]["walk_m"] == 507.0
    assert rows["L"]["distance_method"] == "straight_line_detour"
    assert (rows["L"]["transit_class"], rows["L"]["abc_class"]) == ("B", "B")
    assert "gangavstand langs vegnettet" in transit_line(rows["N"]).nb
    assert "along the path network" in transit_line(rows["N"]).en
    assert "luftlinje × 1,3" in transit_line(rows["L"]).nb
    assert "straight line × 1.3" in transit_line(rows["L"]).en


def test_reloading_the_network_recomputes_the_classes(engine: Engine, conn: psycopg.Connection,
                                                      tmp_path: Path) -> None:
    first = network_file(tmp_path / "a.geojson", DETOUR_PATHS)
    load_source(engine, "walk_network", first, storage_srid=SRID)
    assert accessibility(conn)["N"]["abc_class"] == "C"
    # The same delivery again changes nothing and says so.
    assert load_source(engine, "walk_network", first, storage_srid=SRID).status == "unchanged"
    # A new delivery with the direct path along the station: N is 300 m away, ring 1 -> A,
    # and 300 m from the centre (≤ 500 m): an A site.
    load_source(engine, "walk_network",
                network_file(tmp_path / "b.geojson", DETOUR_PATHS + SHORTCUT), storage_srid=SRID)
    rows = accessibility(conn)
    assert (rows["N"]["walk_m"], rows["N"]["distance_method"]) == (300.0, "network")
    assert (rows["N"]["transit_class"], rows["N"]["abc_class"]) == ("A", "A")
    topology = conn.execute("SELECT (SELECT count(*) FROM walk_vertex), "
                            "(SELECT count(*) FROM walk_edge)").fetchone()
    assert topology == (4, 4)


def test_a_broken_network_file_names_the_feature_and_changes_nothing(
        engine: Engine, conn: psycopg.Connection, tmp_path: Path) -> None:
    load_source(engine, "walk_network", network_file(tmp_path / "a.geojson", DETOUR_PATHS),
                storage_srid=SRID)
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": [
            {"type": "Feature", "properties": {"path_key": "ok"}, "geometry": {
                "type": "LineString", "coordinates": [[X0, Y0], [X0 + 300, Y0]]}},
            {"type": "Feature", "properties": {"path_key": "torg"}, "geometry": {
                "type": "Point", "coordinates": [X0, Y0]}}]}))
    with pytest.raises(LoadError, match=r"bad\.geojson: feature 1 \(path_key='torg'\)"):
        load_source(engine, "walk_network", bad, storage_srid=SRID)
    assert accessibility(conn)["N"]["walk_m"] == 900.0
    assert conn.execute("SELECT count(*) FROM walk_edge").fetchone() == (3,)


def test_any_point_is_measured_along_the_network_too(engine: Engine, conn: psycopg.Connection,
                                                     tmp_path: Path) -> None:
    load_source(engine, "walk_network", network_file(tmp_path / "a.geojson", DETOUR_PATHS),
                storage_srid=SRID)
    lon, lat = Transformer.from_crs(SRID, 4326, always_xy=True).transform(X0 + 300, Y0)
    with conn.transaction():
        result = accessibility_of_geometry(conn, {"type": "Point", "coordinates": [lon, lat]},
                                           storage_srid=SRID)
    values = result.as_json()
    assert values["distance_method"] == "network"
    assert values["transit_stop_distance_m"] == pytest.approx(900.0, abs=0.2)
    assert result.transit_class == "C"


def test_lines_that_run_on_through_a_junction_are_split_there(
        engine: Engine, conn: psycopg.Connection, tmp_path: Path) -> None:
    # As OSM ways do: the whole detour is one line through (0, 300), where a side path (a
    # MultiLineString) ends. Site W touches the side path's far end, (−200, 300).
    add_square_site(conn, "W", -210, south=300)
    path = tmp_path / "osm.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": [
            {"type": "Feature", "properties": {"osm_id": "w1", "highway": "footway"},
             "geometry": {"type": "LineString", "coordinates": [
                 [X0, Y0], [X0, Y0 + 300], [X0 + 300, Y0 + 300], [X0 + 300, Y0]]}},
            {"type": "Feature", "properties": {"osm_id": "w2", "highway": "path"},
             "geometry": {"type": "MultiLineString", "coordinates": [
                 [[X0, Y0 + 300], [X0 - 200, Y0 + 300]]]}}]}))
    load_source(engine, "walk_network", path, storage_srid=SRID)
    topology = conn.execute("SELECT (SELECT count(*) FROM walk_vertex), "
                            "(SELECT count(*) FROM walk_edge)").fetchone()
    assert topology == (4, 3)   # the long line in two at (0, 300), and the side path
    rows = accessibility(conn)
    # 300 m north, then 200 m west; N still goes round: 900 m.
    assert (rows["W"]["walk_m"], rows["W"]["distance_method"]) == (500.0, "network")
    assert rows["N"]["walk_m"] == 900.0
    kinds = conn.execute("SELECT path_key, kind FROM walk_path ORDER BY 1").fetchall()
    assert kinds == [("w1", "footway"), ("w2", "path")]
