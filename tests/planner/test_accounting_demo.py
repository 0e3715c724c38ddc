"""The kommuneplan's business reserve on the demo data (read-only on the shared demo database)."""

from __future__ import annotations

import psycopg

from gis.db import libpq_dsn
from webmap.planner import accounting


def test_kpa_reserve_is_business_land_not_yet_regulated_or_built(demo_db_url: str) -> None:
    with psycopg.connect(libpq_dsn(demo_db_url)) as conn:
        rows = accounting.kpa_reserve(conn)
        total = conn.execute(
            "SELECT pa.category, sum(ST_Area(pa.geom)) FROM plan_area pa JOIN plan p ON p.id = pa.plan_id "
            "WHERE p.is_current AND p.plantype IN (20, 21, 22) "
            "AND pa.category IN ('naering', 'kombinert_naering') GROUP BY 1").fetchall()
        conn.rollback()
    kpa_total = {category: float(area) for category, area in total}
    assert kpa_total, "the demo kommuneplan has business areas"
    assert {row.category for row in rows} == set(kpa_total)
    for row in rows:
        # The reserve is what is left of the plan's business land, and the register part of it.
        assert 0 <= row.reserve_m2 <= kpa_total[row.category] + 1
        assert 0 <= row.in_register_m2 <= row.reserve_m2 + 1
