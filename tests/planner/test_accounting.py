"""The kommuneplan's business reserve, on hand-made plans with hand-computed areas."""

from __future__ import annotations

import psycopg
import pytest

from gis.db import libpq_dsn
from gis.planner import accounting


def _plan(conn: psycopg.Connection, plan_id: str, plantype: int, bounds: tuple[int, ...]) -> int:
    row = conn.execute(
        "INSERT INTO plan (nasjonal_arealplan_id, kommunenummer, planidentifikasjon, plantype, "
        "planstatus, geom) VALUES (%s, '3203', %s, %s, 3, "
        "ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 25832))) RETURNING id",
        (plan_id, plan_id, plantype, *bounds)).fetchone()
    assert row
    return int(row[0])


def test_kpa_reserve_less_regulated_and_built_land(db_url: str) -> None:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        kpa = _plan(conn, "3203-KPA", 20, (0, 0, 200, 100))
        # 200 × 100 m of business land in the kommuneplan, and 100 × 100 m of housing.
        conn.execute("INSERT INTO plan_area (plan_id, code, code_list, category, geom) VALUES "
                     "(%s, '1300', 'kpa2008', 'naering', ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 25832))), "
                     "(%s, '1110', 'kpa2008', 'bolig', ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 25832)))",
                     (kpa, 0, 0, 200, 100, kpa, 200, 0, 300, 100))
        # A detail plan regulates the western 50 m; a 10 × 10 m building stands further east.
        _plan(conn, "3203-RP", 35, (0, 0, 50, 100))
        conn.execute("INSERT INTO building_footprint (id, geom) VALUES "
                     "(1, ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 25832)))",
                     (100, 0, 110, 10))
        # The register holds an available site of 20 × 100 m inside the reserve.
        conn.execute("INSERT INTO site (site_key, name, area_m2, status, geom) VALUES "
                     "('R-1', 'Registrert', 2000, 'ledig', "
                     "ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 25832)))", (150, 0, 170, 100))
        rows = accounting.kpa_reserve(conn)
    assert len(rows) == 1 and rows[0].category == "naering" and rows[0].areas == 1
    assert rows[0].reserve_m2 == pytest.approx(200 * 100 - 50 * 100 - 10 * 10)
    assert rows[0].in_register_m2 == pytest.approx(20 * 100)
