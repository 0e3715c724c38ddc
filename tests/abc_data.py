"""Small constructed ABC data sets in EPSG:25832, inserted straight into a test database."""

from __future__ import annotations

import psycopg

SRID = 25832
# A point in Asker, so that transforms to lon/lat stay sensible.
X0, Y0 = 590_000.0, 6_630_000.0


def add_stop(conn: psycopg.Connection, name: str, mode: str, dx: float, dy: float = 0.0, *,
             headway: float | None = None, per_hour: float = 0.0) -> None:
    """A stop `dx`, `dy` metres from the origin."""
    conn.execute(
        "INSERT INTO transit_stop (stop_id, name, mode, departures_per_hour, mean_headway_min, geom) "
        "VALUES (%s, %s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), %s))",
        (f"NSR:StopPlace:{name}", name, mode, per_hour, headway, X0 + dx, Y0 + dy, SRID))


def add_square_site(conn: psycopg.Connection, key: str, west: float, *, south: float = -5.0,
                    size: float = 10.0, zoning: str | None = "1310", area_m2: float = 5000,
                    status: str = "ledig", readiness: str | None = "ledig_naa",
                    published: bool = True) -> int:
    """A square site whose west edge is `west` metres east of the origin (its nearest point
    to a stop at the origin is then exactly `west` metres away)."""
    row = conn.execute(
        "INSERT INTO site (site_key, name, area_m2, status, readiness, zoning_code, published, geom) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, %s))) "
        "RETURNING id",
        (key, f"Tomt {key}", area_m2, status, readiness, zoning, published, X0 + west, Y0 + south,
         X0 + west + size, Y0 + south + size, SRID)).fetchone()
    assert row is not None
    return int(row[0])


def add_centre(conn: psycopg.Connection, name: str, dx: float, dy: float = 0.0,
               level: str = "regionsenter") -> None:
    """A centre point."""
    conn.execute("INSERT INTO centre (name, level, geom) "
                 "VALUES (%s, %s, ST_SetSRID(ST_MakePoint(%s, %s), %s))",
                 (name, level, X0 + dx, Y0 + dy, SRID))


def add_junction(conn: psycopg.Connection, name: str, dx: float, dy: float = 0.0,
                 vegnummer: str = "E18") -> None:
    """A main-road junction."""
    conn.execute("INSERT INTO road_junction (name, vegnummer, geom) "
                 "VALUES (%s, %s, ST_SetSRID(ST_MakePoint(%s, %s), %s))",
                 (name, vegnummer, X0 + dx, Y0 + dy, SRID))
