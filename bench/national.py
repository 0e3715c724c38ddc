"""Benchmark: a national instance on this machine — 357 kommuner, 4.2 M building footprints,
400,000 plan areas and 1 M AR5 polygons, generated (fictional) in EPSG:25833.

Prints: the footprint load (our loader, 4.2 M rows from a GeoPackage) and the time to generate
the rest in SQL; building tile p50/p95 at z12/z14/z16 against the same tiles on a 1 M-footprint
database (the same kommuner's footprints, so the same features per tile; target: within 1.2×);
catalogue page and API p95 per kommune (each under /k/NNNN/, its own app); the jordvern ledger:
AR5 preparation, a full refresh, one new plan in one kommune (incremental update) and reading
one kommune's ledger; and the database size.

Run: `.venv/bin/python bench/national.py` (or `make bench`). A smaller run for a check:
`--footprints 200000 --baseline-footprints 50000 --plan-areas 20000 --ar5 50000 --kommuner 40`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow as pa
import pyogrio
import shapely
from sqlalchemy import create_engine

from etl.load import load_source
from gis import jordvern, migrate
from gis.cluster import APP_ROLE, OWNER_ROLE, LocalCluster
from gis.config import PROJECT_ROOT
from gis.db import drop_database, libpq_dsn, provision_local_database

SRID = 25833
CELL_M = 20_000.0
COLUMNS = 21
X0, Y0 = 250_000.0, 6_600_000.0
WORK = PROJECT_ROOT / "var" / "bench"
TARGET_TILE_RATIO = 1.2
FIRST_KOMMUNE = 1001  # fictional kommunenummer 1001, 1002, …


def kommune_number(index: int) -> str:
    return f"{FIRST_KOMMUNE + index:04d}"


def cell(index: int) -> tuple[float, float]:
    """The south-west corner of kommune `index` in the grid."""
    return X0 + (index % COLUMNS) * CELL_M, Y0 + (index // COLUMNS) * CELL_M


def footprints_of(index: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """One kommune's footprints: rotated rectangles around 6 towns (seeded by the kommune, so a
    smaller database holds exactly the same buildings for the same kommuner)."""
    rng = np.random.default_rng(index)
    x0, y0 = cell(index)
    towns = np.column_stack([rng.uniform(x0 + 3000, x0 + CELL_M - 3000, 6),
                             rng.uniform(y0 + 3000, y0 + CELL_M - 3000, 6)])
    town = rng.integers(0, len(towns), rows)
    spread, angle = rng.gamma(2.0, 350.0, rows), rng.uniform(0, 2 * np.pi, rows)
    cx = np.clip(towns[town, 0] + spread * np.cos(angle), x0 + 50, x0 + CELL_M - 50)
    cy = np.clip(towns[town, 1] + spread * np.sin(angle), y0 + 50, y0 + CELL_M - 50)
    width, height, turn = rng.uniform(6, 30, rows), rng.uniform(6, 20, rows), rng.uniform(0, np.pi, rows)
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
    dx, dy = corners[None, :, 0] * width[:, None], corners[None, :, 1] * height[:, None]
    cos, sin = np.cos(turn)[:, None], np.sin(turn)[:, None]
    polygons = shapely.polygons(np.stack([cx[:, None] + dx * cos - dy * sin,
                                          cy[:, None] + dx * sin + dy * cos], axis=-1))
    return polygons, rng.choice([111, 121, 211, 311, 411, 611], rows)


def write_footprints(path: Path, kommuner: int, per_kommune: int) -> None:
    """A GeoPackage of `kommuner` × `per_kommune` footprints, written batch by batch."""
    path.unlink(missing_ok=True)
    first = 0
    for index in range(kommuner):
        polygons, types = footprints_of(index, per_kommune)
        table = pa.table({
            "bygningsnummer": pa.array(np.arange(first, first + per_kommune) + 300_000_000, pa.int64()),
            "bygningstype": pa.array(types, pa.int32()),
            "geometry": pa.array(shapely.to_wkb(polygons), pa.binary())})
        pyogrio.write_arrow(table, path, layer="bygning", driver="GPKG", geometry_name="geometry",
                            geometry_type="Polygon", crs=f"EPSG:{SRID}", append=index > 0,
                            layer_options={"SPATIAL_INDEX": "NO"})
        first += per_kommune


def footprint_file(kommuner: int, per_kommune: int) -> Path:
    """The generated file (kept in var/bench between runs; generated in a child process)."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"national_footprints_{kommuner}x{per_kommune}.gpkg"
    if not path.exists():
        child = multiprocessing.get_context("spawn").Process(
            target=write_footprints, args=(path, kommuner, per_kommune))
        child.start()
        child.join()
        if child.exitcode != 0:
            sys.exit(f"generating {path} failed")
    return path


