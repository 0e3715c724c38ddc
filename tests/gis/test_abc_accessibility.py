"""Transit quality, road access, centre and ABC class on small hand-computed data."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from etl.load import load_source
from gis.abc.accessibility import (
    GeometryError,
    accessibility_of_geometry,
    refresh_site_accessibility,
    refresh_stop_quality,
)
from gis.abc.settings import AbcSettings, TransitSettings
from gis.config import ConfigError
from gis.db import libpq_dsn
from tests.abc_data import SRID, X0, Y0, add_centre, add_junction, add_square_site, add_stop


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_dsn(db_url)) as connection:
        yield connection


def settings(**transit: object) -> AbcSettings:
    """Defaults (ARE tables), straight-line distances unless a detour factor is given."""
    values: dict[str, object] = {"rail_hubs": ["Sentral stasjon"], "detour_factor": 1.0}
    values.update(transit)
    return AbcSettings(transit=TransitSettings(**values))  # type: ignore[arg-type]


def categories(conn: psycopg.Connection) -> dict[str, tuple[str | None, str | None]]:
    rows = conn.execute("SELECT name, stop_group, category FROM transit_stop_quality").fetchall()
    return {name: (group, category) for name, group, category in rows}


def test_stop_categories_from_mode_and_headway(conn: psycopg.Connection) -> None:
    add_stop(conn, "Sentral stasjon", "rail", 0, headway=8)        # hub, 5–<10 min -> I
    add_stop(conn, "Linje 15", "rail", 100, headway=15)            # line, 10–<20 -> III
    add_stop(conn, "Linje 10", "rail", 200, headway=10)            # exactly 10 is in 10–<20 -> III
    add_stop(conn, "Linje 9.99", "rail", 250, headway=9.99)        # 5–<10 -> II
    add_stop(conn, "Buss 4", "bus", 300, headway=4)                # bus <5 -> II
    add_stop(conn, "Buss 6 i timen", "bus", 400, per_hour=6)       # 6 both ways: 20 min -> V
    add_stop(conn, "Buss 130", "bus", 500, headway=130)            # over 120 min -> none
    add_stop(conn, "Buss uten avganger", "bus", 600)               # no departures -> none
    add_stop(conn, "Trikk", "tram", 700, headway=7.5)              # 5–<10 -> III
    add_stop(conn, "T-bane", "metro", 800, headway=3)              # metro as rail line, <5 -> I
    add_stop(conn, "Ferje", "ferry", 900, headway=45)              # 40–<60 -> VI
    add_stop(conn, "Travel linje", "rail", 1000, per_hour=12)      # 12 both ways: 10 -> III
    refresh_stop_quality(conn, settings())
    assert categories(conn) == {
        "Sentral stasjon": ("rail_hub", "I"),
        "Linje 15": ("rail_line", "III"),
        "Linje 10": ("rail_line", "III"),
        "Linje 9.99": ("rail_line", "II"),
        "Buss 4": ("bus_tram", "II"),
        "Buss 6 i timen": ("bus_tram", "V"),
        "Buss 130": ("bus_tram", None),
        "Buss uten avganger": ("bus_tram", None),
        "Trikk": ("bus_tram", "III"),
        "T-bane": ("rail_line", "I"),
        "Ferje": ("bus_tram", "VI"),
        "Travel linje": ("rail_line", "III"),
    }
    # A kommune may call busy rail stops hubs: 12 departures an hour reaches the threshold.
    refresh_stop_quality(conn, settings(rail_hub_min_departures_per_hour=12))
    assert categories(conn)["Travel linje"] == ("rail_hub", "II")


def test_a_terminus_takes_the_headway_of_its_one_direction(conn: psycopg.Connection) -> None:
    """A rail terminus: 4 departures an hour, all one way. The GTFS loader gives the busiest
    direction's headway, 15 min (category II at a hub); counting departures of both
    directions would make it 30 min (III)."""
    add_stop(conn, "Sentral stasjon", "rail", 0, per_hour=4, mean_headway=15)
    refresh_stop_quality(conn, settings())
    assert categories(conn)["Sentral stasjon"] == ("rail_hub", "II")
    assert conn.execute("SELECT headway_min FROM transit_stop_quality").fetchone() == (15.0,)
    refresh_stop_quality(conn, settings(headway_from="departures"))
    assert categories(conn)["Sentral stasjon"] == ("rail_hub", "III")
    assert conn.execute("SELECT headway_min FROM transit_stop_quality").fetchone() == (30.0,)


def stored(conn: psycopg.Connection) -> dict[str, dict[str, object]]:
    cursor = conn.execute(
        "SELECT s.site_key, a.* FROM site_accessibility a JOIN site s ON s.id = a.site_id")
    names = [d.name for d in cursor.description or []]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


# Category I stop (rail hub every 8 minutes): A to 500 m, B to 750 m, C to 1000 m.
RING_CASES = [(0, "A"), (299.9, "A"), (300, "A"), (500, "A"), (500.5, "B"), (750, "B"),
              (750.01, "C"), (1000, "C"), (1000.01, None), (3000, None)]


def test_quality_class_at_given_distances_boundaries_included(conn: psycopg.Connection) -> None:
    add_stop(conn, "Sentral stasjon", "rail", 0, headway=8)
    for west, _ in RING_CASES:
        add_square_site(conn, f"d{west}", west)
    refresh_site_accessibility(conn, settings())
    rows = stored(conn)
    assert {west: rows[f"d{west}"]["transit_class"] for west, _ in RING_CASES} == dict(RING_CASES)
    assert rows["d300"]["transit_stop_distance_m"] == 300
    assert rows["d300"]["transit_stop_category"] == "I"
    assert rows["d300"]["distance_method"] == "straight_line_detour"


def test_category_ii_rings_and_the_detour_factor(conn: psycopg.Connection) -> None:
    add_stop(conn, "Buss 4", "bus", 0, headway=4)      # category II: A ≤300, B ≤500, C ≤750, D ≤1000
    for key, west in (("a", 240), ("b", 241), ("c", 400), ("d", 600), ("e", 800.1)):
        add_square_site(conn, key, west)
    refresh_site_accessibility(conn, settings(detour_factor=1.25))
    rows = stored(conn)
    # 240 m × 1.25 = 300 m walking: still A; 241 × 1.25 = 301.25: B; 400 -> 500: B;
    # 600 -> 750: C; 800.1 -> 1000.125: outside every ring.
    assert {k: rows[k]["transit_class"] for k in "abcde"} == {
        "a": "A", "b": "B", "c": "B", "d": "C", "e": None}
    assert float(rows["a"]["transit_stop_distance_m"]) == 300.0  # type: ignore[arg-type]
    assert float(rows["a"]["detour_factor"]) == 1.25  # type: ignore[arg-type]


def test_the_best_stop_wins_not_the_nearest(conn: psycopg.Connection) -> None:
    add_stop(conn, "Sentral stasjon", "rail", 0, headway=8)     # I, 450 m away -> A
    add_stop(conn, "Nær buss", "bus", 500, 40, headway=30)     # V at ~41 m -> D
    add_square_site(conn, "s", 450)
    refresh_site_accessibility(conn, settings())
    row = stored(conn)["s"]
    assert (row["transit_class"], row["transit_stop_name"]) == ("A", "Sentral stasjon")
    assert row["nearest_stop_name"] == "Nær buss"
    assert row["nearest_rail_name"] == "Sentral stasjon"


def test_abc_class_of_sites_with_reasons(conn: psycopg.Connection) -> None:
    add_stop(conn, "Sentral stasjon", "rail", 0, headway=8)
    add_centre(conn, "Sentrum", 0, 300)
    add_centre(conn, "Grendesenter", 5000, 0, level="nærsenter")
    add_junction(conn, "E18 Kryss", 4000, 0)
    add_junction(conn, "Fv Kryss", 6000, 0, vegnummer="Fv165")
    add_square_site(conn, "a", 200)            # transit A, centre ~361 m -> A
    add_square_site(conn, "b", 600)            # transit B (I at 600 m), E18 3390 m -> B
    add_square_site(conn, "c", 1500)           # no transit, E18 2490 m -> C
    add_square_site(conn, "none", 9000)        # no transit, E18 4990 m > 3000 m -> none
    add_square_site(conn, "a-far", -500, south=-505)   # transit A, centre 860 m, E18 > 4.5 km -> B
    refresh_site_accessibility(conn, settings())
    rows = stored(conn)
    assert {k: rows[k]["abc_class"] for k in rows} == {
        "a": "A", "b": "B", "c": "C", "none": None, "a-far": "B"}
    reasons = {r["code"]: r for r in rows["a"]["reasons"]}  # type: ignore[attr-defined]
    assert reasons["transit"] == {"code": "transit", "class": "A", "stop": "Sentral stasjon",
                                  "category": "I", "distance_m": 200,
                                  "method": "straight_line_detour"}
    assert reasons["centre"]["name"] == "Sentrum"
    assert reasons["abc"] == {"code": "abc", "class": "A", "a": True, "b": True, "c": False}
    assert rows["b"]["road_junction_name"] == "E18 Kryss"       # the Fv junction does not count
    assert float(rows["b"]["road_distance_m"]) == 3390  # type: ignore[arg-type]
    none_reasons = {r["code"]: r for r in rows["none"]["reasons"]}  # type: ignore[attr-defined]
    assert none_reasons["transit_none"] == {"code": "transit_none", "reach_m": 1000}
    assert none_reasons["abc"] == {"code": "abc", "class": None, "a": False, "b": False,
                                   "c": False}
    assert rows["c"]["centre_name"] == "Sentrum"
    assert rows["none"]["centre_name"] == "Grendesenter"          # nearest of any level


def test_no_stops_loaded_means_no_class_not_c(conn: psycopg.Connection) -> None:
    add_junction(conn, "E18 Kryss", 100, 0)
    add_square_site(conn, "by-the-road", 150)
    refresh_site_accessibility(conn, settings())
    row = stored(conn)["by-the-road"]
    assert row["abc_class"] is None and row["transit_class"] is None
    assert row["reasons"][0] == {"code": "no_stops"}  # type: ignore[index]
    assert [r["code"] for r in row["reasons"]] == ["no_stops", "no_centres", "road"]  # type: ignore[attr-defined]


def test_quality_areas_are_rings_one_class_each(conn: psycopg.Connection) -> None:
    add_stop(conn, "Sentral stasjon", "rail", 0, headway=8)   # I: A ≤500, B ≤750, C ≤1000
    refresh_stop_quality(conn, settings())
    areas = dict(conn.execute(
        "SELECT quality_class, ST_Area(geom) FROM transit_quality_area").fetchall())
    assert set(areas) == {"A", "B", "C"}
    assert areas["A"] == pytest.approx(math.pi * 500**2, rel=0.01)
    assert areas["B"] == pytest.approx(math.pi * (750**2 - 500**2), rel=0.01)
    assert areas["C"] == pytest.approx(math.pi * (1000**2 - 750**2), rel=0.01)
    inside = conn.execute(
        "SELECT quality_class FROM transit_quality_area "
        "WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(%s, %s), %s))",
        (X0 + 600, Y0, SRID)).fetchall()
    assert inside == [("B",)]


def test_any_point_or_polygon_can_be_asked_about(conn: psycopg.Connection) -> None:
    add_stop(conn, "Sentral stasjon", "rail", 0, headway=8)
    refresh_stop_quality(conn, settings())
    lonlat = conn.execute(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), "
        "4326) AS p) x", (X0 + 100, Y0, SRID)).fetchone()
    assert lonlat is not None
    point = {"type": "Point", "coordinates": list(lonlat)}
    result = accessibility_of_geometry(conn, point, storage_srid=SRID, settings=settings())
    assert result.transit_class == "A"
    assert result.values["transit_stop_distance_m"] == pytest.approx(100, abs=0.5)
    assert result.abc_class is None        # no centre, no junction
    with pytest.raises(GeometryError, match="Point, Polygon or MultiPolygon"):
        accessibility_of_geometry(conn, {"type": "LineString", "coordinates": []},
                                  storage_srid=SRID, settings=settings())
    with pytest.raises(GeometryError, match="lon/lat"):
        accessibility_of_geometry(conn, {"type": "Point", "coordinates": [590000, 6630000]},
                                  storage_srid=SRID, settings=settings())
    with pytest.raises(GeometryError, match="not readable"):
        accessibility_of_geometry(conn, {"type": "Point", "coordinates": ["x"]},
                                  storage_srid=SRID, settings=settings())


def test_loading_sites_refreshes_their_accessibility(engine: Engine, db_url: str,
                                                     tmp_path: Path) -> None:
    square = [[[10.43, 59.83], [10.44, 59.83], [10.44, 59.835], [10.43, 59.835], [10.43, 59.83]]]
    features = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square},
                 "properties": {"site_key": f"T-{i}", "name": f"Tomt {i}", "area_m2": 5000,
                                "status": "ledig"}} for i in range(3)]
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    load_source(engine, "sites", path, storage_srid=SRID)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM site), count(*), count(abc_class), "
            "bool_and(reasons @> '[{\"code\": \"no_stops\"}]') FROM site_accessibility").fetchone()
    assert counts is not None
    sites, classified_rows, with_class, all_say_no_stops = counts
    assert sites > 0 and classified_rows == sites and with_class == 0 and all_say_no_stops


def test_bad_thresholds_are_named() -> None:
    with pytest.raises(ConfigError, match="rings_m must be positive and ascending"):
        AbcSettings.from_mapping({"transit": {"rings_m": [500, 300, 750, 1000]}})
    with pytest.raises(ConfigError, match="detour_fator"):
        AbcSettings.from_mapping({"transit": {"detour_fator": 1.2}})
    with pytest.raises(ConfigError, match=r"classes\.I needs one class per ring \(3\)"):
        AbcSettings.from_mapping({"transit": {"rings_m": [300, 500, 750]}})
    with pytest.raises(ConfigError, match=r"categories\.rail_hub: \['II', 'III', 'IV', 'V'\] missing"):
        AbcSettings.from_mapping({"transit": {"classes": {"I": ["A", "A", "B", "C"]}}})


def test_one_edited_site_can_be_refreshed_alone(conn: psycopg.Connection) -> None:
    add_stop(conn, "Sentral stasjon", "rail", 0, headway=8)
    near = add_square_site(conn, "near", 100)
    add_square_site(conn, "far", 900)
    refresh_site_accessibility(conn, settings())
    conn.execute("UPDATE site SET geom = ST_Translate(geom, 2000, 0) WHERE id = %s", (near,))
    before = stored(conn)["far"]["computed_at"]
    refresh_site_accessibility(conn, settings(), site_ids=[near], stops_changed=False)
    rows = stored(conn)
    assert rows["near"]["transit_class"] is None          # moved 2 km away
    assert rows["far"]["computed_at"] == before            # untouched


def test_quality_areas_only_near_a_loaded_kommune(conn: psycopg.Connection) -> None:
    add_stop(conn, "Sentral stasjon", "rail", 0, headway=8)
    add_stop(conn, "Fjern stasjon", "rail", 50_000, headway=8)
    conn.execute(
        "INSERT INTO kommune (kommunenummer, name, geom) VALUES ('9999', 'Test', "
        "ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, %s)))",
        (X0 + 500, Y0 - 5000, X0 + 10_000, Y0 + 5000, SRID))
    refresh_stop_quality(conn, settings())
    extent = conn.execute("SELECT ST_XMax(ST_Extent(geom)) FROM transit_quality_area").fetchone()
    assert extent is not None and extent[0] == pytest.approx(X0 + 1000, abs=1)


def test_the_demo_load_classifies_every_site(demo_db_url: str) -> None:
    with psycopg.connect(libpq_dsn(demo_db_url)) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM site), count(*), count(abc_class), "
            "count(*) FILTER (WHERE reasons @> '[{\"code\": \"no_stops\"}]'), "
            "(SELECT count(*) FROM transit_quality_area), "
            "(SELECT count(*) FROM transit_stop_quality WHERE stop_group = 'rail_hub') "
            "FROM site_accessibility").fetchone()
    assert row is not None
    sites, rows, classified, no_stops, areas, hubs = row
    # GTFS, centres and junctions load after the sites: the last refresh saw all of them.
    assert sites > 0 and rows == sites and classified > 0 and no_stops == 0
    assert areas >= 3 and hubs == 1      # Asker stasjon is the configured hub
