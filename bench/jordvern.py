"""Benchmark: jordvern for a kommune-size data set (generated in PostGIS).

2,000 plans with 50,000 plan areas and 200,000 AR5 polygons, densified to realistic vertex
counts. Prints the time of the AR5 preparation (overlaps settled once per land-cover delivery)
and of gis.jordvern.refresh (run on every plan load), the peak memory of this process and of the
database backend, the query plans of the heavy steps (their spatial indexes), and the ratio
against a reference tool measured in the same run: a geopandas overlay (shapely/GEOS with an
STRtree) of the same non-agricultural plan areas with the same cultivated AR5 polygons, which
is the gross intersection only (no overlap, replacement or built/road handling).

Run: `.venv/bin/python bench/jordvern.py` (or `make bench`). Options: --plans, --ar5, --keep.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine

from gis import jordvern, migrate
from gis.cluster import LocalCluster
from gis.config import PROJECT_ROOT
from gis.db import drop_database, ensure_database, libpq_dsn

X0, Y0, WIDTH, HEIGHT = 560000.0, 6600000.0, 30000.0, 20000.0

GENERATE_AR5 = """
INSERT INTO land_cover (arealtype, geom)
WITH seeds AS (
    SELECT ST_Collect(ST_MakePoint(%(x0)s + random() * %(w)s, %(y0)s + random() * %(h)s)) AS pts
    FROM generate_series(1, %(n)s)
), cells AS (
    SELECT (ST_Dump(ST_VoronoiPolygons(pts, 0,
                ST_MakeEnvelope(%(x0)s, %(y0)s, %(x0)s + %(w)s, %(y0)s + %(h)s)))).geom AS geom
    FROM seeds
), clipped AS (
    SELECT ST_Intersection(geom, ST_MakeEnvelope(%(x0)s, %(y0)s, %(x0)s + %(w)s, %(y0)s + %(h)s))
           AS geom, random() AS r
    FROM cells
)
SELECT CASE WHEN r < 0.35 THEN 21 WHEN r < 0.40 THEN 22 WHEN r < 0.50 THEN 23
            WHEN r < 0.65 THEN 11 WHEN r < 0.70 THEN 12 ELSE 30 END,
       ST_Multi(ST_SetSRID(ST_Segmentize(geom, 8), 25832))
FROM clipped WHERE ST_Area(geom) > 1
"""

GENERATE_PLANS = """
INSERT INTO plan (id, nasjonal_arealplan_id, kommunenummer, planidentifikasjon, plannavn,
                  plantype, planstatus, vedtaksdato)
SELECT i, '3203_' || i, '3203', i::text, 'Plan ' || i,
       CASE WHEN i %% 50 = 0 THEN 20 ELSE 35 END,
       CASE WHEN r < 0.10 THEN 2 WHEN r < 0.15 THEN 5 ELSE 3 END,
       CASE WHEN r < 0.10 THEN NULL
            ELSE make_date(1990 + (random() * 35)::int, 1 + (random() * 11)::int, 1) END
FROM (SELECT i, random() AS r FROM generate_series(1, %(plans)s) i) s
"""

# 25 areas per plan (5 x 5 cells of a 150-350 m block); every tenth plan's areas overlap by 3 m.
GENERATE_AREAS = """
INSERT INTO plan_area (plan_id, code, code_list, category, geom)
WITH blocks AS (
    SELECT id, %(x0)s + random() * (%(w)s - 400) AS bx, %(y0)s + random() * (%(h)s - 400) AS by,
           150 + random() * 200 AS size, id %% 10 = 0 AS overlapping, plantype
    FROM plan
), cells AS (
    SELECT b.id, b.plantype, b.bx + gx * b.size / 5 AS x, b.by + gy * b.size / 5 AS y,
           b.size / 5 AS cell, CASE WHEN b.overlapping THEN 3 ELSE 0 END AS grow, random() AS r
    FROM blocks b, generate_series(0, 4) gx, generate_series(0, 4) gy
)
SELECT id,
       CASE WHEN r < 0.15 THEN '5110' WHEN r < 0.45 THEN '1300' WHEN r < 0.75 THEN '1110'
            WHEN r < 0.90 THEN '2010' ELSE '3040' END,
       CASE WHEN plantype = 20 THEN 'kpa2008' ELSE 'rp2008' END,
       CASE WHEN r < 0.15 THEN 'lnfr' WHEN r < 0.45 THEN 'naering' WHEN r < 0.75 THEN 'bolig'
            WHEN r < 0.90 THEN 'samferdsel' ELSE 'gronn' END,
       ST_Multi(ST_SetSRID(ST_Segmentize(ST_MakeEnvelope(x - grow, y - grow, x + cell + grow,
                                                         y + cell + grow), 10), 25832))
