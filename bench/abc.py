"""Benchmark: classify 10,000 sites against a national-size stop set and match one profile.

Generates (deterministically, in PostGIS) 60,000 stops, 10,000 sites, 1,500 centres and 2,000
main-road junctions around 600 towns spread over a Norway-sized box, then times:

* stop categories and the transit-quality areas of one kommune (what a GTFS load triggers;
  `--national-areas` also times the areas for all 60,000 stops: minutes),
* the ABC classification of every site (what a site, centre or junction load triggers),
* matching one profile against the 10,000 sites (the API call; median of 7 runs),

and, as a reference measured in the same run, the transit-class step done the way a Python
user would without PostGIS: shapely 2's STRtree over the same stops and sites (numpy
vectorised), to show the ratio. Run with `make bench` or `.venv/bin/python bench/abc.py`.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

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
from gis.abc.settings import AbcSettings, TransitSettings
from gis.cluster import LocalCluster
from gis.config import PROJECT_ROOT
from gis.matching import match_sites

SRID = 25832
STOPS, SITES, TOWNS, CENTRES, JUNCTIONS = 60_000, 10_000, 600, 1_500, 2_000

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
    print(f"ABC benchmark: {STOPS:,} stops, {SITES:,} sites, {CENTRES:,} centres, "
          f"{JUNCTIONS:,} junctions (PostGIS, this machine)")
    try:
        with psycopg.connect(gisdb.libpq_dsn(url), autocommit=True) as conn:
            # As in the refresh and the matcher: JIT compiles for seconds and saves nothing here.
            conn.execute("SET jit = off")
            timed("generate the data set",
                  lambda: [conn.execute(s, GENERATE_PARAMETERS if "%(" in s else None)
                           for s in GENERATE])
            stops = timed("stop categories (60,000 stops)",
                          lambda: refresh_stop_categories(conn, settings))
            areas = timed("transit-quality areas within reach of one kommune",
                          lambda: refresh_quality_areas(conn, settings))
            if "--national-areas" in sys.argv:
                conn.execute("DELETE FROM kommune")
                timed("transit-quality areas for all 60,000 stops",
                      lambda: refresh_quality_areas(conn, settings))
            classify = timed("classify 10,000 sites (transit, road, centre, ABC)",
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
            match = timed("match one profile against 10,000 sites (top 20)",
                          lambda: match_sites(conn, profile, settings,
                                              preferred_centre="Senter 7"), repeat=7)
            print(f"  {len(outcome.results)} results; {outcome.excluded}")
            print(f"ratio reference / PostGIS, transit class only: {reference / ours:.2f}× "
                  f"(above 1: PostGIS is faster)")
            print(f"matching: {match * 1000:.1f} ms ({'well under' if match < 0.25 else 'NOT under'}"
                  f" one second); a full GTFS refresh: {stops + areas + classify:.1f} s")
    finally:
        gisdb.drop_database(url)


if __name__ == "__main__":
    main()
