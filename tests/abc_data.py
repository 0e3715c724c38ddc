"""Small constructed ABC data sets in EPSG:25832, inserted straight into a test database."""

from __future__ import annotations

import psycopg

SRID = 25832
# A point in Asker, so that transforms to lon/lat stay sensible.
X0, Y0 = 590_000.0, 6_630_000.0


def add_stop(conn: psycopg.Connection, name: str, mode: str, dx: float, dy: float = 0.0, *,
             headway: float | None = None, per_hour: float = 0.0,
             mean_headway: float | None = None) -> None:
    """A stop `dx`, `dy` metres from the origin; `headway` (per direction, as ARE counts it)
    stands for 120 / headway departures an hour in both directions."""
    if headway is not None:
        per_hour = 120.0 / headway
    if mean_headway is None and per_hour:
        mean_headway = 120.0 / per_hour    # as the GTFS loader computes it: per direction
    headway = mean_headway
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


def build_ranking_case(conn: psycopg.Connection) -> None:
    """A hub station at the origin (category I), a centre 300 m north, an E18 junction 4 km
    east, and sites at hand-picked distances (see tests/gis/test_matching.py for the sums)."""
    add_stop(conn, "Sentral stasjon", "rail", 0, headway=8)
    add_centre(conn, "Sentrum", 0, 300)
    add_junction(conn, "E18 Kryss", 4000, 0)
    add_square_site(conn, "K-A", 200)                        # A site, road 3790 m
    add_square_site(conn, "K-A0", 200)                       # the same place: a tie with K-A
    add_square_site(conn, "K-B", 600)                        # B site, road 3390 m
    add_square_site(conn, "K-C", 1500)                       # C site, road 2490 m
    add_square_site(conn, "K-none", 9000)                    # no class, road 4990 m
    add_square_site(conn, "K-small", 250, area_m2=500)       # too small for 3,000 m²
    add_square_site(conn, "K-lager", 300, zoning="1350")     # warehouse zoning
    add_square_site(conn, "K-reserved", 210, status="reservert")
    add_square_site(conn, "K-hidden", 220, published=False)
    add_square_site(conn, "H-far", 1400, zoning="1150", readiness="regulert")  # retail, C site


KOMMUNE_TOML = """
kommunenummer = "3203"
name = "Testkommune"
storage_srid = 25832
[map]
centre_lat = 59.83
centre_lon = 10.43
zoom = 12
[jordvern]
target_daa_per_year = 15.0
[abc.transit]
rail_hubs = ["Sentral stasjon"]
detour_factor = 1.0
"""
