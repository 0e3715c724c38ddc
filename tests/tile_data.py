"""Synthetic rows for the vector-tile layers around Asker sentrum (plans, buildings, farmland)."""

from __future__ import annotations

import math

import psycopg

from gis.db import libpq_dsn

CENTRE = (10.437, 59.834)  # lon, lat of Asker sentrum
HOSTILE = "<img src=x onerror=alert(1)>"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The z/x/y tile that holds a lon/lat point."""
    n = 1 << z
    x = int((lon + 180.0) / 360.0 * n)
    lat_rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(lat_rad)) / math.pi) / 2.0 * n)
    return z, x, y


def add_tile_data(url: str, srid: int = 25832) -> None:
    """A current KPA with a næring area (nåværende) and a framtidig one, a rejected proposal,
    400 building footprints, and farmland plus forest (which the farmland layer leaves out)."""
    with psycopg.connect(libpq_dsn(url)) as conn:
        row = conn.execute("SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID("
                           "ST_Point(%s, %s), 4326), %s) AS p", (*CENTRE, srid)).fetchone()
        assert row is not None
        base = {"cx": row[0], "cy": row[1], "srid": srid}
        conn.execute(
            "INSERT INTO plan (id, nasjonal_arealplan_id, kommunenummer, planidentifikasjon, "
            "plannavn, plantype, planstatus) VALUES "
            "(900001, '3203_T1', '3203', 'T1', 'Testplan', 20, 3), "
            "(900002, '3203_T2', '3203', 'T2', 'Forslag', 35, 2)")
        areas = [(900001, "1300", "kpa2008", "naering", 1, HOSTILE, 0, 0, 400),
                 (900001, "1300", "kpa2008", "naering", 2, "N2", 1200, 0, 300),
                 (900002, "1110", "rp2008", "bolig", None, "FORSLAG", -1200, 0, 300)]
        for plan_id, code, code_list, category, status, felt, dx, dy, r in areas:
            conn.execute(
                "INSERT INTO plan_area (plan_id, code, code_list, code_name, category, "
                "arealbruksstatus, feltnavn, geom) VALUES (%(plan)s, %(code)s, %(list)s, "
                "'Næringsbebyggelse', %(category)s, %(status)s, %(felt)s, "
                "ST_Multi(ST_MakeEnvelope(%(cx)s + %(dx)s - %(r)s, %(cy)s + %(dy)s - %(r)s, "
                "%(cx)s + %(dx)s + %(r)s, %(cy)s + %(dy)s + %(r)s, %(srid)s)))",
                {**base, "plan": plan_id, "code": code, "list": code_list, "category": category,
                 "status": status, "felt": felt, "dx": dx, "dy": dy, "r": r})
        conn.execute(
            "INSERT INTO building_footprint (id, bygningsnummer, bygningstype, bygningsgruppe, "
            "geom) SELECT 900000000 + i, 'B' || i, CASE WHEN i %% 2 = 0 THEN '111' ELSE '311' END, "
            "CASE WHEN i %% 2 = 0 THEN 'bolig' ELSE 'kontor/forretning' END, "
            "ST_Multi(ST_MakeEnvelope(%(cx)s + (i %% 20) * 30 - 308, %(cy)s + (i / 20) * 30 - 308, "
            "%(cx)s + (i %% 20) * 30 - 292, %(cy)s + (i / 20) * 30 - 292, %(srid)s)) "
            "FROM generate_series(1, 400) AS i", base)
        for fid, code, name, dy in ((900000001, 21, "Fulldyrka jord", 900),
                                    (900000002, 30, "Skog", -900)):
            conn.execute("INSERT INTO land_cover (id, arealtype, arealtype_name, geom) VALUES "
                         "(%(id)s, %(code)s, %(name)s, "
                         "ST_Multi(ST_MakeEnvelope(%(cx)s + %(dx)s - %(r)s, %(cy)s + %(dy)s - %(r)s, "
                         "%(cx)s + %(dx)s + %(r)s, %(cy)s + %(dy)s + %(r)s, %(srid)s)))",
                         {**base, "id": fid, "code": code, "name": name, "dx": 0, "dy": dy,
                          "r": 250})
