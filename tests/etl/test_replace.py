"""Replace-mode loads: a new table swapped in keeps everything the old one had; a failed swap,
a partial (per-file) replace and a running load behave as users expect."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pyarrow as pa
import pyogrio
import pytest
import shapely
from psycopg import sql
from sqlalchemy import Engine, NullPool, create_engine, make_url

from etl.errors import LoadError
from etl.load import load_history, load_source
from etl.publish import parallel, swap
from gis.cluster import OWNER_ROLE
from gis.db import libpq_dsn

SRID = 25832
E0, N0 = 580_000, 6_630_000


def _query(db_url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def _footprints(path: Path, numbers: list[int], x0: float = E0) -> Path:
    """A GeoPackage of 10 × 8 m footprints in a row, numbered as given."""
    x = x0 + 20.0 * np.arange(len(numbers))
    pyogrio.write_arrow(pa.table({
        "bygningsnummer": pa.array(numbers, pa.int64()),
        "bygningstype": pa.array(np.full(len(numbers), 111), pa.int32()),
        "geometry": pa.array(shapely.to_wkb(shapely.box(x, N0, x + 10, N0 + 8)), pa.binary())}),
        path, layer="bygning", driver="GPKG", geometry_name="geometry", geometry_type="Polygon",
        crs=f"EPSG:{SRID}", layer_options={"SPATIAL_INDEX": "NO"})
    return path


_SHAPE = """
SELECT 'index', indexname, indexdef FROM pg_indexes WHERE tablename = 'building_footprint'
UNION ALL SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = 'building_footprint'::regclass
UNION ALL SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger
    WHERE tgrelid = 'building_footprint'::regclass AND NOT tgisinternal
UNION ALL SELECT 'column', column_name, concat_ws(' ', data_type, is_nullable, column_default,
    generation_expression) FROM information_schema.columns WHERE table_name = 'building_footprint'
UNION ALL SELECT 'sequence', 'id', pg_get_serial_sequence('building_footprint', 'id')
UNION ALL SELECT 'grant', grantee, privilege_type FROM information_schema.role_table_grants
    WHERE table_name = 'building_footprint' AND grantee = 'PUBLIC'
UNION ALL SELECT 'comment', '', obj_description('building_footprint'::regclass, 'pg_class')
ORDER BY 1, 2, 3"""


@pytest.fixture(params=[1, 2], ids=["one connection", "two connections"])
def workers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Connections a replace writes over; with two, even these small files take the parallel
    path (a committed build table filled and indexed over two connections, then swapped in)."""
    monkeypatch.setattr(parallel, "MIN_ROWS", 1)
    return int(request.param)


