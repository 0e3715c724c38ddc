"""Walking distances along the loaded road/path network (pgRouting), for the ABC analysis.

`rebuild_topology` turns the loaded centre lines (`walk_path`) into vertices (line ends and
points shared by lines) and edges;
`prepare_walks` measures, set-based, each target's walking distance to the stops within reach
into temporary tables that classify.sql reads (`pg_temp.walk_site`, `pg_temp.walk_distance`).
A target or stop farther than the snap tolerance from the network is not in them: classify.sql
then falls back to straight line × detour factor and says so.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from gis.sqlfile import sql_file as read_sql_file

# How walking distance was measured (stored in site_accessibility.distance_method).
NETWORK = "network"
STRAIGHT_LINE_DETOUR = "straight_line_detour"

_TEMP_TABLES = ("walk_distance", "walk_reach", "walk_stop", "walk_site")


def sql_file(name: str) -> str:
    """One of gis/abc/sql/*.sql."""
    return read_sql_file("gis.abc", f"sql/{name}")


def network_loaded(conn: psycopg.Connection) -> bool:
    """Whether a routable walking network is loaded."""
    row = conn.execute("SELECT EXISTS (SELECT 1 FROM walk_edge)").fetchone()
    return bool(row and row[0])


def rebuild_topology(conn: psycopg.Connection) -> tuple[int, int]:
    """Rebuild vertices and edges from `walk_path`; returns (vertices, edges).

    Runs in the caller's transaction (a load's), or in its own."""
    with conn.transaction():
        conn.execute("DROP TABLE IF EXISTS pg_temp.walk_point, pg_temp.walk_part, pg_temp.walk_end")
        conn.execute("DELETE FROM walk_edge")
        conn.execute("DELETE FROM walk_vertex")
        for statement in _statements(sql_file("walk_topology.sql")):
            conn.execute(statement)
        conn.execute("DROP TABLE pg_temp.walk_point, pg_temp.walk_part, pg_temp.walk_end")
        conn.execute("ANALYZE walk_vertex")
        conn.execute("ANALYZE walk_edge")
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM walk_vertex), (SELECT count(*) FROM walk_edge)").fetchone()
    assert counts is not None
    return int(counts[0]), int(counts[1])


def _statements(text: str) -> list[str]:
    """The ;-separated statements of a .sql file, its whole-line comments left out."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in code.split(";") if s.strip()]


def drop_walk_tables(conn: psycopg.Connection) -> None:
    """Drop the temporary tables of `prepare_walks` and `prepare_stop_reach`, if there."""
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(
        sql.SQL(", ").join(sql.Identifier("pg_temp", t) for t in _TEMP_TABLES)))


def _create_reach(conn: psycopg.Connection) -> None:
    conn.execute("CREATE TEMP TABLE walk_reach (start_vid bigint, node bigint, "
                 "agg_cost float8) ON COMMIT DROP")


def _fill_reach(conn: psycopg.Connection, params: dict[str, Any]) -> None:
    """Route from every snapped stop's entry vertices (pg_temp.walk_stop) into walk_reach."""
    conn.execute("CREATE INDEX ON pg_temp.walk_stop USING gist (geom)")
    conn.execute("ANALYZE pg_temp.walk_stop")
    stops = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_temp.walk_stop)").fetchone()
    if stops and stops[0]:
        conn.execute(sql_file("walk_reach.sql"), params)
        conn.execute("CREATE INDEX ON pg_temp.walk_reach (start_vid)")
        conn.execute("ANALYZE pg_temp.walk_reach")


def prepare_stop_reach(conn: psycopg.Connection, params: dict[str, Any]) -> None:
    """For drawing the transit-quality areas: the stops on the network within reach of the
    kommune (pg_temp.walk_stop) and every vertex within walking reach of each
    (pg_temp.walk_reach); both empty when no network is loaded. Needs the class parameters."""
    drop_walk_tables(conn)
    _create_reach(conn)
    if not network_loaded(conn):
        conn.execute("CREATE TEMP TABLE walk_stop (stop_pk int, geom geometry, reach_m float8, "
                     "edge_id bigint, source bigint, target bigint, cost float8, snap_m float8, "
                     "frac float8) ON COMMIT DROP")
        return
    _snap_stops(conn, "area_stops.sql", params)
    _fill_reach(conn, params)


def _snap_stops(conn: psycopg.Connection, near: str, params: dict[str, Any]) -> None:
    """pg_temp.walk_stop: where each stop the query in file `near` selects meets the network."""
    conn.execute(sql.SQL(sql_file("snap_stops.sql")).format(near=sql.SQL(sql_file(near))), params)


def prepare_walks(conn: psycopg.Connection, targets: sql.Composable,
                  params: dict[str, Any]) -> None:
    """Measure the targets' walking distances to nearby stops into temporary tables (empty when
    no network is loaded). Needs `reach_m` and `snap_m` in `params`."""
    drop_walk_tables(conn)
    _create_reach(conn)
    if not network_loaded(conn):
        conn.execute("CREATE TEMP TABLE walk_site (site_id int PRIMARY KEY, geom geometry) "
                     "ON COMMIT DROP")
        conn.execute("CREATE TEMP TABLE walk_distance (site_id int, stop_pk int, dist_m float8) "
                     "ON COMMIT DROP")
        return
    conn.execute(sql.SQL(sql_file("walk_snap.sql")).format(targets=targets), params)
    conn.execute("CREATE INDEX ON pg_temp.walk_site USING gist (geom)")
    conn.execute("CREATE INDEX ON pg_temp.walk_site (site_id)")
    conn.execute("ANALYZE pg_temp.walk_site")
    _snap_stops(conn, "walk_stops.sql", params)
    _fill_reach(conn, params)
    conn.execute(sql_file("walk_distance.sql"), params)
    conn.execute("CREATE INDEX ON pg_temp.walk_distance (site_id, stop_pk)")
    conn.execute("ANALYZE pg_temp.walk_distance")
