"""Tettsteder (clipped to the kommune), centres, main roads and junctions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pyproj import Transformer
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import load_source
from gis.db import libpq_dsn

SRID = 25832
TO_25833 = Transformer.from_crs(25832, 25833, always_xy=True)
TO_4326 = Transformer.from_crs(25832, 4326, always_xy=True)


def _box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def _collection(tmp_path: Path, name: str, features: list[dict[str, Any]],
                crs: str | None = None) -> Path:
    data: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _polygon(ring: list[list[float]], transformer: Transformer, **props: Any) -> dict[str, Any]:
    coords = [list(transformer.transform(x, y)) for x, y in ring]
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Polygon", "coordinates": [coords]}}


def _point(x: float, y: float, **props: Any) -> dict[str, Any]:
    lon, lat = TO_4326.transform(x, y)
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


@pytest.fixture
def kommune(engine: Engine, tmp_path: Path) -> None:
    """A 10 km square kommune in EPSG:25832."""
    path = _collection(tmp_path, "kommune.geojson", [_polygon(
        _box(580000, 6620000, 590000, 6630000), TO_4326, kommunenummer="9999", name="Prøve")])
    load_source(engine, "kommune", path, storage_srid=SRID)


def _tettsteder(tmp_path: Path) -> Path:
    return _collection(tmp_path, "tettsteder.geojson", [
        _polygon(_box(581000, 6621000, 583000, 6623000), TO_25833, tettstednummer="0101",
                 tettstednavn="Innenfor", totalBefolkning=5000),
        # Half of it lies east of the kommune border.
        _polygon(_box(588000, 6625000, 592000, 6627000), TO_25833, tettstednummer="0102",
                 tettstednavn="Grensebyen", totalBefolkning=20000),
        _polygon(_box(595000, 6625000, 596000, 6626000), TO_25833, tettstednummer="0103",
                 tettstednavn="Nabobyen", totalBefolkning=900),
    ], crs="urn:ogc:def:crs:EPSG::25833")


def test_tettsteder_are_reprojected_and_clipped_to_the_kommune(engine: Engine, db_url: str,
                                                              tmp_path: Path, kommune: None) -> None:
    result = load_source(engine, "tettsteder", _tettsteder(tmp_path), storage_srid=SRID)
    assert result.rows_written == 2
    assert any("1 feature(s) lie outside the kommune" in w and "0103" in w
               for w in result.warnings), result.warnings
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        rows = conn.execute("SELECT tettstednummer, name, population, round(ST_Area(geom)), "
                            "round(ST_XMax(geom)) FROM tettsted ORDER BY 1").fetchall()
    assert [r[:3] for r in rows] == [("0101", "Innenfor", 5000), ("0102", "Grensebyen", 20000)]
    assert rows[0][3] == pytest.approx(4_000_000, rel=1e-3)
    assert rows[1][3] == pytest.approx(4_000_000, rel=1e-3)  # 2 km × 2 km of the 4 km × 2 km
    assert rows[1][4] == pytest.approx(590000, abs=1)


def test_tettsteder_need_the_kommune_first(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="load the kommune boundary first"):
        load_source(engine, "tettsteder", _tettsteder(tmp_path), storage_srid=SRID)


def test_centres_load_with_known_levels(engine: Engine, db_url: str, tmp_path: Path) -> None:
    path = _collection(tmp_path, "centres.geojson", [
        _point(582000, 6622000, navn="Sentrum", nivå="Regionsenter"),
        _point(584000, 6624000, navn="Bygda", nivå="nærsenter")])
    load_source(engine, "centres", path, storage_srid=SRID)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        rows = conn.execute("SELECT name, level, ST_GeometryType(geom) FROM centre "
                            "ORDER BY name").fetchall()
    assert rows == [("Bygda", "nærsenter", "ST_Point"), ("Sentrum", "regionsenter", "ST_Point")]


def test_an_unknown_centre_level_names_the_feature(engine: Engine, db_url: str,
                                                   tmp_path: Path) -> None:
    path = _collection(tmp_path, "centres.geojson", [
        _point(582000, 6622000, name="Sentrum", level="regionsenter"),
        _point(584000, 6624000, name="Bydelen", level="bydelssenter")])
    with pytest.raises(LoadError) as raised:
        load_source(engine, "centres", path, storage_srid=SRID)
    assert "centres.geojson: feature 1 (name='Bydelen'): level = 'bydelssenter' is not one of " \
           "regionsenter, kommunedelsenter, lokalsenter, nærsenter" in str(raised.value)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        assert conn.execute("SELECT count(*) FROM centre").fetchone() == (0,)


def _road(coords: list[tuple[float, float]], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": {
        "type": "LineString", "coordinates": [list(TO_4326.transform(x, y)) for x, y in coords]}}


def test_main_roads_allow_many_links_per_road_and_a_delivery_replaces_them(
        engine: Engine, db_url: str, tmp_path: Path) -> None:
    first = _collection(tmp_path, "veg.geojson", [
        _road([(581000, 6621000), (583000, 6622000)], vegnummer="E18", vegkategori="E"),
        _road([(583000, 6622000), (585000, 6623000)], vegnummer="E18", vegkategori="E"),
        _road([(583000, 6622000), (583000, 6626000)], vegnummer="Fv165", vegkategori="F")])
    assert load_source(engine, "main_roads", first, storage_srid=SRID).rows_written == 3
    second = _collection(tmp_path, "veg2.geojson", [
        _road([(581000, 6621000), (585000, 6623000)], vegnummer="E18", vegkategori="E")])
    load_source(engine, "main_roads", second, storage_srid=SRID)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        rows = conn.execute("SELECT vegnummer, ST_GeometryType(geom), round(ST_Length(geom)) "
                            "FROM main_road").fetchall()
    assert rows == [("E18", "ST_MultiLineString", 4472)]


def test_road_junctions_load_and_reject_a_missing_road_number(engine: Engine, db_url: str,
                                                              tmp_path: Path) -> None:
    path = _collection(tmp_path, "kryss.geojson", [
        _point(583000, 6622000, name="Kryss A", vegnummer="E18")])
    load_source(engine, "road_junctions", path, storage_srid=SRID)
    bad = _collection(tmp_path, "kryss2.geojson", [
        _point(583000, 6622000, name="Kryss A", vegnummer="E18"),
        _point(584000, 6622000, name="Kryss B", vegnummer="")])
    with pytest.raises(LoadError, match=r"kryss2\.geojson: feature 1 \(name='Kryss B'\): "
                                        "required field vegnummer is empty"):
        load_source(engine, "road_junctions", bad, storage_srid=SRID)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        assert conn.execute("SELECT name, vegnummer FROM road_junction").fetchall() == [
            ("Kryss A", "E18")]


def test_tettsteder_from_gml_and_centres_and_roads_from_geopackage(
        engine: Engine, db_url: str, tmp_path: Path, kommune: None) -> None:
    import geopandas as gpd
    from shapely.geometry import LineString, Point, box

    tettsteder = gpd.GeoDataFrame(
        {"tettstednummer": ["0101"], "tettstednavn": ["Grensebyen"], "totalBefolkning": [1200]},
        geometry=[box(*TO_25833.transform_bounds(588000, 6625000, 592000, 6627000))],
        crs="EPSG:25833")
    gml = tmp_path / "tettsteder.gml"
    tettsteder.to_file(gml, driver="GML", layer="Tettsted")
    assert load_source(engine, "tettsteder", gml, storage_srid=SRID).rows_written == 1
    gpkg = tmp_path / "senterstruktur.gpkg"
    gpd.GeoDataFrame({"navn": ["Sentrum"], "nivå": ["lokalsenter"]},
                     geometry=[Point(582000, 6622000)], crs="EPSG:25832").to_file(
        gpkg, driver="GPKG", layer="senter")
    gpd.GeoDataFrame({"vegnummer": ["E18"], "vegkategori": ["E"]},
                     geometry=[LineString([(581000, 6621000), (583000, 6622000)])],
                     crs="EPSG:25832").to_file(gpkg, driver="GPKG", layer="veglenke")
    load_source(engine, "centres", gpkg, storage_srid=SRID, layer="senter")
    load_source(engine, "main_roads", gpkg, storage_srid=SRID, layer="veglenke")
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        assert conn.execute("SELECT name, population, round(ST_XMax(geom)) FROM tettsted"
                            ).fetchall() == [("Grensebyen", 1200, 590000)]
        assert conn.execute("SELECT name, level FROM centre").fetchall() == [
            ("Sentrum", "lokalsenter")]
        assert conn.execute("SELECT vegnummer FROM main_road").fetchall() == [("E18",)]