FROM cells
"""

ONE_NEW_PLAN = """
WITH plan_row AS (
    INSERT INTO plan (id, nasjonal_arealplan_id, kommunenummer, planidentifikasjon, plannavn,
                      plantype, planstatus, vedtaksdato)
    SELECT max(id) + 1, '3203_new', '3203', 'new', 'Ny plan', 35, 3, DATE '2026-06-01' FROM plan
    RETURNING id
)
INSERT INTO plan_area (plan_id, code, code_list, category, geom)
SELECT plan_row.id, '1300', 'rp2008', 'naering',
       ST_Multi(ST_SetSRID(ST_Segmentize(ST_MakeEnvelope(%(x)s + gx * 60, %(y)s + gy * 60,
                                                         %(x)s + gx * 60 + 60,
                                                         %(y)s + gy * 60 + 60), 10), 25832))
FROM plan_row, generate_series(0, 4) gx, generate_series(0, 4) gy
"""


def time_one_new_plan(conn: psycopg.Connection, full_seconds: float) -> float:
    """Add one plan of 25 areas amid the others; time the incremental update and check that a
    full refresh gives the same totals."""
    conn.execute(ONE_NEW_PLAN, {"x": X0 + WIDTH / 2, "y": Y0 + HEIGHT / 2})
    timings: dict[str, float] = {}
    update = jordvern.update(conn, timings)
    totals_sql = ("SELECT round(sum(rezoned_m2)::numeric, 1), round(sum(gross_m2)::numeric, 1), "
                  "count(*) FROM jordvern_plan")
    after_update = conn.execute(totals_sql).fetchone()
    jordvern.refresh(conn)
    after_refresh = conn.execute(totals_sql).fetchone()
    print(f"jordvern.update after one new plan: {update.seconds:.2f} s ({update.plans} plans "
          f"recomputed; target < 1 s); the full refresh took {full_seconds:.2f} s, "
          f"ratio {update.seconds / full_seconds:.3f}; totals identical to a full refresh: "
          f"{'yes' if after_update == after_refresh else f'NO {after_update} vs {after_refresh}'}")
    print("update steps: " + ", ".join(f"{name} {seconds * 1000:.0f} ms"
                                       for name, seconds in timings.items() if seconds >= 0.01))
    return update.seconds


HEAVY_STEPS = ("overlaps", "area_pieces", "pieces", "prior_pieces", "store_pieces")
EXPLAINABLE = ("CREATE TEMP TABLE", "INSERT", "DELETE", "UPDATE")


def peak_rss_mb() -> float:
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def backend_peak_mb(pid: int) -> float | None:
    """The database backend's peak resident memory (VmHWM), when /proc shows it."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def backend_cpu_seconds(pid: int) -> float | None:
    """CPU seconds the database backend has used (user + system): unlike the wall-clock time,
    hardly affected by other processes sharing the cores."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def generate(conn: psycopg.Connection, plans: int, ar5: int) -> None:
    """The synthetic kommune (fixed seed: the same data every run)."""
    box = {"x0": X0, "y0": Y0, "w": WIDTH, "h": HEIGHT}
    conn.execute("SELECT setseed(0.42)")
    conn.execute(GENERATE_AR5, {**box, "n": ar5})
    conn.execute(GENERATE_PLANS, {"plans": plans})
    conn.execute(GENERATE_AREAS, box)
    # Plans arrive with their outline (RpOmråde), as in real deliveries.
    conn.execute("UPDATE plan p SET geom = o.geom FROM (SELECT plan_id, "
                 "ST_Multi(ST_Envelope(ST_Collect(geom))) AS geom FROM plan_area "
                 "GROUP BY plan_id) o WHERE o.plan_id = p.id")
    conn.execute("ANALYZE land_cover")
    conn.execute("ANALYZE plan")
    conn.execute("ANALYZE plan_area")


def explain_steps(conn: psycopg.Connection) -> list[str]:
    """Run the refresh steps in a rolled-back transaction under EXPLAIN ANALYZE (which executes
    them): every step's time, and the full plans of the heavy ones."""
    out: list[str] = []
    params = {**jordvern.statement_params(), "affected": None, "scope": None}
    with conn.transaction(force_rollback=True):
        for name, statement in jordvern.statements():
            bound = params if "%(" in statement else None
            body = "\n".join(line for line in statement.splitlines()
                             if not line.lstrip().startswith("--")).lstrip()
            if not body.startswith(EXPLAINABLE):
                conn.execute(statement, bound)
                continue
            plan = [str(row[0]) for row in conn.execute(
                "EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) " + statement, bound).fetchall()]
            total = next((line for line in plan if line.startswith("Execution Time")), "")
            out.append(f"-- {name}: {total}")
            if name in HEAVY_STEPS:
                out.extend(line for line in plan if not line.startswith(("Planning", "Execution")))
    return out


