"""Benchmark: classify 10,000 sites against a national-size stop set and match one profile.

Generates (deterministically, in PostGIS) 60,000 stops, 10,000 sites, 1,500 centres and 2,000
main-road junctions around 600 towns spread over a Norway-sized box, then times:

* stop categories and the transit-quality areas of one kommune (what a GTFS load triggers;
  `--national-areas` also times the areas for all 60,000 stops: minutes),
* the ABC classification of every site (what a site, centre or junction load triggers),
* matching one profile against the 10,000 sites (the API call; median of 7 runs),
* a kommune with a walking network: 1,000 more sites in a 20 × 20 km kommune (Asker is
  377 km²) classified without and with a generated 100 m grid network of 80,400 path segments
  (pgRouting), the topology build, all 10,000 + 1,000 sites with the network loaded, and
  matching again,

and, as a reference measured in the same run, the transit-class step done the way a Python
user would without PostGIS: shapely 2's STRtree over the same stops and sites (numpy
vectorised), to show the ratio. Run with `make bench` or `.venv/bin/python bench/abc.py`
(`--quick`: a tenth of the data and a 5 × 5 km network, for development).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import shapely
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gis import db as gisdb
from gis import migrate
from gis.abc.accessibility import (
    class_parameters,
    refresh_quality_areas,
    refresh_site_accessibility,
    refresh_stop_categories,
)
from gis.abc.mobility import mobility_profile, parse_business
from gis.abc.network import rebuild_topology
from gis.abc.settings import AbcSettings, TransitSettings
from gis.cluster import LocalCluster
from gis.config import PROJECT_ROOT
from gis.matching import match_sites

SRID = 25832
QUICK = "--quick" in sys.argv
STOPS, SITES, TOWNS, CENTRES, JUNCTIONS = ((6_000, 1_000, 60, 150, 200) if QUICK
                                           else (60_000, 10_000, 600, 1_500, 2_000))
# The walking-network kommune: side (m) of the square grid, grid spacing (m), its own sites.
GRID_SIDE_M, GRID_STEP_M, KOMMUNE_SITES = (5_000, 100, 100) if QUICK else (20_000, 100, 1_000)

GENERATE = [
    "SELECT setseed(0.42)",
    """CREATE TEMP TABLE town AS
        SELECT n, 100000 + random() * 400000 AS x, 6450000 + random() * 1200000 AS y
        FROM generate_series(1, %(towns)s) n""",
    # Offsets are sums of uniforms (roughly normal): dense centres, thinner edges.
    """INSERT INTO transit_stop (stop_id, name, mode, departures_per_hour, geom)
        SELECT 'NSR:StopPlace:' || i, 'Stopp ' || i,
               CASE WHEN r < 0.04 THEN 'rail' WHEN r < 0.06 THEN 'tram' ELSE 'bus' END,
               round((CASE WHEN r < 0.04 THEN 2 + random() * 14 ELSE random() * 16 END)::numeric, 2),
               ST_SetSRID(ST_MakePoint(t.x + (random() + random() + random() - 1.5) * 4000,
                                       t.y + (random() + random() + random() - 1.5) * 4000), %(srid)s)
        FROM (SELECT i, random() AS r, 1 + floor(random() * %(towns)s)::int AS town
              FROM generate_series(1, %(stops)s) i) s
        JOIN town t ON t.n = s.town""",
    """INSERT INTO centre (name, level, geom)
        SELECT 'Senter ' || i, (ARRAY['regionsenter', 'kommunedelsenter', 'lokalsenter',
                                      'nærsenter'])[1 + i %% 4],
               ST_SetSRID(ST_MakePoint(t.x + (random() - 0.5) * 3000,
                                       t.y + (random() - 0.5) * 3000), %(srid)s)
        FROM generate_series(1, %(centres)s) i JOIN town t ON t.n = 1 + i %% %(towns)s""",
    """INSERT INTO road_junction (name, vegnummer, geom)
        SELECT 'Kryss ' || i, (ARRAY['E18', 'E134', 'E6', 'Fv165'])[1 + i %% 4],
               ST_SetSRID(ST_MakePoint(t.x + (random() - 0.5) * 12000,
                                       t.y + (random() - 0.5) * 12000), %(srid)s)
        FROM generate_series(1, %(junctions)s) i JOIN town t ON t.n = 1 + i %% %(towns)s""",
    """INSERT INTO site (site_key, name, area_m2, status, readiness, zoning_code, geom)
        SELECT 'B-' || lpad(i::text, 5, '0'), 'Tomt ' || i, side * side,
               CASE WHEN random() < 0.8 THEN 'ledig' ELSE 'reservert' END,
               (ARRAY['ledig_naa', 'regulert', 'kommuneplan'])[1 + i %% 3],
               (ARRAY['1300', '1310', '1130', '1350', '1340', '1800', '1825', '1150'])[1 + i %% 8],
               ST_Multi(ST_MakeEnvelope(cx, cy, cx + side, cy + side, %(srid)s))
        FROM (SELECT i, 60 + random() * 190 AS side,
                     t.x + (random() + random() + random() - 1.5) * 5000 AS cx,
                     t.y + (random() + random() + random() - 1.5) * 5000 AS cy
              FROM (SELECT i, 1 + floor(random() * %(towns)s)::int AS town
                    FROM generate_series(1, %(sites)s) i) p
              JOIN town t ON t.n = p.town) s""",
    # One kommune of 40 × 40 km around town 1: the transit-quality areas are drawn for it.
    """INSERT INTO kommune (kommunenummer, name, geom)
        SELECT '9999', 'Benchkommune',
               ST_Multi(ST_MakeEnvelope(x - 20000, y - 20000, x + 20000, y + 20000, %(srid)s))
        FROM town WHERE n = 1""",
    "ANALYZE",
]
GENERATE_PARAMETERS = {"towns": TOWNS, "stops": STOPS, "srid": SRID, "centres": CENTRES,
                       "junctions": JUNCTIONS, "sites": SITES}

# Sites of the walking-network kommune: a square around town 1, as dense as a real kommune's.
KOMMUNE_SITES_SQL = """
INSERT INTO site (site_key, name, area_m2, status, readiness, zoning_code, geom)
SELECT 'K-' || lpad(i::text, 5, '0'), 'Kommunetomt ' || i, side * side, 'ledig', 'ledig_naa',
       (ARRAY['1300', '1310', '1130', '1350'])[1 + i %% 4],
       ST_Multi(ST_MakeEnvelope(cx, cy, cx + side, cy + side, %(srid)s))