KOMMUNER_SQL = """
INSERT INTO kommune (kommunenummer, name, geom)
SELECT lpad((%(first)s + i)::text, 4, '0'), 'Testkommune ' || (%(first)s + i),
       ST_Multi(ST_MakeEnvelope(%(x0)s + (i %% %(cols)s) * %(cell)s, %(y0)s + (i / %(cols)s) * %(cell)s,
                                %(x0)s + (i %% %(cols)s + 1) * %(cell)s,
                                %(y0)s + (i / %(cols)s + 1) * %(cell)s, %(srid)s))
FROM generate_series(0, %(n)s - 1) i
"""

# Voronoi cells per kommune, densified to AR5-like vertex counts.
AR5_SQL = """
INSERT INTO land_cover (arealtype, geom)
SELECT CASE WHEN r < 0.35 THEN 21 WHEN r < 0.40 THEN 22 WHEN r < 0.50 THEN 23
            WHEN r < 0.65 THEN 11 WHEN r < 0.70 THEN 12 ELSE 30 END,
       ST_Multi(ST_Segmentize(geom, 25))
FROM (
    SELECT (ST_Dump(ST_Intersection(v.geom, k.geom))).geom AS geom, random() AS r
    FROM kommune k
    CROSS JOIN LATERAL (
        SELECT (ST_Dump(ST_VoronoiPolygons(pts.geom, 0, k.geom))).geom AS geom
        -- g * 0 ties the aggregate to this level (its other inputs are the outer kommune's).
        FROM (SELECT ST_SetSRID(ST_Collect(ST_MakePoint(
                         ST_XMin(k.geom) + random() * %(cell)s + g * 0,
                         ST_YMin(k.geom) + random() * %(cell)s)), ST_SRID(k.geom)) AS geom
              FROM generate_series(1, %(per)s) g) pts
    ) v
) cells
WHERE ST_GeometryType(geom) = 'ST_Polygon' AND ST_Area(geom) > 1
"""

PLANS_SQL = """
INSERT INTO plan (id, nasjonal_arealplan_id, kommunenummer, planidentifikasjon, plannavn,
                  plantype, planstatus, vedtaksdato)
SELECT i, k.kommunenummer || '_' || i, k.kommunenummer, i::text, 'Plan ' || i, 35,
       CASE WHEN random() < 0.1 THEN 2 ELSE 3 END,
       make_date(1995 + (random() * 30)::int, 1 + (random() * 11)::int, 1)
FROM generate_series(1, %(plans)s) i
JOIN (SELECT kommunenummer, row_number() OVER (ORDER BY kommunenummer) - 1 AS n FROM kommune) k
  ON k.n = i %% %(kommuner)s
"""

AREAS_SQL = """
INSERT INTO plan_area (plan_id, code, code_list, category, geom)
WITH blocks AS (
    SELECT p.id, ST_XMin(k.geom) + 500 + random() * (%(cell)s - 1400) AS bx,
           ST_YMin(k.geom) + 500 + random() * (%(cell)s - 1400) AS by, 150 + random() * 250 AS size
    FROM plan p JOIN kommune k ON k.kommunenummer = p.kommunenummer
)
SELECT id, CASE WHEN r < 0.15 THEN '5110' WHEN r < 0.5 THEN '1300' ELSE '1110' END, 'rp2008',
       CASE WHEN r < 0.15 THEN 'lnfr' WHEN r < 0.5 THEN 'naering' ELSE 'bolig' END,
       ST_Multi(ST_Segmentize(ST_MakeEnvelope(bx + gx * size / 5, by + gy * size / 5,
                                              bx + (gx + 1) * size / 5 + 2, by + (gy + 1) * size / 5 + 2,
                                              %(srid)s), 10))
FROM (SELECT b.*, gx, gy, random() AS r FROM blocks b, generate_series(0, 4) gx,
      generate_series(0, 4) gy) c
"""

