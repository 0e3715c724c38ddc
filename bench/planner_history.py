"""What the site history costs: updates of `site` with the history trigger against the same
updates with the trigger switched off (the reference, measured in the same run).

Run with `make bench` (or `.venv/bin/python bench/planner_history.py`). Prints the ratio.
"""

from __future__ import annotations

import time

import psycopg
from sqlalchemy import create_engine

from gis import migrate
from gis.cluster import LocalCluster
from gis.config import PROJECT_ROOT
from gis.db import drop_database, ensure_database, libpq_dsn

SITES = 2000
ROUNDS = 3


def _timed_updates(conn: psycopg.Connection) -> float:
    start = time.perf_counter()
    for round_number in range(ROUNDS):
        conn.execute("UPDATE site SET planner_note = %s, geom = ST_Translate(geom, 1, 0)",
                     (f"round {round_number}",))
        conn.commit()
    return time.perf_counter() - start


def main() -> None:
    """Set up a scratch database, time both ways, print the ratio."""
    cluster = LocalCluster(PROJECT_ROOT / "var" / "pg")
    cluster.up()
    url = cluster.url("nk_bench_planner")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, 25832)
    engine.dispose()
    try:
        with psycopg.connect(libpq_dsn(url)) as conn:
            conn.execute(
                "INSERT INTO site (site_key, name, area_m2, geom) SELECT 'B-' || n, 'Bench ' || n, "
                "2500, ST_Multi(ST_MakeEnvelope(580000 + n * 60, 6633000, 580050 + n * 60, "
                "6633050, 25832)) FROM generate_series(1, %s) n", (SITES,))
            conn.commit()
            conn.execute("ALTER TABLE site DISABLE TRIGGER USER")
            conn.commit()
            without = _timed_updates(conn)
            conn.execute("ALTER TABLE site ENABLE TRIGGER USER")
            conn.commit()
            with_history = _timed_updates(conn)
            versions = conn.execute("SELECT count(*) FROM site_version").fetchone()
        updates = SITES * ROUNDS
        print(f"site updates: {updates} rows; history rows written: {versions[0] if versions else 0}")
        print(f"  without trigger (reference): {without:.2f} s ({updates / without:,.0f} rows/s)")
        print(f"  with history trigger:        {with_history:.2f} s ({updates / with_history:,.0f} rows/s)")
        print(f"  ratio (with / without): {with_history / without:.2f}×")
    finally:
        drop_database(url)


if __name__ == "__main__":
    main()