FROM (SELECT i, 60 + random() * 190 AS side,
             t.x + (random() - 0.5) * (%(side)s - 500) AS cx,
             t.y + (random() - 0.5) * (%(side)s - 500) AS cy
      FROM generate_series(1, %(count)s) i CROSS JOIN town t WHERE t.n = 1) s
RETURNING id
"""
# A street grid over the kommune, one segment between neighbouring crossings.
GRID_NETWORK_SQL = """
INSERT INTO walk_path (path_key, kind, geom)
SELECT 'G-' || i || '-' || j || '-' || d, 'gangveg',
       ST_Multi(ST_SetSRID(ST_MakeLine(
           ST_MakePoint(x0 + i * %(step)s, y0 + j * %(step)s),
           ST_MakePoint(x0 + (i + di) * %(step)s, y0 + (j + dj) * %(step)s)), %(srid)s))
FROM (SELECT x - %(side)s / 2.0 AS x0, y - %(side)s / 2.0 AS y0 FROM town WHERE n = 1) o
CROSS JOIN generate_series(0, %(cells)s) i
CROSS JOIN generate_series(0, %(cells)s) j
CROSS JOIN (VALUES (0, 1, 0), (1, 0, 1)) AS dir(d, di, dj)
WHERE i + di <= %(cells)s AND j + dj <= %(cells)s
"""


# The transit-class step alone, as in gis/abc/sql/classify.sql, for a like-for-like ratio.
TRANSIT_ONLY = """
WITH rules AS (
    SELECT * FROM unnest(%(cls_categories)s::text[], %(cls_rings)s::float8[],
                         %(cls_classes)s::text[]) AS r(category, ring_m, quality_class))
