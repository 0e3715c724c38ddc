"""Constructed plans, plan areas, land cover and statistics for the jordvern and indicator tests.

Coordinates are metres in EPSG:25832 relative to an origin in Asker, so areas are easy to
compute by hand: a 100 m x 100 m square is 10.0 daa.
"""

from __future__ import annotations

import datetime as dt

import psycopg

X0, Y0 = 590000.0, 6620000.0


def rect(x1: float, y1: float, x2: float, y2: float,
         holes: tuple[tuple[float, float, float, float], ...] = ()) -> str:
    """A polygon WKT (with optional rectangular holes) relative to the origin."""

    def ring(a: float, b: float, c: float, d: float) -> str:
        pts = [(a, b), (c, b), (c, d), (a, d), (a, b)]
        return "(" + ", ".join(f"{X0 + x} {Y0 + y}" for x, y in pts) + ")"

    return "POLYGON(" + ", ".join([ring(x1, y1, x2, y2), *(ring(*h) for h in holes)]) + ")"


def add_plan(conn: psycopg.Connection, planid: str, *, planstatus: int = 3,
             vedtatt: dt.date | None = dt.date(2023, 5, 1), plantype: int = 35,
             name: str | None = None, version: int = 1, is_current: bool = True) -> int:
    """A plan row; returns its id."""
    row = conn.execute(
        "INSERT INTO plan (nasjonal_arealplan_id, kommunenummer, planidentifikasjon, plannavn, "
        "plantype, planstatus, vedtaksdato, version, is_current) "
        "VALUES (%s, '3203', %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (f"3203_{planid}", planid, name or f"Plan {planid}", plantype, planstatus, vedtatt,
         version, is_current)).fetchone()
    assert row
    return int(row[0])


def add_area(conn: psycopg.Connection, plan_id: int, wkt: str, *, code: str = "1300",
             code_list: str = "rp2008", category: str = "naering") -> int:
    """A plan area; returns its id."""
    row = conn.execute(
        "INSERT INTO plan_area (plan_id, code, code_list, category, geom) "
        "VALUES (%s, %s, %s, %s, ST_Multi(ST_GeomFromText(%s, 25832))) RETURNING id",
        (plan_id, code, code_list, category, wkt)).fetchone()
    assert row
    return int(row[0])


def add_cover(conn: psycopg.Connection, arealtype: int, wkt: str) -> int:
    """An AR5 polygon; returns its id."""
    row = conn.execute(
        "INSERT INTO land_cover (arealtype, geom) "
        "VALUES (%s, ST_Multi(ST_GeomFromText(%s, 25832))) RETURNING id",
        (arealtype, wkt)).fetchone()
    assert row
    return int(row[0])


def add_statistic(conn: psycopg.Connection, indicator: str, region: str, year: int,
                  value: float | None, *, region_type: str = "kommune", kind: str = "result",
                  source: str = "SSB (testdata)", table_id: str = "test",
                  fictional: bool = True, unit: str = "personer") -> None:
    """One statistic row."""
    conn.execute(
        "INSERT INTO statistic (source, table_id, indicator, region, region_type, year, value, "
        "unit, kind, fictional) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (source, table_id, indicator, region, region_type, year, value, unit, kind, fictional))
