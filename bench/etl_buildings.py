"""Benchmark: 1,000,000 building footprints from a GeoPackage into PostGIS, our loader against
three peers in the same run and the same database: bare ogr2ogr; ogr2ogr followed by the SQL
that gives its table what our load gives building_footprint (validity check over every row,
the generated EPSG:3857 column, both GiST indexes, the load_id foreign key, ANALYZE), timed end
to end; and the COPY floor, a plain binary COPY of the same rows into an index-less table.
Prints rows/s for each, our ratio against each and our peak memory. Run by `make bench` (needs
Debian's gdal-bin for ogr2ogr); `--features 50000` runs it small."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psycopg
import pyarrow as pa
import pyogrio
import shapely
from psycopg import sql
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from etl.publish import fastcopy, parallel
from etl.sources import SOURCES
from gis import db as gisdb
from gis import migrate
from gis.cluster import LocalCluster
from gis.config import PROJECT_ROOT

DEFAULT_ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
SRID = 25832
TARGET_RATIO = 1.2
WORK = PROJECT_ROOT / "var" / "bench"


def generate(path: Path, rows: int, seed: int = 3203) -> None:
    """Rotated rectangles clustered around 40 towns in a 60 × 60 km box near Asker (GPKG 1.3)."""
    rng = np.random.default_rng(seed)
    towns = np.column_stack([rng.uniform(560_000, 620_000, 40), rng.uniform(6_610_000, 6_670_000, 40)])
    town = rng.integers(0, len(towns), rows)
    spread = rng.gamma(2.0, 400.0, rows)
    angle = rng.uniform(0, 2 * np.pi, rows)
    cx = towns[town, 0] + spread * np.cos(angle)
    cy = towns[town, 1] + spread * np.sin(angle)
    width, height = rng.uniform(6, 30, rows), rng.uniform(6, 20, rows)
    turn = rng.uniform(0, np.pi, rows)
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
    dx = corners[None, :, 0] * width[:, None]
    dy = corners[None, :, 1] * height[:, None]
    cos, sin = np.cos(turn)[:, None], np.sin(turn)[:, None]
    x = cx[:, None] + dx * cos - dy * sin
    y = cy[:, None] + dx * sin + dy * cos
    polygons = shapely.polygons(np.stack([x, y], axis=-1))
    types = rng.choice([111, 121, 131, 211, 221, 311, 319, 321, 411, 511, 611, 719], rows)
    table = pa.table(
        {
            "bygningsnummer": pa.array(np.arange(300_000_000, 300_000_000 + rows), pa.int64()),
            "bygningstype": pa.array(types, pa.int32()),
            "geometry": pa.array(shapely.to_wkb(polygons), pa.binary()),
        }
    )
    path.unlink(missing_ok=True)
    pyogrio.write_arrow(
        table,
        path,
        layer="bygning",
        driver="GPKG",
        geometry_name="geometry",
        geometry_type="Polygon",
        crs=f"EPSG:{SRID}",
        layer_options={"SPATIAL_INDEX": "NO"},
        dataset_options={"VERSION": "1.3"},
    )


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time of a subprocess and its own peak resident memory in MiB (os.wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Drain the pipes in the background so a chatty tool never blocks on a full pipe.
    out: list[bytes] = []
    readers = [
        threading.Thread(target=lambda s=stream: out.append(s.read()), daemon=True)
        for stream in (process.stdout, process.stderr)
        if stream is not None
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{command[0]} failed:\n" + b"\n".join(out).decode(errors="replace"))
    return elapsed, usage.ru_maxrss // 1024


# What the load gives building_footprint beyond bare ogr2ogr, as SQL on ogr2ogr's table: the
# PostGIS validity check over every row and the generated EPSG:3857 column in one rewrite of the
# table (ADD CONSTRAINT checks each row as it is rewritten), the load_id foreign key, then both
# GiST indexes one per connection (as etl/publish/parallel.py does), then ANALYZE.
POST_PROCESS = (
    "ALTER TABLE {table} ADD CONSTRAINT {check} CHECK (ST_IsValid(geom)), "
    "ADD COLUMN geom3857 geometry(Geometry, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) "
    "STORED, ADD COLUMN load_id integer DEFAULT {run} REFERENCES load_run (id)"
)
POST_INDEXES = ("CREATE INDEX ON {table} USING gist (geom)", "CREATE INDEX ON {table} USING gist (geom3857)")
# The floor's table: building_footprint's columns without a key, index, check or generated
# column; it gets the bytes our load sends.
FLOOR_TABLE = (
    "CREATE TABLE {table} (id bigserial, bygningsnummer text, bygningstype text, "
    "bygningsgruppe text, load_id integer, geom geometry(MultiPolygon, {srid}))"
)
FLOOR_COPY = (
    "COPY {table} (bygningsnummer, bygningstype, bygningsgruppe, load_id, geom) FROM STDIN (FORMAT BINARY)"
)


def arguments() -> argparse.Namespace:
    """--features: how many footprints (a small run checks the benchmark itself)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--features",
        type=int,
        default=DEFAULT_ROWS,
        help=f"footprints to generate and load (default {DEFAULT_ROWS:,})",
    )
    return parser.parse_args()


