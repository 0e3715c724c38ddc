"""Walking distance along a loaded path network (pgRouting), on a small hand-drawn network.

A hub station S at the origin and three paths: north 300 m, east 300 m, south 300 m back
down to the point 300 m east of S. Site N touches that point: 300 m from S as the crow flies,
900 m on foot. Site L lies 390 m west of S, far from every path: straight line × 1.3 = 507 m.
"""

from __future__ import annotations

import json
import math
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
from gis.abc.explain import abc_line, transit_line
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


def area_at(conn: psycopg.Connection, dx: float, dy: float) -> list[tuple[str, str]]:
    """The (class, method) of the transit-quality areas at a point, relative to the origin."""
    return [tuple(row) for row in conn.execute(
        "SELECT quality_class, method FROM transit_quality_area "
        "WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(%s, %s), %s)) ORDER BY 1, 2",
        (X0 + dx, Y0 + dy, SRID)).fetchall()]


def test_quality_areas_follow_the_network_and_agree_with_the_site_classes(
        engine: Engine, conn: psycopg.Connection, tmp_path: Path) -> None:
    # A bus stop 5 km east, far from every path (category II: A within 300 m).
    add_stop(conn, "Fjern buss", "bus", 5000, headway=4)
    refresh_site_accessibility(conn)
    # No network: straight-line rings, A for the station within 500 / 1.3 = 384.6 m, so the
    # point (300, 0) is drawn as A.
    assert area_at(conn, 300, 0) == [("A", "straight_line_detour")]
    load_source(engine, "walk_network", network_file(tmp_path / "walk.geojson", DETOUR_PATHS),
                storage_srid=SRID)
    # (300, 0): 300 m straight, 900 m along the paths -> C (≤ 1000 m), as site N is.
    assert area_at(conn, 300, 0) == [("C", "network")]
    assert accessibility(conn)["N"]["transit_class"] == "C"
    # 250 m up the north path: A. 570 m along (270 m along the east path): B (≤ 750 m).
    assert area_at(conn, 0, 250) == [("A", "network")]
    assert area_at(conn, 270, 300) == [("B", "network")]
    # 40 m off the path is within the 50 m snap tolerance; 60 m off is not in any area.
    assert area_at(conn, -40, 150) == [("A", "network")]
    assert area_at(conn, -60, 150) == []
    # The A area is the path within 500 m — (0,0)–(0,300)–(200,300) — buffered by 50 m:
    # two 100 m wide strips (300 and 200 m) less their 50 × 50 overlap at the corner, the
    # quarter disc outside the corner and the two half-disc ends: 47 500 + 1.25 π 50².
    a_network = conn.execute(
        "SELECT ST_Area(geom) FROM transit_quality_area "
        "WHERE quality_class = 'A' AND method = 'network'").fetchone()
    assert a_network is not None
    assert a_network[0] == pytest.approx(47_500 + 1.25 * math.pi * 50**2, rel=0.005)
    # The stop off the network keeps its straight-line ring: r = 300 / 1.3 = 230.8 m.
    assert area_at(conn, 5200, 0) == [("A", "straight_line_detour")]
    assert area_at(conn, 5240, 0) == [("B", "straight_line_detour")]
    a_ring = conn.execute(
        "SELECT ST_Area(geom) FROM transit_quality_area "
        "WHERE quality_class = 'A' AND method = 'straight_line_detour'").fetchone()
    assert a_ring is not None
    assert a_ring[0] == pytest.approx(math.pi * (300 / 1.3) ** 2, rel=0.01)


def test_reloading_the_network_redraws_the_areas(engine: Engine, conn: psycopg.Connection,
                                                 tmp_path: Path) -> None:
    load_source(engine, "walk_network", network_file(tmp_path / "a.geojson", DETOUR_PATHS),
                storage_srid=SRID)
    assert area_at(conn, 300, 0) == [("C", "network")]
    load_source(engine, "walk_network",
                network_file(tmp_path / "b.geojson", DETOUR_PATHS + SHORTCUT), storage_srid=SRID)
    assert area_at(conn, 300, 0) == [("A", "network")]
    assert accessibility(conn)["N"]["transit_class"] == "A"


