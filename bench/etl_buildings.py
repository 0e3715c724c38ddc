"""Benchmark: 1,000,000 building footprints from a GeoPackage into PostGIS, our loader against
ogr2ogr in the same run and the same database. Prints rows/s for each, the ratio and our
peak memory. Run by `make bench` (needs Debian's gdal-bin for ogr2ogr)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyogrio
import shapely
from sqlalchemy import create_engine

from etl import parallel
from gis import db as gisdb
from gis import migrate
from gis.cluster import LocalCluster
from gis.config import PROJECT_ROOT

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
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
    table = pa.table({
        "bygningsnummer": pa.array(np.arange(300_000_000, 300_000_000 + rows), pa.int64()),
        "bygningstype": pa.array(types, pa.int32()),
        "geometry": pa.array(shapely.to_wkb(polygons), pa.binary()),
    })
    path.unlink(missing_ok=True)
    pyogrio.write_arrow(table, path, layer="bygning", driver="GPKG", geometry_name="geometry",
                        geometry_type="Polygon", crs=f"EPSG:{SRID}",
                        layer_options={"SPATIAL_INDEX": "NO"}, dataset_options={"VERSION": "1.3"})


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time of a subprocess and its own peak resident memory in MiB (os.wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Drain the pipes in the background so a chatty tool never blocks on a full pipe.
    out: list[bytes] = []
    readers = [threading.Thread(target=lambda s=stream: out.append(s.read()), daemon=True)
               for stream in (process.stdout, process.stderr) if stream is not None]
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


def main() -> None:
    """Generate (once), load both ways, print the comparison."""
    ogr2ogr = shutil.which("ogr2ogr")
    if not ogr2ogr:
        sys.exit("ogr2ogr not found: install Debian's gdal-bin (make bench does)")
    WORK.mkdir(parents=True, exist_ok=True)
    data = WORK / f"footprints_{ROWS}.gpkg"
    if not data.exists():
        started = time.perf_counter()
        # In a child process: Linux counts the RSS a process had when it forked into the
        # ru_maxrss of its children, so a bench process that held 1M footprints would
        # inflate the peak memory printed for our load.
        child = multiprocessing.get_context("spawn").Process(target=generate, args=(data, ROWS))
        child.start()
        child.join()
        if child.exitcode != 0:
            sys.exit(f"generating {data} failed (exit code {child.exitcode})")
        print(f"generated {ROWS:,} footprints in {time.perf_counter() - started:.1f} s: {data}")
    cluster = LocalCluster(PROJECT_ROOT / "var" / "pg")
    cluster.up()
    url = cluster.url("nk_bench_etl")
    gisdb.drop_database(url)
    gisdb.ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, SRID)
    engine.dispose()
    env = {**os.environ, "NAERINGSKART_DATABASE_URL": url}
    naeringskart = str(Path(sys.executable).with_name("naeringskart"))
    ours, peak = timed([naeringskart, "load", "building_footprints", str(data)], env)
    dsn = gisdb.libpq_dsn(url).replace("postgresql://", "")
    user_host, _, database = dsn.rpartition("/")
    user, _, hostport = user_host.partition("@")
    host, _, port = hostport.partition(":")
    theirs, _ = timed([ogr2ogr, "-f", "PostgreSQL",
                       f"PG:host={host} port={port} user={user} dbname={database}", str(data),
                       "-nln", "ogr_footprints", "-overwrite", "--config", "PG_USE_COPY", "YES"],
                      env)
    workers = int(env.get("NAERINGSKART_LOAD_WORKERS") or 0) or parallel.default_workers()
    ours_rate, theirs_rate = ROWS / ours, ROWS / theirs
    ratio = ours_rate / theirs_rate
    print(f"naeringskart load building_footprints: {ours:6.1f} s  {ours_rate:>9,.0f} rows/s  "
          f"(peak memory {peak} MiB)")
    print("  into building_footprint: PostGIS validity check per row, generated EPSG:3857 column, "
          f"two GiST indexes, load_id foreign key, code-list lookup; over {workers} connection(s), "
          "swapped in by one transaction")
    print(f"ogr2ogr -f PostgreSQL (PG_USE_COPY):   {theirs:6.1f} s  {theirs_rate:>9,.0f} rows/s  "
          "(with its spatial index)")
    print(f"ratio ours/ogr2ogr: {ratio:.2f} (target >= {TARGET_RATIO})")
    gisdb.drop_database(url)


if __name__ == "__main__":
    main()