def ensure_data(rows: int) -> Path:
    """The generated GeoPackage of `rows` footprints (made once, kept in var/bench)."""
    WORK.mkdir(parents=True, exist_ok=True)
    data = WORK / f"footprints_{rows}.gpkg"
    if not data.exists():
        started = time.perf_counter()
        # In a child process: Linux counts the RSS a process had when it forked into the
        # ru_maxrss of its children, so a bench process that held 1M footprints would
        # inflate the peak memory printed for our load.
        child = multiprocessing.get_context("spawn").Process(target=generate, args=(data, rows))
        child.start()
        child.join()
        if child.exitcode != 0:
            sys.exit(f"generating {data} failed (exit code {child.exitcode})")
        print(f"generated {rows:,} footprints in {time.perf_counter() - started:.1f} s: {data}")
    return data


def ogr2ogr_command(
    ogr2ogr: str, url: str, data: Path, table: str, *options: str
) -> tuple[list[str], dict[str, str]]:
    """ogr2ogr into `table` by COPY, and its environment (the password goes in PGPASSWORD)."""
    target = make_url(url)
    command = [
        ogr2ogr,
        "-f",
        "PostgreSQL",
        f"PG:host={target.host} port={target.port} user={target.username} dbname={target.database}",
        str(data),
        "-nln",
        table,
        "-overwrite",
        "--config",
        "PG_USE_COPY",
        "YES",
        *options,
    ]
    return command, {**os.environ, "PGPASSWORD": target.password or ""}


def post_process(url: str, table: str, run_id: int, workers: int) -> None:
    """Our load's post-processing on ogr2ogr's table (POST_PROCESS, POST_INDEXES, ANALYZE)."""
    dsn = gisdb.libpq_dsn(url)
    with psycopg.connect(dsn) as conn:
        conn.execute(
            sql.SQL(POST_PROCESS).format(
                table=sql.Identifier(table),
                check=sql.Identifier(f"{table}_geom_valid"),
                run=sql.Literal(run_id),
            )
        )
        conn.commit()
        with parallel.connections_like(conn, workers) as connections:
            parallel.execute(
                connections,
                [sql.SQL(statement).format(table=sql.Identifier(table)) for statement in POST_INDEXES],
            )
        conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
        conn.commit()


def floor_chunks(data: Path, run_id: int) -> list[bytes]:
    """The file as the binary COPY rows our load sends (etl.publish.fastcopy), made before timing."""
    spec = SOURCES["building_footprints"]
    mapping = {field.column: field.column for field in spec.fields}
    text_oid = 25
    oids = [text_oid] * (len(spec.fields) + len(spec.derived))
    chunks = []
    with pyogrio.open_arrow(data, columns=list(mapping), use_pyarrow=True, batch_size=65_536) as (
        meta,
        reader,
    ):
        geometry_name = meta.get("geometry_name") or "wkb_geometry"
        for batch in reader:
            batch = batch.rename_columns(
                ["geometry" if name == geometry_name else name for name in batch.schema.names]
            )
            chunks.append(
                fastcopy.batch_binary(batch, spec.fields, spec.derived, mapping, oids, run_id, SRID, {})
            )
    return chunks


