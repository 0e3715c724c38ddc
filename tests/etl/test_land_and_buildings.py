"""Land cover (AR5), building points and footprints; a killed load changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import psycopg
import pyarrow as pa
import pyogrio
import pytest
import shapely
from psycopg import sql
from shapely.geometry import Point
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import load_source
from gis.db import libpq_dsn
from tests.etl import ar5_files as ar5
from tests.etl import fkb_files as fkb
from tests.etl import plan_files as pf

SRID = 25832


def _query(db_url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def _ar5_sosi(path: Path) -> Path:
    a, b, c, d = ((pf.E0, pf.N0), (pf.E0 + 100, pf.N0), (pf.E0 + 100, pf.N0 + 100),
                  (pf.E0, pf.N0 + 100))
    lines = [".HODE", "..TEGNSETT UTF-8", "..TRANSPAR", "...KOORDSYS 22", "...ORIGO-NØ 0 0",
             "...ENHET 0.01", ".KURVE 1:", "..OBJTYPE ArealressursGrense", "..NØ",
             *(f"{round(n * 100)} {round(e * 100)}" for e, n in (a, b, c, d, a)),
             ".FLATE 2:", "..OBJTYPE ArealressursFlate", "..ARTYPE 21", "..REF :1", "..NØ",
             f"{round((pf.N0 + 50) * 100)} {round((pf.E0 + 50) * 100)}", ".SLUTT"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_land_cover_from_sosi_and_geopackage_side_by_side(engine: Engine, db_url: str,
                                                          tmp_path: Path) -> None:
    load_source(engine, "land_cover", _ar5_sosi(tmp_path / "ar5.sos"), storage_srid=SRID)
    frame = gpd.GeoDataFrame({"arealtype": [30, 77]}, geometry=[pf.left(), pf.right()],
                             crs="EPSG:25832")
    frame.to_file(tmp_path / "ar5.gpkg", driver="GPKG")
    result = load_source(engine, "land_cover", tmp_path / "ar5.gpkg", storage_srid=SRID)
    assert any("77" in w for w in result.warnings)
    assert _query(db_url, "SELECT arealtype, arealtype_name, round(ST_Area(geom)) FROM land_cover "
                          "ORDER BY arealtype") == [(21, "Fulldyrka jord", 10000),
                                                    (30, "Skog", 5000), (77, None, 5000)]
    # A new delivery of the same file replaces only that file's rows.
    frame.iloc[:1].to_file(tmp_path / "ar5.gpkg", driver="GPKG")
    load_source(engine, "land_cover", tmp_path / "ar5.gpkg", storage_srid=SRID)
    assert _query(db_url, "SELECT arealtype FROM land_cover ORDER BY 1") == [(21,), (30,)]


def test_buildings_from_geojson_gml_and_sosi(engine: Engine, db_url: str, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"bygningsnummer": ["300100310", "300100311"], "bygningstype": [311, 999],
         "bygningsstatus": ["TB", "IG"], "kommunenummer": ["3203", "3203"]},
        geometry=[Point(pf.E0 + 10, pf.N0 + 10), Point(pf.E0 + 20, pf.N0 + 20)], crs="EPSG:25832")
    expected = [("300100310", "311", "kontor/forretning", "TB", "3203"),
                ("300100311", "999", "ukjent", "IG", "3203")]
    columns = "SELECT bygningsnummer, bygningstype, bygningsgruppe, bygningsstatus, " \
              "kommunenummer FROM building ORDER BY 1"
    for name, driver in (("bp.geojson", "GeoJSON"), ("bp.gml", "GML")):
        frame.to_file(tmp_path / name, driver=driver)
        load_source(engine, "buildings", tmp_path / name, storage_srid=SRID)
        assert _query(db_url, columns) == expected, name
        with psycopg.connect(libpq_dsn(db_url)) as conn:
            conn.execute("DELETE FROM building")
    sosi = tmp_path / "bp.sos"
    sosi.write_text("\n".join([
        ".HODE", "..TEGNSETT UTF-8", "..TRANSPAR", "...KOORDSYS 22", "...ORIGO-NØ 0 0",
        "...ENHET 0.01", ".PUNKT 1:", "..OBJTYPE Bygning", "..BYGGNR 300100310",
        "..BYGGTYP_NBR 311", "..BYGGSTAT TB", "..KOMM 3203", "..NØ",
        f"{round((pf.N0 + 10) * 100)} {round((pf.E0 + 10) * 100)}", ".SLUTT"]) + "\n")
    load_source(engine, "buildings", sosi, storage_srid=SRID)
    assert _query(db_url, columns) == expected[:1]


def test_footprints_from_geopackage_get_their_group(engine: Engine, db_url: str,
                                                    tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"bygningsnummer": [1, 2], "bygningstype": [211, 111]},
                             geometry=[pf.left(), pf.right()], crs="EPSG:25832")
    frame.to_file(tmp_path / "fkb.gpkg", driver="GPKG")
    load_source(engine, "building_footprints", tmp_path / "fkb.gpkg", storage_srid=SRID)
    assert _query(db_url, "SELECT bygningsnummer, bygningsgruppe, ST_GeometryType(geom) "
                          "FROM building_footprint ORDER BY 1") == [
        ("1", "industri/lager", "ST_MultiPolygon"), ("2", "bolig", "ST_MultiPolygon")]


def _big_footprints(path: Path, rows: int) -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(570_000, 600_000, rows)
    y = rng.uniform(6_620_000, 6_650_000, rows)
    boxes = shapely.box(x, y, x + 12, y + 9)
    pyogrio.write_arrow(pa.table({
        "bygningsnummer": pa.array(np.arange(rows), pa.int64()),
        "bygningstype": pa.array(np.full(rows, 311), pa.int32()),
        "geometry": pa.array(shapely.to_wkb(boxes), pa.binary())}),
        path, layer="bygning", driver="GPKG", geometry_name="geometry", geometry_type="Polygon",
        crs="EPSG:25832", layer_options={"SPATIAL_INDEX": "NO"})


def _published(db_url: str) -> tuple[Any, ...]:
    return _query(db_url, "SELECT count(*), md5(string_agg(bygningsnummer || ST_AsText(geom), ',' "
                          "ORDER BY bygningsnummer)) FROM building_footprint")[0]


def _kill_once_it_waits_for_a_lock(db_url: str, process: subprocess.Popen[bytes],
                                   deadline: float) -> None:
    """SIGKILL the load as soon as one of its sessions waits for a lock the test holds."""
    while not _query(db_url, "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = "
                             "'Lock' AND datname = current_database()"):
        assert process.poll() is None, "the load ended before it reached the held lock"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def test_killed_load_leaves_published_rows_unchanged(engine: Engine, db_url: str,
                                                     tmp_path: Path) -> None:
    small = tmp_path / "small.gpkg"
    gpd.GeoDataFrame({"bygningsnummer": [1], "bygningstype": [211]}, geometry=[pf.left()],
                     crs="EPSG:25832").to_file(small, driver="GPKG")
    load_source(engine, "building_footprints", small, storage_srid=SRID)
    before = _published(db_url)
    big = tmp_path / "small.gpkg.big.gpkg"
    _big_footprints(big, 100_000)
    naeringskart = str(Path(sys.executable).with_name("naeringskart"))
    env = {**os.environ, "NAERINGSKART_DATABASE_URL": db_url}
    # Hold the published table so the load is certain to be mid-way (its transaction open,
    # blocked on its first write to the table) when it is killed, however fast the machine.
    with psycopg.connect(libpq_dsn(db_url)) as holder:
        holder.execute("LOCK TABLE building_footprint IN SHARE ROW EXCLUSIVE MODE")
        process = subprocess.Popen([naeringskart, "load", "building_footprints", str(big)],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _kill_once_it_waits_for_a_lock(db_url, process, time.monotonic() + 120)
        finally:
            process.wait(timeout=30)
        holder.rollback()
    assert _published(db_url) == before
    # The server notices the dead client and rolls back; no staging table survives.
    deadline = time.monotonic() + 30
    while _query(db_url, "SELECT 1 FROM pg_tables WHERE tablename LIKE 'stage_%'"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert _query(db_url, "SELECT status FROM load_run ORDER BY id DESC LIMIT 1") == [("running",)]


def test_load_killed_while_filling_its_build_table_changes_nothing(engine: Engine, db_url: str,
                                                                   tmp_path: Path) -> None:
    """A big file goes over two connections into a committed build table; killing the load
    there leaves the published rows as they were, and the next load clears the leftover."""
    small = tmp_path / "small.gpkg"
    gpd.GeoDataFrame({"bygningsnummer": [1], "bygningstype": [211]}, geometry=[pf.left()],
                     crs="EPSG:25832").to_file(small, driver="GPKG")
    load_source(engine, "building_footprints", small, storage_srid=SRID)
    before = _published(db_url)
    big = tmp_path / "big" / "small.gpkg"  # a new delivery of the same file replaces it all
    big.parent.mkdir()
    _big_footprints(big, 100_000)
    naeringskart = str(Path(sys.executable).with_name("naeringskart"))
    env = {**os.environ, "NAERINGSKART_DATABASE_URL": db_url, "NAERINGSKART_LOAD_WORKERS": "2"}
    build_tables = ("SELECT tablename FROM pg_tables WHERE tablename LIKE "
                    "'stage\\_building\\_footprints\\_%\\_new'")
    process = subprocess.Popen([naeringskart, "load", "building_footprints", str(big)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (found := _query(db_url, build_tables)):
            assert process.poll() is None, "the load ended before its build table appeared"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        # Holding the build table stops the load mid-way whatever it does next (COPY, index
        # builds or the swap all wait for this lock), however fast the machine.
        with psycopg.connect(libpq_dsn(db_url)) as holder:
            holder.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(
                sql.Identifier(str(found[0][0]))))
            _kill_once_it_waits_for_a_lock(db_url, process, deadline)
            holder.rollback()
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    assert _published(db_url) == before
    # The build table was committed before the swap: it stays until the server has ended the
    # dead load's sessions and the next load of the source drops it.
    assert _query(db_url, build_tables) == found
    while _query(db_url, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                         "AND (state = 'active' OR state LIKE 'idle in transaction%') "
                         "AND pid <> pg_backend_pid()"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    gpd.GeoDataFrame({"bygningsnummer": [2], "bygningstype": [111]}, geometry=[pf.right()],
                     crs="EPSG:25832").to_file(small, driver="GPKG")
    load_source(engine, "building_footprints", small, storage_srid=SRID)
    assert _query(db_url, "SELECT bygningsnummer FROM building_footprint") == [("2",)]
    assert _query(db_url, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'stage%'") == []


def test_footprints_bow_tie_repaired_and_other_crs_reprojected(engine: Engine, db_url: str,
                                                               tmp_path: Path) -> None:
    e, n = pf.E0, pf.N0
    bow_tie = shapely.Polygon([(e, n), (e + 20, n + 20), (e + 20, n), (e, n + 20), (e, n)])
    frame = gpd.GeoDataFrame({"bygningsnummer": [1, 2], "bygningstype": [211, 111]},
                             geometry=[bow_tie, pf.right()], crs="EPSG:25832")
    frame.to_file(tmp_path / "fkb.gpkg", driver="GPKG")
    result = load_source(engine, "building_footprints", tmp_path / "fkb.gpkg", storage_srid=SRID)
    assert (result.rows_read, result.rows_written, result.rows_repaired) == (2, 2, 1)
    assert _query(db_url, "SELECT bygningsnummer, ST_IsValid(geom), round(ST_Area(geom)) "
                          "FROM building_footprint ORDER BY 1") == [("1", True, 200),
                                                                    ("2", True, 5000)]
    frame.to_crs("EPSG:4326").to_file(tmp_path / "fkb.geojson", driver="GeoJSON")
    load_source(engine, "building_footprints", tmp_path / "fkb.geojson", storage_srid=SRID)
    assert _query(db_url, "SELECT count(*), bool_and(ST_SRID(geom) = 25832), "
                          "round(sum(ST_Area(geom))) FROM building_footprint") == [(4, True, 10400)]


def test_ar5_gml_reads_the_areas_layer_and_skips_a_sliver(engine: Engine, db_url: str,
                                                          tmp_path: Path) -> None:
    result = load_source(engine, "land_cover", ar5.ar5_gml(tmp_path / "ar5.gml", sliver=True),
                         storage_srid=SRID)
    assert (result.status, result.rows_read, result.rows_written) == ("published", 3, 2)
    assert _query(db_url, "SELECT arealtype, round(ST_Area(geom)) FROM land_cover "
                          "ORDER BY 1") == [(21, 10000), (30, 10000)]
    text = " | ".join(result.warnings)
    assert "layer ArealressursFlate" in text and "ArealressursGrense" in text
    assert "feature 3 (gml_id ArealressursFlate.3)" in text and "skipped" in text


def test_ar5_repair_names_the_feature_and_its_area_change(engine: Engine, db_url: str,
                                                          tmp_path: Path) -> None:
    result = load_source(engine, "land_cover", ar5.ar5_gml(tmp_path / "ar5.gml", bow_tie=True),
                         storage_srid=SRID)
    assert result.rows_repaired == 1
    repaired = [w for w in result.warnings if "repaired" in w]
    assert len(repaired) == 1
    assert "gml_id ArealressursFlate.2" in repaired[0]
    assert repaired[0].endswith("(gml_id ArealressursFlate.2): repaired self-intersection at "
                                "580109.090909091 6630000, area 9,500.0 → 9,590.9 m² (+1.0 %)")


def test_failed_ar5_load_history_shows_nothing_written(engine: Engine, db_url: str,
                                                       tmp_path: Path) -> None:
    path = ar5.ar5_gml(tmp_path / "ar5.gml")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<app:arealressursArealtype>30<", "<app:arealressursArealtype>skog<"), encoding="utf-8")
    with pytest.raises(LoadError, match=r"ar5\.gml: feature \d+ \(gml_id ArealressursFlate\.2\)"):
        load_source(engine, "land_cover", path, storage_srid=SRID)
    assert _query(db_url, "SELECT status, rows_written FROM load_run") == [("failed", 0)]
    assert _query(db_url, "SELECT count(*) FROM land_cover") == [(0,)]


def test_fkb_gml_of_unknown_3d_layers_loads_footprints_and_point_only_buildings(
        engine: Engine, db_url: str, tmp_path: Path) -> None:
    path = fkb.fkb_bygning_gml(tmp_path / "fkb_bygning.gml")
    result = load_source(engine, "building_footprints", path, storage_srid=SRID)
    assert (result.status, result.rows_read, result.rows_written) == ("published", 3, 3)
    assert _query(db_url, "SELECT bygningsnummer, bygningstype, round(ST_Area(geom)), "
                          "ST_NDims(geom) FROM building_footprint ORDER BY 1") == [
        ("300100001", "211", 100, 2), ("300100002", "111", 400, 2)]
    assert _query(db_url, "SELECT bygningsnummer, kommunenummer, ST_AsText(geom) FROM building") \
        == [("300100003", "0541", f"POINT({pf.E0 + 80} {pf.N0 + 80})")]
    text = " | ".join(result.warnings)
    assert "2 footprints published to building_footprint" in text
    assert "1 point-only buildings published to building" in text
    # A new delivery of the same file replaces both parts.
    path.write_text(path.read_text(encoding="utf-8").replace("300100003", "300100004"),
                    encoding="utf-8")
    load_source(engine, "building_footprints", path, storage_srid=SRID)
    assert _query(db_url, "SELECT bygningsnummer FROM building") == [("300100004",)]
    assert _query(db_url, "SELECT count(*) FROM building_footprint") == [(2,)]
    # Loaded as `buildings` it is the same delivery: both parts again, no duplicates.
    path.write_text(path.read_text(encoding="utf-8").replace("300100004", "300100005"),
                    encoding="utf-8")
    load_source(engine, "buildings", path, storage_srid=SRID)
    assert _query(db_url, "SELECT bygningsnummer FROM building") == [("300100005",)]
    assert _query(db_url, "SELECT count(*) FROM building_footprint") == [(2,)]


def test_gml_with_a_broken_tag_names_the_line(engine: Engine, db_url: str,
                                              tmp_path: Path) -> None:
    path = ar5.ar5_gml(tmp_path / "ar5.gml")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<app:arealressursTreslag>39</app:arealressursTreslag></app:ArealressursFlate>",
        "<app:arealressursTreslag>39</app:arealressursTreslag></app:ArealressursFlat>", 1),
        encoding="utf-8")
    with pytest.raises(LoadError, match=r"ar5\.gml: line 5, column \d+: the XML is broken "
                                        r"\(mismatched tag\)"):
        load_source(engine, "land_cover", path, storage_srid=SRID)
    assert _query(db_url, "SELECT count(*) FROM land_cover") == [(0,)]