def reference_overlay(url: str) -> tuple[float, float]:
    """geopandas overlay of the same inputs: (seconds for the overlay, total m²)."""
    import geopandas as gpd

    engine = create_engine(url)
    try:
        areas = gpd.read_postgis(
            "SELECT a.id, a.geom FROM plan_area a JOIN plan p ON p.id = a.plan_id "
            "WHERE a.category <> 'lnfr' AND p.planstatus IN (1, 2, 3, 4, 5, 6, 8)",
            engine, geom_col="geom")
        cover = gpd.read_postgis("SELECT id, arealtype, geom FROM land_cover "
                                 "WHERE arealtype IN (21, 22, 23)", engine, geom_col="geom")
    finally:
        engine.dispose()
    started = time.perf_counter()
    result = gpd.overlay(areas, cover, how="intersection", keep_geom_type=True)
    seconds = time.perf_counter() - started
    return seconds, float(result.area.sum())


def main() -> int:
    """Generate, time, explain, compare; exit 1 if the refresh takes more than a minute."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--ar5", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--no-reference", action="store_true", help="skip the geopandas run")
    args = parser.parse_args()

    cluster = LocalCluster(PROJECT_ROOT / "var" / "pg")
    cluster.up()
    url = cluster.url(f"nk_bench_jordvern_{os.getpid()}")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, 25832)
    engine.dispose()
    try:
        with psycopg.connect(libpq_dsn(url), autocommit=True) as conn:
            started = time.perf_counter()
            generate(conn, args.plans, args.ar5)
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM plan), (SELECT count(*) FROM plan_area), "
                "(SELECT count(*) FROM land_cover), "
                "(SELECT avg(ST_NPoints(geom))::int FROM land_cover), "
                "(SELECT avg(ST_NPoints(geom))::int FROM plan_area)").fetchone()
            assert counts
            print(f"generated {counts[0]} plans, {counts[1]} plan areas, {counts[2]} AR5 polygons "
                  f"(mean vertices: AR5 {counts[3]}, plan areas {counts[4]}) "
                  f"in {time.perf_counter() - started:.1f} s")
            pid_row = conn.execute("SELECT pg_backend_pid()").fetchone()
            assert pid_row
            prep_timings: dict[str, float] = {}
            backend_pid = int(pid_row[0])
            cpu_before = backend_cpu_seconds(backend_pid)
            prep_seconds = jordvern.prepare_land_cover(conn, prep_timings)
            cpu_prepared = backend_cpu_seconds(backend_pid)
            prepared = conn.execute("SELECT count(*) FROM jordvern_cultivated").fetchone()
            assert prepared
            print(f"AR5 preparation (once per land-cover delivery, at load): {prep_seconds:.2f} s, "
                  f"{prepared[0]} overlap-free cultivated polygons"
                  + (f", backend CPU {cpu_prepared - cpu_before:.2f} s"
                     if cpu_before is not None and cpu_prepared is not None else ""))
            timings: dict[str, float] = {}
            result = jordvern.refresh(conn, timings)
            cpu_refreshed = backend_cpu_seconds(backend_pid)
            backend_mb = backend_peak_mb(int(pid_row[0]))
            total = conn.execute("SELECT sum(rezoned_m2), sum(gross_m2) FROM jordvern_plan "
                                 "WHERE counted").fetchone()
            assert total
            print(f"jordvern.refresh: {result.seconds:.2f} s for {result.plans} plans, "
                  f"{result.pieces} rezoned pieces; rezoned {total[0] / 1000:.1f} daa "
                  f"(gross {total[1] / 1000:.1f} daa before removing earlier plans' land)"
                  + (f"; backend CPU {cpu_refreshed - cpu_prepared:.2f} s"
                     if cpu_refreshed is not None and cpu_prepared is not None else ""))
            print("steps: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds
                                        in timings.items() if seconds >= 0.05))
            load = os.getloadavg()
            print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} "
                  "(other processes share the cores; times scale with the load)")
            print(f"peak memory: this process {peak_rss_mb():.0f} MB, database backend "
                  + (f"{backend_mb:.0f} MB" if backend_mb is not None else "unknown"))
            incremental = time_one_new_plan(conn, result.seconds)
            ledger_started = time.perf_counter()
            years = jordvern.ledger(conn, target_daa=15, up_to_year=2025, regions=["3203"])
            print(f"ledger ({len(years)} years) read in "
                  f"{(time.perf_counter() - ledger_started) * 1000:.0f} ms")
            print("\nEXPLAIN ANALYZE of every step; plans of the heavy ones (spatial indexes):")
            plan_lines = explain_steps(conn)
            print("\n".join(plan_lines))
            gist = [re.sub(r" \(actual .*\)$", "", line.strip()) for line in plan_lines
                    if "Index Scan" in line]
            print(f"\n{len(gist)} index scans in the heavy steps, e.g. "
                  + "; ".join(sorted(set(gist))[:4]))
        if not args.no_reference:
            ref_seconds, ref_m2 = reference_overlay(url)
            print(f"\nreference geopandas.overlay (gross intersection only): {ref_seconds:.2f} s, "
                  f"{ref_m2 / 1000:.1f} daa incl. kommuneplan and overlaps")
            print(f"ratio jordvern.refresh / geopandas.overlay: {result.seconds / ref_seconds:.2f}")
    finally:
        if not args.keep:
            drop_database(url)
    return 0 if result.seconds < 60 and incremental < 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