SELECT count(best.quality_class) FROM site t
LEFT JOIN LATERAL (
    SELECT r.quality_class FROM transit_stop_quality q
    CROSS JOIN LATERAL (SELECT ST_Distance(q.geom, t.geom) * %(detour)s::float8 AS dist_m) d
    JOIN rules r ON r.category = q.category AND d.dist_m <= r.ring_m
    WHERE ST_DWithin(q.geom, t.geom, %(reach_m)s::float8 / %(detour)s::float8)
    ORDER BY r.quality_class, d.dist_m, q.name LIMIT 1) best ON true
"""


def timed(label: str, action, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of `repeat` runs, printed."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    median = statistics.median(runs)
    extra = f" (median of {repeat})" if repeat > 1 else ""
    print(f"{label:<58} {median * 1000:10.1f} ms{extra}")
    return median


def shapely_transit_classes(conn: psycopg.Connection, settings: AbcSettings) -> np.ndarray:
    """Reference: the best transit class of every site with shapely's STRtree, in Python."""
    params = class_parameters(settings)
    stops = conn.execute("SELECT ST_X(geom), ST_Y(geom), category FROM transit_stop_quality "
                         "WHERE category IS NOT NULL").fetchall()
    sites = conn.execute("SELECT ST_AsBinary(geom) FROM site ORDER BY id").fetchall()
    points = shapely.points(np.array([(x, y) for x, y, _ in stops]))
    categories = np.array([c for _, _, c in stops])
    polygons = shapely.from_wkb([bytes(row[0]) for row in sites])
    tree = shapely.STRtree(points)
    reach = params["reach_m"] / params["detour"]
    site_index, stop_index = tree.query(polygons, predicate="dwithin", distance=reach)
    walk = shapely.distance(polygons[site_index], points[stop_index]) * params["detour"]
    best = np.full(len(polygons), "Z", dtype="<U1")
    for category, ring, quality in zip(params["cls_categories"], params["cls_rings"],
                                       params["cls_classes"], strict=True):
        hit = (categories[stop_index] == category) & (walk <= ring)
        np.minimum.at(best.view(np.int32), site_index[hit], np.int32(ord(quality)))
    return best