def copy_floor(url: str, chunks: list[bytes], workers: int) -> float:
    """Seconds for a plain binary COPY of the chunks into a new index-less table, over as many
    connections as our load uses."""
    with psycopg.connect(gisdb.libpq_dsn(url)) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS floor_footprints"))
        conn.execute(
            sql.SQL(FLOOR_TABLE).format(table=sql.Identifier("floor_footprints"), srid=sql.Literal(SRID))
        )
        conn.commit()
        with parallel.connections_like(conn, workers) as connections:
            statement = sql.SQL(FLOOR_COPY).format(table=sql.Identifier("floor_footprints"))
            started = time.perf_counter()
            parallel.copy(connections, statement, fastcopy.COPY_HEADER, fastcopy.COPY_TRAILER, iter(chunks))
            return time.perf_counter() - started


def last_run_id(url: str) -> int:
    """Our load's load_run id (the peers' load_id points at it)."""
    with psycopg.connect(gisdb.libpq_dsn(url)) as conn:
        row = conn.execute("SELECT max(id) FROM load_run").fetchone()
    assert row is not None and row[0] is not None
    return int(row[0])


def main() -> None:
    """Generate (once), load every way, print the comparison."""
    rows = arguments().features
    ogr2ogr = shutil.which("ogr2ogr")
    if not ogr2ogr:
        sys.exit("ogr2ogr not found: install Debian's gdal-bin (make bench does)")
    data = ensure_data(rows)
    cluster = LocalCluster(PROJECT_ROOT / "var" / "pg")
    cluster.up()
    url = cluster.url("nk_bench_etl")
    gisdb.drop_database(url)
    gisdb.ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, SRID)
    engine.dispose()
    env = {**os.environ, "NAERINGSKART_DATABASE_URL": url}
    workers = int(env.get("NAERINGSKART_LOAD_WORKERS") or 0) or parallel.default_workers()
    naeringskart = str(Path(sys.executable).with_name("naeringskart"))
    ours, peak = timed([naeringskart, "load", "building_footprints", str(data)], env)
    run_id = last_run_id(url)
    command, ogr_env = ogr2ogr_command(ogr2ogr, url, data, "ogr_footprints")
    bare, _ = timed(command, ogr_env)
    # The same rows in building_footprint's shape: MultiPolygons in a column named geom, the
    # spatial index left for after the rewrite.
    command, ogr_env = ogr2ogr_command(
        ogr2ogr,
        url,
        data,
        "ogr_post_footprints",
        "-nlt",
        "PROMOTE_TO_MULTI",
        "-lco",
        "GEOMETRY_NAME=geom",
        "-lco",
        "SPATIAL_INDEX=NONE",
    )
    started = time.perf_counter()
    timed(command, ogr_env)
    post_process(url, "ogr_post_footprints", run_id, workers)
    post = time.perf_counter() - started
    floor = copy_floor(url, floor_chunks(data, run_id), workers)
    ours_rate = rows / ours
    print(f"{rows:,} footprints")
    print(
        f"naeringskart load building_footprints: {ours:6.1f} s  {ours_rate:>9,.0f} rows/s  "
        f"(peak memory {peak} MiB)"
    )
    print(
        "  into building_footprint: PostGIS validity check per row, generated EPSG:3857 column, "
        f"two GiST indexes, load_id foreign key, code-list lookup; over {workers} connection(s), "
        "swapped in by one transaction"
    )
    peers = (
        ("ogr2ogr -f PostgreSQL (PG_USE_COPY)", bare, "with its spatial index"),
        ("ogr2ogr + our post-processing", post, "check, EPSG:3857 column, key, both GiST indexes, ANALYZE"),
        ("COPY floor (binary, index-less)", floor, f"our load's bytes, {workers} stream(s)"),
    )
    for name, seconds, what in peers:
        print(f"{name + ':':<39}{seconds:6.1f} s  {rows / seconds:>9,.0f} rows/s  ({what})")
    for number, (name, seconds, _) in enumerate(peers):
        target = f" (target >= {TARGET_RATIO})" if number == 0 else ""
        print(f"ratio ours/{name.split(' (')[0]}: {ours_rate / (rows / seconds):.2f}{target}")
    gisdb.drop_database(url)


if __name__ == "__main__":
    main()
