"""The vector loader: staging, validation and an all-or-nothing publish."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import load_source
from gis.db import libpq_dsn

SRID = 25832


def _site(site_id: str, ring: list[list[float]], **props: Any) -> dict[str, Any]:
    properties = {"site_id": site_id, "name": f"Tomt {site_id}", "area_m2": 5000,
                  "status": "ledig", "published": True, **props}
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _square(lon: float, lat: float, size: float = 0.002) -> list[list[float]]:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def _write(tmp_path: Path, features: list[dict[str, Any]], name: str = "sites.geojson",
           crs: str | None = None) -> Path:
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path = tmp_path / name
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def _published(db_url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        return conn.execute(
            "SELECT site_key, name, area_m2, status, ST_AsEWKB(geom) FROM site ORDER BY site_key"
        ).fetchall()


@pytest.fixture
def valid_file(tmp_path: Path) -> Path:
    return _write(tmp_path, [_site("A-1", _square(10.43, 59.83)),
                             _site("A-2", _square(10.49, 59.85), status="reservert")])


def test_valid_file_loads_reprojected_to_storage_srid(engine: Engine, db_url: str,
                                                      valid_file: Path) -> None:
    result = load_source(engine, "sites", valid_file, storage_srid=SRID)
    assert (result.status, result.rows_read, result.rows_written) == ("published", 2, 2)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        rows = conn.execute("SELECT site_key, status, ST_SRID(geom), ST_Area(geom) FROM site "
                            "ORDER BY site_key").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [("A-1", "ledig", SRID), ("A-2", "reservert", SRID)]
    # 0.002° × 0.002° at 59.8° N is about 112 m × 223 m.
    assert all(20_000 < r[3] < 30_000 for r in rows)


def test_same_file_twice_changes_nothing_and_says_so(engine: Engine, db_url: str,
                                                     valid_file: Path) -> None:
    load_source(engine, "sites", valid_file, storage_srid=SRID)
    before = _published(db_url)
    again = load_source(engine, "sites", valid_file, storage_srid=SRID)
    assert again.status == "unchanged"
    assert "already loaded" in again.describe()
    assert _published(db_url) == before


def test_changed_file_updates_by_key_without_duplicates(engine: Engine, db_url: str,
                                                        tmp_path: Path, valid_file: Path) -> None:
    load_source(engine, "sites", valid_file, storage_srid=SRID)
    changed = _write(tmp_path, [_site("A-1", _square(10.43, 59.83), name="Nytt navn")], "v2.geojson")
    load_source(engine, "sites", changed, storage_srid=SRID)
    rows = _published(db_url)
    assert [(r[0], r[1]) for r in rows] == [("A-1", "Nytt navn"), ("A-2", "Tomt A-2")]


def _assert_rejected(engine: Engine, db_url: str, valid_file: Path, bad: Path,
                     *patterns: str) -> None:
    load_source(engine, "sites", valid_file, storage_srid=SRID)
    before = _published(db_url)
    with pytest.raises(LoadError) as raised:
        load_source(engine, "sites", bad, storage_srid=SRID)
    for pattern in patterns:
        assert pattern in str(raised.value), str(raised.value)
    assert _published(db_url) == before
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        status, error = conn.execute(
            "SELECT status, error FROM load_run ORDER BY id DESC LIMIT 1").fetchone() or ("", "")
    assert (status, error) == ("failed", str(raised.value))


def test_unrepairable_geometry_is_rejected_naming_the_feature(
        engine: Engine, db_url: str, tmp_path: Path, valid_file: Path) -> None:
    nan_ring = _square(10.45, 59.84)
    nan_ring[2] = [float("nan"), 59.845]
    text = json.dumps({"type": "FeatureCollection", "features": [
        _site("B-1", _square(10.43, 59.83)), _site("B-2", nan_ring)]}).replace("NaN", "NaN")
    bad = tmp_path / "nan.geojson"
    bad.write_text(text)
    _assert_rejected(engine, db_url, valid_file, bad, "nan.geojson", "B-2")


def test_bow_tie_is_repaired_and_counted(engine: Engine, db_url: str, tmp_path: Path) -> None:
    bow_tie = [[10.43, 59.83], [10.44, 59.84], [10.44, 59.83], [10.43, 59.84], [10.43, 59.83]]
    path = _write(tmp_path, [_site("C-1", bow_tie)])
    result = load_source(engine, "sites", path, storage_srid=SRID)
    assert result.rows_repaired == 1
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        valid, parts = conn.execute(
            "SELECT ST_IsValid(geom), ST_NumGeometries(geom) FROM site").fetchone() or (None, None)
    assert valid is True and parts == 2


def test_missing_required_field_is_rejected(engine: Engine, db_url: str, tmp_path: Path,
                                            valid_file: Path) -> None:
    feature = _site("D-1", _square(10.43, 59.83))
    del feature["properties"]["status"]
    bad = _write(tmp_path, [feature], "nostatus.geojson")
    _assert_rejected(engine, db_url, valid_file, bad, "nostatus.geojson", "status")


def test_empty_required_value_names_the_feature(engine: Engine, db_url: str, tmp_path: Path,
                                                valid_file: Path) -> None:
    bad = _write(tmp_path, [_site("E-1", _square(10.43, 59.83)),
                            _site("E-2", _square(10.45, 59.83), name="")], "noname.geojson")
    _assert_rejected(engine, db_url, valid_file, bad, "E-2", "name", "empty")


def test_unknown_crs_is_rejected(engine: Engine, db_url: str, tmp_path: Path,
                                 valid_file: Path) -> None:
    bad = _write(tmp_path, [_site("F-1", _square(10.43, 59.83))], "crs.geojson",
                 crs="urn:ogc:def:crs:EPSG::999999")
    _assert_rejected(engine, db_url, valid_file, bad, "crs.geojson")


def test_lonlat_values_in_a_utm_file_are_rejected(engine: Engine, db_url: str, tmp_path: Path,
                                                  valid_file: Path) -> None:
    bad = _write(tmp_path, [_site("G-1", _square(10.43, 59.83))], "utm.geojson",
                 crs="urn:ogc:def:crs:EPSG::25832")
    _assert_rejected(engine, db_url, valid_file, bad, "utm.geojson", "do not lie in Norway")


def test_bad_number_names_feature_and_value(engine: Engine, db_url: str, tmp_path: Path,
                                            valid_file: Path) -> None:
    bad = _write(tmp_path, [_site("H-1", _square(10.43, 59.83), area_m2="mange")], "num.geojson")
    _assert_rejected(engine, db_url, valid_file, bad, "H-1", "area_m2", "'mange'")


def test_duplicate_keys_are_rejected(engine: Engine, db_url: str, tmp_path: Path,
                                     valid_file: Path) -> None:
    bad = _write(tmp_path, [_site("I-1", _square(10.43, 59.83)),
                            _site("I-1", _square(10.45, 59.83))], "dup.geojson")
    _assert_rejected(engine, db_url, valid_file, bad, "I-1", "several features")


def test_empty_and_unreadable_files_are_rejected(engine: Engine, tmp_path: Path) -> None:
    empty = tmp_path / "empty.geojson"
    empty.write_text("")
    with pytest.raises(LoadError, match=r"empty\.geojson: the file is empty"):
        load_source(engine, "sites", empty, storage_srid=SRID)
    truncated = tmp_path / "truncated.geojson"
    truncated.write_text('{"type": "FeatureCollection", "features": [{"type": "Feat')
    with pytest.raises(LoadError, match=r"truncated\.geojson"):
        load_source(engine, "sites", truncated, storage_srid=SRID)


def test_unknown_source_lists_the_known_ones(engine: Engine, valid_file: Path) -> None:
    with pytest.raises(LoadError, match=r"known sources: .*sites"):
        load_source(engine, "nonsense", valid_file, storage_srid=SRID)


def test_load_history_records_every_run(engine: Engine, db_url: str, valid_file: Path) -> None:
    from etl.load import load_history

    load_source(engine, "sites", valid_file, storage_srid=SRID)
    load_source(engine, "sites", valid_file, storage_srid=SRID)
    runs = load_history(engine)
    assert [r["status"] for r in runs] == ["unchanged", "published"]
    assert runs[1]["rows_written"] == 2 and runs[1]["finished_at"] is not None