def network_run(conn: psycopg.Connection, settings: AbcSettings, profile: Any) -> None:
    """Classification of one kommune's sites without and with a kommune-size walking network."""
    grid = {"srid": SRID, "side": GRID_SIDE_M, "step": GRID_STEP_M,
            "cells": GRID_SIDE_M // GRID_STEP_M, "count": KOMMUNE_SITES}
    ids = [r[0] for r in conn.execute(KOMMUNE_SITES_SQL, grid).fetchall()]
    conn.execute("ANALYZE site")
    print(f"walking network: {len(ids):,} sites in a {GRID_SIDE_M / 1000:g} × "
          f"{GRID_SIDE_M / 1000:g} km kommune")
    without = timed(f"classify {len(ids):,} kommune sites, no network (straight × detour)",
                    lambda: refresh_site_accessibility(conn, settings, site_ids=ids,
                                                       stops_changed=False))
    segments = conn.execute(GRID_NETWORK_SQL, grid).rowcount
    conn.execute("ANALYZE walk_path")
    topology = timed(f"build the routing topology ({segments:,} segments)",
                     lambda: rebuild_topology(conn))
    areas = timed("transit-quality areas along the network (stops reaching the kommune)",
                  lambda: refresh_quality_areas(conn, settings))
    drawn = conn.execute("SELECT method, count(*) FROM transit_quality_area "
                         "GROUP BY 1 ORDER BY 1").fetchall()
    print("  transit-quality areas (class rows per method):",
          ", ".join(f"{m}: {n}" for m, n in drawn))
    with_network = timed(f"classify {len(ids):,} kommune sites along the network (pgRouting)",
                         lambda: refresh_site_accessibility(conn, settings, site_ids=ids,
                                                            stops_changed=False))
    methods = conn.execute(
        "SELECT distance_method, count(*), count(transit_class) FROM site_accessibility "
        "WHERE site_id = ANY(%s) GROUP BY 1 ORDER BY 1", (ids,)).fetchall()
    print("  distance methods (sites, with a transit class):",
          ", ".join(f"{m}: {n} ({t})" for m, n, t in methods))
    everything = timed(f"classify all {SITES + len(ids):,} sites with the network loaded",
                       lambda: refresh_site_accessibility(conn, settings, stops_changed=False))
    match = timed(f"match one profile against {SITES + len(ids):,} sites (top 20)",
                  lambda: match_sites(conn, profile, settings, preferred_centre="Senter 7"),
                  repeat=7)
    print(f"ratio network / no network, kommune classification: {with_network / without:.2f}×; "
          f"network load refresh (topology + areas + all sites): "
          f"{topology + areas + everything:.1f} s; "
          f"matching {match * 1000:.1f} ms ({'well under' if match < 0.25 else 'NOT under'} "
          "one second)")


def main() -> None:
    cluster = LocalCluster(PROJECT_ROOT / "var" / "pg")
    cluster.up()
    url = cluster.url("nk_bench_abc")
    gisdb.drop_database(url)
    gisdb.ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, SRID)
    engine.dispose()
    settings = AbcSettings(transit=TransitSettings(rail_hub_min_departures_per_hour=12))
    print(f"ABC benchmark{' (--quick)' if QUICK else ''}: {STOPS:,} stops, {SITES:,} sites, "
          f"{CENTRES:,} centres, {JUNCTIONS:,} junctions (PostGIS, this machine)")
    try:
        with psycopg.connect(gisdb.libpq_dsn(url), autocommit=True) as conn:
            # As in the refresh and the matcher: JIT compiles for seconds and saves nothing here.
            conn.execute("SET jit = off")
            timed("generate the data set",
                  lambda: [conn.execute(s, GENERATE_PARAMETERS if "%(" in s else None)
                           for s in GENERATE])
            stops = timed(f"stop categories ({STOPS:,} stops)",
                          lambda: refresh_stop_categories(conn, settings))
            areas = timed("transit-quality areas within reach of one kommune",
                          lambda: refresh_quality_areas(conn, settings))
            if "--national-areas" in sys.argv:
                conn.execute("DELETE FROM kommune")
                timed(f"transit-quality areas for all {STOPS:,} stops",
                      lambda: refresh_quality_areas(conn, settings))
            classify = timed(f"classify {SITES:,} sites (transit, road, centre, ABC)",
                             lambda: refresh_site_accessibility(conn, settings,
                                                                stops_changed=False))
            counts = conn.execute("SELECT abc_class, count(*) FROM site_accessibility "
                                  "GROUP BY 1 ORDER BY 1").fetchall()
            print("  ABC classes:", ", ".join(f"{c or 'none'}: {n}" for c, n in counts))
            ours = timed("transit class only, PostGIS (the step inside classify)",
                         lambda: conn.execute(TRANSIT_ONLY, class_parameters(settings)))
            reference = timed("reference: transit class only, shapely STRtree (Python)",
                              lambda: shapely_transit_classes(conn, settings))
            stored = [r[0] or "Z" for r in conn.execute(
                "SELECT transit_class FROM site_accessibility ORDER BY site_id").fetchall()]
            same = bool((shapely_transit_classes(conn, settings) == np.array(stored)).all())
            print(f"  reference agrees with PostGIS on every site's transit class: {same}")
            profile = mobility_profile(parse_business({
                "sector": "kontor", "employees": 120, "floor_area_m2": 3000,
                "visitors_per_day": 40}), settings.profile)
            outcome = match_sites(conn, profile, settings, preferred_centre="Senter 7")
            match = timed(f"match one profile against {SITES:,} sites (top 20)",
                          lambda: match_sites(conn, profile, settings,
                                              preferred_centre="Senter 7"), repeat=7)
            print(f"  {len(outcome.results)} results; {outcome.excluded}")
            print(f"ratio reference / PostGIS, transit class only: {reference / ours:.2f}× "
                  f"(above 1: PostGIS is faster)")
            print(f"matching: {match * 1000:.1f} ms ({'well under' if match < 0.25 else 'NOT under'}"
                  f" one second); a full GTFS refresh: {stops + areas + classify:.1f} s")
            network_run(conn, settings, profile)
    finally:
        gisdb.drop_database(url)


if __name__ == "__main__":
    main()