def test_each_distance_in_the_explanation_says_how_it_was_measured(
        engine: Engine, conn: psycopg.Connection, tmp_path: Path) -> None:
    # A bus stop at the foot of a path 2 km east; site F 5 m from the path's top end: 305 m
    # along it (category II, ≤ 500 m: B). The nearest rail station, Sentral stasjon, is
    # √(1995² + 305²) = 2018.2 m away, beyond the routed reach: × 1.3 = 2623.6 m.
    add_stop(conn, "Bussen", "bus", 2000, headway=4)
    add_square_site(conn, "F", 1995, south=305)
    refresh_site_accessibility(conn)
    load_source(engine, "walk_network",
                network_file(tmp_path / "walk.geojson", [*DETOUR_PATHS, [(2000, 0), (2000, 300)]]),
                storage_srid=SRID)
    cursor = conn.execute(
        "SELECT a.* FROM site_accessibility a JOIN site s ON s.id = a.site_id "
        "WHERE s.site_key = 'F'")
    names = [d.name for d in cursor.description or []]
    fetched = cursor.fetchone()
    assert fetched is not None
    row = dict(zip(names, fetched, strict=True))
    assert (row["transit_class"], row["abc_class"]) == ("B", "B")
    assert (row["transit_stop_name"], float(row["transit_stop_distance_m"])) == ("Bussen", 305.0)
    assert (row["distance_method"], row["transit_stop_method"]) == ("network", "network")
    assert (row["nearest_rail_name"], float(row["nearest_rail_distance_m"])) == (
        "Sentral stasjon", 2623.6)
    assert row["nearest_rail_method"] == "straight_line_detour"
    rail = next(r for r in row["reasons"] if r["code"] == "rail")
    assert rail["method"] == "straight_line_detour"
    line = abc_line(row, "A", "visitor", stops_loaded=True)
    assert line.nb == ("B-tomt, men besøksintensiteten din krever A: "
                       "2,6\u00a0km til Sentral stasjon (luftlinje × 1,3)")
    assert line.en == ("B-site, but your visitor intensity asks for A: "
                       "2.6\u00a0km to Sentral stasjon (straight line × 1.3)")
    transit = transit_line(row)
    assert transit is not None and "(gangavstand langs vegnettet)" in transit.nb
    # Site N's nearest rail station is its own stop, routed: the text says so.
    n_row = conn.execute(
        "SELECT a.nearest_rail_method, a.nearest_stop_method FROM site_accessibility a "
        "JOIN site s ON s.id = a.site_id WHERE s.site_key = 'N'").fetchone()
    assert n_row == ("network", "network")


def test_a_site_crossed_by_several_paths_is_reached_by_the_nearest(
        engine: Engine, conn: psycopg.Connection, tmp_path: Path) -> None:
    # Site X (x 140–310, y 140–160) is crossed by the south path (x = 300: 600 + 140 = 740 m
    # from S) and reached by a spur from (0, 150) ending inside it at (150, 150): 150 m up
    # the north path (a point it shares with the spur) and 140 m along the spur to the
    # site's edge = 290 m -> A.
    conn.execute(
        "INSERT INTO site (site_key, name, area_m2, status, readiness, zoning_code, published, "
        "geom) VALUES ('X', 'Tomt X', 3400, 'ledig', 'ledig_naa', '1310', true, "
        "ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, %s)))",
        (X0 + 140, Y0 + 140, X0 + 310, Y0 + 160, SRID))
    load_source(engine, "walk_network",
                network_file(tmp_path / "walk.geojson",
                             [[(0, 0), (0, 150), (0, 300)], *DETOUR_PATHS[1:],
                              [(0, 150), (150, 150)]]),
                storage_srid=SRID)
    rows = accessibility(conn)
    assert (rows["X"]["walk_m"], rows["X"]["distance_method"]) == (290.0, "network")
    assert rows["X"]["transit_class"] == "A"
    # The spur's end inside X lies in the drawn A area; the south path is 750 m along at
    # (300, 150) (B, inclusive) and 820 m at (300, 80) (C, beyond the 50 m snap buffer).
    assert area_at(conn, 150, 150) == [("A", "network")]
    assert area_at(conn, 300, 80) == [("C", "network")]