SITES_SQL = """
INSERT INTO site (site_key, name, area_m2, status, published, fictional, geom)
SELECT 'S' || k.kommunenummer || '-' || s, 'Tomt ' || s || ' i ' || k.name, 4000 + s * 500,
       CASE WHEN s %% 5 = 0 THEN 'reservert' ELSE 'ledig' END, true, true,
       ST_Multi(ST_MakeEnvelope(ST_XMin(k.geom) + 1000 * s, ST_YMin(k.geom) + 2000,
                                ST_XMin(k.geom) + 1000 * s + 70, ST_YMin(k.geom) + 2070, %(srid)s))
FROM kommune k, generate_series(1, %(per)s) s
"""


def timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def new_database(cluster: LocalCluster, name: str) -> str:
    """A database set up as `db up` does: roles provisioned, migrated by the owner role."""
    url = cluster.url(name)
    drop_database(url)
    provision_local_database(cluster, name)
    engine = create_engine(cluster.url(name, OWNER_ROLE))
    migrate.upgrade(engine, SRID)
    engine.dispose()
    return url


def load_footprints(url: str, path: Path) -> float:
    engine = create_engine(url)
    try:
        return timed(lambda: load_source(engine, "building_footprints", path, storage_srid=SRID))
    finally:
        engine.dispose()


def kommune_dir(numbers: Sequence[str]) -> Path:
    """One kommune file per generated kommune (each its own fictional name and target)."""
    folder = Path(tempfile.mkdtemp(prefix="nk-national-"))
    for index, number in enumerate(numbers):
        lon, lat = 11.0 + (index % COLUMNS) * 0.35, 59.6 + (index // COLUMNS) * 0.18
        (folder / f"{number}-testkommune.toml").write_text(
            f'kommunenummer = "{number}"\nname = "Testkommune {number}"\nstorage_srid = {SRID}\n'
            f"[map]\ncentre_lat = {lat:.3f}\ncentre_lon = {lon:.3f}\nzoom = 11\n"
            "[jordvern]\ntarget_daa_per_year = 10.0\n", encoding="utf-8")
    return folder


def app_for(url: str, folder: Path, first: str):  # type: ignore[no-untyped-def]
    """The web app as it is served: signed in as the app role (row-level security applies)."""
    from sqlalchemy.engine import make_url

    from gis.config import load_settings
    from webmap import create_app

    cluster = LocalCluster(PROJECT_ROOT / "var" / "pg")
    app_url = make_url(url).set(username=APP_ROLE, password=cluster.passwords()[APP_ROLE])
    settings = load_settings(database_url=app_url.render_as_string(hide_password=False),
                             env="test", secret_key="bench-" + "x" * 40,
                             kommune_file=next(folder.glob(f"{first}-*.toml")), tile_cache_mb=0)
    return create_app(settings)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000)