def test_swapped_table_keeps_indexes_constraints_triggers_and_grants(
        engine: Engine, db_url: str, tmp_path: Path, workers: int) -> None:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        conn.execute("GRANT SELECT ON building_footprint TO PUBLIC")
        conn.execute("COMMENT ON TABLE building_footprint IS 'FKB-Bygning'")
    shape = _query(db_url, _SHAPE)
    oid = _query(db_url, "SELECT 'building_footprint'::regclass::oid")
    version = _query(db_url, "SELECT version FROM tile_data_version "
                             "WHERE table_name = 'building_footprint'")
    first = load_source(engine, "building_footprints", _footprints(tmp_path / "fkb.gpkg", [1, 2]),
                        storage_srid=SRID, workers=workers)
    ids = _query(db_url, "SELECT max(id) FROM building_footprint")[0][0]
    second = load_source(engine, "building_footprints",
                         _footprints(tmp_path / "fkb.gpkg", [3, 4, 5]), storage_srid=SRID,
                         workers=workers)
    assert (first.rows_written, second.rows_written) == (2, 3)
    # A new table took the old one's place, with everything the old one had…
    assert _query(db_url, "SELECT 'building_footprint'::regclass::oid") != oid
    assert _query(db_url, _SHAPE) == shape
    assert _query(db_url, "SELECT bygningsnummer, load_id, ST_SRID(geom3857) FROM "
                          "building_footprint ORDER BY 1") == [
        ("3", second.run_id, 3857), ("4", second.run_id, 3857), ("5", second.run_id, 3857)]
    # …the ids go on from the same sequence, the map's tiles see a new data version…
    assert _query(db_url, "SELECT min(id) FROM building_footprint")[0][0] > ids
    assert _query(db_url, "SELECT version FROM tile_data_version "
                          "WHERE table_name = 'building_footprint'")[0][0] > version[0][0]
    # …and the replaced tables are gone.
    assert _query(db_url, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'stage%'") == []
    # The constraints still hold on the new table.
    with psycopg.connect(libpq_dsn(db_url)) as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("INSERT INTO building_footprint (geom) VALUES (ST_Multi(ST_GeomFromText("
                     "'POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))', 25832)))")
    with psycopg.connect(libpq_dsn(db_url)) as conn, \
            pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute("INSERT INTO building_footprint (load_id, geom) VALUES (999999, "
                     "ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 25832)))")


def test_failed_swap_leaves_the_old_rows_and_indexes(engine: Engine, db_url: str,
                                                    tmp_path: Path, workers: int) -> None:
    # A kommune's own unique index is rebuilt on the new table, so a file breaking it fails.
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        conn.execute("CREATE UNIQUE INDEX footprint_number_unique "
                     "ON building_footprint (bygningsnummer)")
    load_source(engine, "building_footprints", _footprints(tmp_path / "fkb.gpkg", [1, 2]),
                storage_srid=SRID, workers=workers)
    before = _query(db_url, "SELECT id, bygningsnummer, ST_AsText(geom) FROM building_footprint "
                            "ORDER BY id")
    shape = _query(db_url, _SHAPE)
    with pytest.raises(LoadError, match=r"fkb\.gpkg: the database refused the data"):
        load_source(engine, "building_footprints", _footprints(tmp_path / "fkb.gpkg", [7, 7, 8]),
                    storage_srid=SRID, workers=workers)
    assert _query(db_url, "SELECT id, bygningsnummer, ST_AsText(geom) FROM building_footprint "
                          "ORDER BY id") == before
    assert _query(db_url, _SHAPE) == shape
    assert _query(db_url, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'stage%'") == []
    assert load_history(engine)[0]["status"] == "failed"


def test_a_file_replaces_only_its_own_rows_beside_other_files(engine: Engine, db_url: str,
                                                               tmp_path: Path) -> None:
    load_source(engine, "building_footprints", _footprints(tmp_path / "b.gpkg", [1], E0 + 5000),
                storage_srid=SRID)
    # Big next to the table: its GiST indexes are rebuilt after the insert.
    load_source(engine, "building_footprints",
                _footprints(tmp_path / "a.gpkg", list(range(100, 140))), storage_srid=SRID)
    shape = _query(db_url, _SHAPE)
    # Small next to the table: its rows go into the indexes as they are.
    load_source(engine, "building_footprints", _footprints(tmp_path / "b.gpkg", [2], E0 + 5000),
                storage_srid=SRID)
    load_source(engine, "building_footprints", _footprints(tmp_path / "a.gpkg", [3, 4]),
                storage_srid=SRID)
    assert _query(db_url, "SELECT bygningsnummer FROM building_footprint ORDER BY 1") == [
        ("2",), ("3",), ("4",)]
    assert _query(db_url, _SHAPE) == shape
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        conn.execute("SET enable_seqscan = off")
        assert conn.execute("SELECT bygningsnummer FROM building_footprint WHERE geom && "
                            "ST_MakeEnvelope(%s, %s, %s, %s, 25832)",
                            (E0 + 4990, N0, E0 + 5010, N0 + 10)).fetchall() == [("2",)]


def _land_cover(path: Path) -> Path:
    pyogrio.write_arrow(pa.table({
        "arealtype": pa.array([21], pa.int32()),
        "geometry": pa.array(shapely.to_wkb([shapely.box(E0, N0, E0 + 50, N0 + 50)]),
                             pa.binary())}),
        path, layer="ar5", driver="GPKG", geometry_name="geometry", geometry_type="Polygon",
        crs=f"EPSG:{SRID}")
    return path


def test_history_and_other_loads_go_on_while_a_big_load_runs(engine: Engine, db_url: str,
                                                              tmp_path: Path) -> None:
    big = _footprints(tmp_path / "big.gpkg", list(range(70_000)))
    # Anything waiting for a lock more than two seconds fails instead of hanging the test.
    impatient = create_engine(db_url, connect_args={"options": "-c lock_timeout=2000"})
    seen: list[Any] = []

    def during_the_load(read: int) -> None:
        if not seen:  # the load's transaction is open and its COPY under way
            seen.append(load_history(impatient)[0])
            seen.append(load_source(impatient, "land_cover", _land_cover(tmp_path / "ar5.gpkg"),
                                    storage_srid=SRID).status)

    try:
        load_source(engine, "building_footprints", big, storage_srid=SRID,
                    progress=during_the_load)
    finally:
        impatient.dispose()
    assert (seen[0]["source"], seen[0]["status"], seen[1]) == (
        "building_footprints", "running", "published")
    assert [(run["source"], run["status"]) for run in load_history(engine)] == [
        ("land_cover", "published"), ("building_footprints", "published")]
    assert _query(db_url, "SELECT count(*) FROM building_footprint") == [(70_000,)]


def test_a_load_waiting_for_a_swap_keeps_the_swapped_rows(engine: Engine, db_url: str,
                                                          tmp_path: Path) -> None:
    first = _footprints(tmp_path / "a.gpkg", list(range(70_000)))
    second = _footprints(tmp_path / "b.gpkg", [1], E0 + 5000)
    waiting: list[threading.Thread] = []
    results: list[Any] = []

    def start_the_second_load(read: int) -> None:
        # The first load holds the table now: the second one waits for its swap to commit.
        if not waiting:
            waiting.append(threading.Thread(target=lambda: results.append(
                load_source(engine, "building_footprints", second, storage_srid=SRID))))
            waiting[0].start()

    load_source(engine, "building_footprints", first, storage_srid=SRID,
                progress=start_the_second_load)
    waiting[0].join(timeout=120)
    assert results and results[0].status == "published"
    # The second file's building 1 lies 5 km east of the first file's.
    assert _query(db_url, "SELECT count(*), count(*) FILTER (WHERE bygningsnummer = '1' AND "
                          "ST_XMin(geom) >= 585000) FROM building_footprint") == [(70_001, 1)]


def test_an_invalid_footprint_is_repaired_whichever_path_the_file_takes(
        engine: Engine, db_url: str, tmp_path: Path, workers: int) -> None:
    # PostGIS's validity check refuses the bow tie in the bulk COPY; the load then takes the
    # checked path, which repairs it, and leaves no build table behind.
    path = _footprints(tmp_path / "fkb.gpkg", list(range(1, 51)))
    frame = pyogrio.read_dataframe(path)
    frame.loc[49, "geometry"] = shapely.Polygon([(E0, N0), (E0 + 8, N0 + 8), (E0 + 8, N0),
                                                 (E0, N0 + 8)])
    pyogrio.write_dataframe(frame, path, layer="bygning")
    result = load_source(engine, "building_footprints", path, storage_srid=SRID, workers=workers)
    assert (result.rows_read, result.rows_written, result.rows_repaired) == (50, 50, 1)
    assert _query(db_url, "SELECT count(*), bool_and(ST_IsValid(geom)) FROM building_footprint") \
        == [(50, True)]
    assert _query(db_url, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'stage%'") == []


def test_a_build_table_is_dropped_only_once_its_load_has_ended(db_url: str) -> None:
    with psycopg.connect(libpq_dsn(db_url)) as running, \
            psycopg.connect(libpq_dsn(db_url)) as next_load:
        running.execute("CREATE TABLE stage_building_footprints_424242_new (id bigint)")
        running.commit()
        swap.hold_build_lock(running, 424242)  # the load's transaction is still open
        assert swap.drop_leftovers(next_load) == []
        running.rollback()  # the load ended without swapping its table in
        assert swap.drop_leftovers(next_load) == ["stage_building_footprints_424242_new"]
    assert _query(db_url, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'stage%'") == []


def test_a_connection_limit_leaves_a_big_load_on_its_own_connection(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A role allowed one connection (as on a small managed database) still loads the file.
    monkeypatch.setattr(parallel, "MIN_ROWS", 1)
    role = f"nk_one_connection_{os.getpid()}"
    with psycopg.connect(libpq_dsn(db_url), autocommit=True) as admin:
        owner = admin.execute("SELECT current_user").fetchone()[0]  # type: ignore[index]
        # A member of the schema's owner role, as the loads' role is.
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN CONNECTION LIMIT 1 PASSWORD 'one-pw' "
                              "IN ROLE {}").format(sql.Identifier(role), sql.Identifier(OWNER_ROLE)))
        limited = create_engine(make_url(db_url).set(username=role, password="one-pw"),
                                poolclass=NullPool)
        try:
            result = load_source(limited, "building_footprints",
                                 _footprints(tmp_path / "fkb.gpkg", [1, 2, 3]), storage_srid=SRID,
                                 workers=2)
        finally:
            limited.dispose()
            admin.execute(sql.SQL("REASSIGN OWNED BY {} TO {}").format(sql.Identifier(role),
                                                                      sql.Identifier(owner)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    assert (result.status, result.rows_written) == ("published", 3)
    assert _query(db_url, "SELECT count(*) FROM building_footprint") == [(3,)]
