"""The planner dashboard with 10,000 sites: the whole signed-in request against its bare SQL.

Generates 10,000 sites (with versions in the history) in a database of its own, signs in a
planner, and times `GET /planner/` through the app. The reference is the dashboard's own
queries (`webmap.planner.views_dashboard._overview`) run straight on a psycopg connection in the
same run, so the ratio shows what the request adds (rendering, session, Flask). Target: the
request under 1 s. Run with `.venv/bin/python bench/planner_dashboard.py`.
"""

from __future__ import annotations

import statistics
import time

import psycopg
from sqlalchemy import create_engine

from gis import migrate
from gis.cluster import LocalCluster
from gis.config import PROJECT_ROOT, load_settings
from gis.db import drop_database, ensure_database, libpq_dsn

SITES = 10_000
ROUNDS = 5
PASSWORD = "lyng-fjord-tavle-mose-7Qx"


def _fill(url: str) -> None:
    with psycopg.connect(libpq_dsn(url)) as conn:
        conn.execute(
            "INSERT INTO site (site_key, name, area_m2, status, geom) SELECT 'B-' || n, "
            "'Bench ' || n, 2500, (ARRAY['ledig', 'reservert', 'under_utbygging', 'utbygd'])"
            "[1 + n %% 4], ST_Multi(ST_MakeEnvelope(580000 + (n %% 100) * 60, "
            "6633000 + (n / 100) * 60, 580050 + (n %% 100) * 60, 6633050 + (n / 100) * 60, 25832)) "
            "FROM generate_series(1, %s) n", (SITES,))
        conn.execute("INSERT INTO unmet_demand (signature, area_min_m2, searches) "
                     "SELECT 's' || n, n * 1000, n FROM generate_series(1, 200) n")
        conn.execute("ANALYZE")


def _sql_reference(app: object) -> float:
    from flask import Flask

    from webmap.planner.views_dashboard import _overview

    assert isinstance(app, Flask)
    with app.test_request_context("/planner/"):
        start = time.perf_counter()
        _overview()
        return time.perf_counter() - start


def main() -> None:
    """Scratch database, 10,000 sites, time the request and the bare queries, print the ratio."""
    from gis.accounts.users import add_account
    from webmap import create_app

    cluster = LocalCluster(PROJECT_ROOT / "var" / "pg")
    cluster.up()
    url = cluster.url("nk_bench_dashboard")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, 25832)
    engine.dispose()
    try:
        _fill(url)
        with psycopg.connect(libpq_dsn(url)) as conn:
            add_account(conn, "bench", PASSWORD, role="planner")
        app = create_app(load_settings(database_url=url, env="test", secret_key="bench-secret"))
        app.config["WTF_CSRF_ENABLED"] = False
        client = app.test_client()
        signed_in = client.post("/planner/logg-inn",
                                data={"username": "bench", "password": PASSWORD, "code": ""})
        assert signed_in.status_code == 302, signed_in.status_code
        requests, queries = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            response = client.get("/planner/")
            requests.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
            queries.append(_sql_reference(app))
        request_s, query_s = statistics.median(requests), statistics.median(queries)
        print(f"planner dashboard, {SITES:,} sites, median of {ROUNDS}:")
        print(f"  GET /planner/ (signed in):        {request_s * 1000:.0f} ms "
              f"({'under' if request_s < 1 else 'OVER'} the 1 s target)")
        print(f"  its queries alone (reference):   {query_s * 1000:.0f} ms")
        print(f"  ratio (request / queries): {request_s / query_s:.2f}×")
    finally:
        drop_database(url)


if __name__ == "__main__":
    main()