def tile_address(x: float, y: float, z: int) -> tuple[int, int, int]:
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(SRID, 4326, always_xy=True).transform(x, y)
    n = 2 ** z
    tx = int((lon + 180.0) / 360.0 * n)
    ty = int((1.0 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2.0 * n)
    return z, tx, ty


def building_tiles(kommuner: int, per_zoom: int) -> dict[int, list[tuple[int, int, int]]]:
    """Tiles over the towns of the first `kommuner` kommuner (where the baseline has data)."""
    rng = np.random.default_rng(42)
    chosen: dict[int, list[tuple[int, int, int]]] = {}
    for z in (12, 14, 16):
        tiles = []
        for _ in range(per_zoom):
            index = int(rng.integers(0, kommuner))
            polygons, _types = footprints_of(index, 20)
            centre = shapely.centroid(polygons[int(rng.integers(0, 20))])
            tiles.append(tile_address(centre.x, centre.y, z))
        chosen[z] = tiles
    return chosen


def measure_tiles(app, tiles: dict[int, list[tuple[int, int, int]]]  # type: ignore[no-untyped-def]
                  ) -> dict[int, tuple[float, float]]:
    """p50/p95 (ms) of the buildings tiles per zoom, each tile once cold and once warm."""
    client = app.test_client()
    result = {}
    for z, addresses in tiles.items():
        samples, empty = [], 0
        for _z, x, y in addresses:
            for _ in range(2):
                started = time.perf_counter()
                response = client.get(f"/tiles/buildings/{z}/{x}/{y}.mvt")
                samples.append(time.perf_counter() - started)
                assert response.status_code in (200, 204), response.status_code
                empty += response.status_code == 204
        if empty > len(samples) // 2:
            sys.exit(f"z{z}: {empty} of {len(samples)} tiles empty; the sample misses the data")
        result[z] = percentiles(samples)
    return result


def measure_catalogue(app, numbers: Sequence[str], rounds: int = 5  # type: ignore[no-untyped-def]
                      ) -> dict[str, tuple[float, float]]:
    """p50/p95 (ms) of the catalogue page and its GeoJSON API per kommune, each kommune's app
    built by a first request that is not counted."""
    client = app.test_client()
    samples: dict[str, list[float]] = {"catalogue page": [], "catalogue API": [],
                                       "site fact sheet": []}
    for number in numbers:
        client.get(f"/k/{number}/investor")
        for _ in range(rounds):
            for name, path in (("catalogue page", f"/k/{number}/investor"),
                               ("catalogue API", f"/k/{number}/api/investor/sites"),
                               ("site fact sheet", f"/k/{number}/investor/tomt/S{number}-3")):
                started = time.perf_counter()
                response = client.get(path)
                samples[name].append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
    return {name: percentiles(values) for name, values in samples.items()}


def measure_ledger(url: str, numbers: Sequence[str]) -> dict[str, float]:
    """AR5 preparation, full refresh, one new plan (incremental update), one kommune's ledger."""
    times: dict[str, float] = {}
    with psycopg.connect(libpq_dsn(url), autocommit=True) as conn:
        times["AR5 preparation (once per delivery)"] = jordvern.prepare_land_cover(conn)
        times["full refresh, every kommune"] = jordvern.refresh(conn).seconds
        conn.execute(
            "WITH p AS (INSERT INTO plan (id, nasjonal_arealplan_id, kommunenummer, "
            "planidentifikasjon, plannavn, plantype, planstatus, vedtaksdato) "
            "SELECT max(id) + 1, %(k)s || '_new', %(k)s, 'new', 'Ny plan', 35, 3, "
            "DATE '2026-06-01' FROM plan RETURNING id) "
            "INSERT INTO plan_area (plan_id, code, code_list, category, geom) "
            "SELECT p.id, '1300', 'rp2008', 'naering', ST_Multi(ST_MakeEnvelope("
            "ST_XMin(k.geom) + 5000, ST_YMin(k.geom) + 5000, ST_XMin(k.geom) + 5300, "
            "ST_YMin(k.geom) + 5300, %(srid)s)) FROM p, kommune k WHERE k.kommunenummer = %(k)s",
            {"k": numbers[0], "srid": SRID})
        times["update after one new plan"] = jordvern.update(conn).seconds
        reads = []
        for number in numbers[:20]:
            started = time.perf_counter()
            jordvern.ledger(conn, target_daa=10, up_to_year=2026, regions=[number])
            reads.append(time.perf_counter() - started)
        times["one kommune's ledger read (p95)"] = percentiles(reads)[1] / 1000
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommuner", type=int, default=357)
    parser.add_argument("--footprints", type=int, default=4_200_000)
    parser.add_argument("--baseline-footprints", type=int, default=1_000_000)
    parser.add_argument("--plan-areas", type=int, default=400_000)
    parser.add_argument("--ar5", type=int, default=1_000_000)
    parser.add_argument("--sites-per-kommune", type=int, default=20)
    parser.add_argument("--tiles", type=int, default=60, help="tiles per zoom level")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    args = parser.parse_args(argv)

    per_kommune = args.footprints // args.kommuner
    baseline_kommuner = max(1, args.baseline_footprints // per_kommune)
    numbers = [kommune_number(i) for i in range(args.kommuner)]
    cluster = LocalCluster(PROJECT_ROOT / "var" / "pg")
    cluster.up()
    started = time.perf_counter()
    national_file = footprint_file(args.kommuner, per_kommune)
    baseline_file = footprint_file(baseline_kommuner, per_kommune)
    print(f"generated {args.kommuner * per_kommune:,} and {baseline_kommuner * per_kommune:,} "
          f"footprints (GeoPackage, cached in {WORK}) in {time.perf_counter() - started:.0f} s")
    national = new_database(cluster, f"nk_bench_national_{os.getpid()}")
    baseline = new_database(cluster, f"nk_bench_baseline_{os.getpid()}")
    folder = kommune_dir(numbers)
    try:
        with psycopg.connect(libpq_dsn(national), autocommit=True) as conn:
            grid = {"first": FIRST_KOMMUNE, "x0": X0, "y0": Y0, "cols": COLUMNS, "cell": CELL_M,
                    "srid": SRID, "n": args.kommuner}
            conn.execute(KOMMUNER_SQL, grid)
            generated = timed(lambda: (
                conn.execute(AR5_SQL, {"cell": CELL_M, "per": args.ar5 // args.kommuner}),
                conn.execute(PLANS_SQL, {"plans": args.plan_areas // 25, "kommuner": args.kommuner}),
                conn.execute(AREAS_SQL, {"cell": CELL_M, "srid": SRID}),
                conn.execute(SITES_SQL, {"srid": SRID, "per": args.sites_per_kommune}),
                conn.execute("ANALYZE")))
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM land_cover), (SELECT count(*) FROM plan), "
                "(SELECT count(*) FROM plan_area), (SELECT count(*) FROM site)").fetchone()
            assert counts
        print(f"generated in SQL: {counts[0]:,} AR5 polygons, {counts[1]:,} plans with "
              f"{counts[2]:,} plan areas, {counts[3]:,} sites in {args.kommuner} kommuner: "
              f"{generated:.0f} s")
        with psycopg.connect(libpq_dsn(baseline), autocommit=True) as conn:
            conn.execute(KOMMUNER_SQL, {**grid, "n": baseline_kommuner})
        national_load = load_footprints(national, national_file)
        baseline_load = load_footprints(baseline, baseline_file)
        rows, baseline_rows = args.kommuner * per_kommune, baseline_kommuner * per_kommune
        print(f"load building_footprints: {rows:,} rows in {national_load:.1f} s "
              f"({rows / national_load:,.0f} rows/s); baseline {baseline_rows:,} rows in "
              f"{baseline_load:.1f} s ({baseline_rows / baseline_load:,.0f} rows/s)")

        tiles = building_tiles(baseline_kommuner, args.tiles)
        national_tiles = measure_tiles(app_for(national, folder, numbers[0]), tiles)
        baseline_tiles = measure_tiles(app_for(baseline, folder, numbers[0]), tiles)
        print("\nbuilding tiles, ms (each tile cold then warm, no tile cache): "
              f"national {rows:,} vs {baseline_rows:,} footprints")
        print(f"| z | national p50 | national p95 | {baseline_rows:,} p50 | {baseline_rows:,} p95 "
              "| p95 ratio (target ≤ 1.2) |")
        print("|---|---|---|---|---|---|")
        worst = 0.0
        for z in (12, 14, 16):
            n50, n95 = national_tiles[z]
            b50, b95 = baseline_tiles[z]
            worst = max(worst, n95 / b95)
            print(f"| {z} | {n50:.1f} | {n95:.1f} | {b50:.1f} | {b95:.1f} | {n95 / b95:.2f} |")

        sample = numbers[:: max(1, len(numbers) // 30)][:30]
        catalogue = measure_catalogue(app_for(national, folder, numbers[0]), sample)
        print(f"\nper kommune ({len(sample)} kommuner, each under /k/NNNN/), ms:")
        for name, (p50, p95) in catalogue.items():
            print(f"  {name}: p50 {p50:.1f}, p95 {p95:.1f}")

        print("\njordvern (every kommune in one database):")
        for name, seconds in measure_ledger(national, numbers).items():
            print(f"  {name}: {seconds:.2f} s")
        with psycopg.connect(libpq_dsn(national)) as conn:
            size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))"
                                ).fetchone()
        print(f"\ndatabase size: {size[0] if size else '?'}; machine: {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
        return 0 if worst <= TARGET_TILE_RATIO else 1
    finally:
        if not args.keep:
            drop_database(national)
            drop_database(baseline)


if __name__ == "__main__":
    raise SystemExit(main())
