"""Values planners enter by hand (NHO ranks): no machine source exists for them."""

from __future__ import annotations

import datetime as dt

import psycopg

from gis.indicators.settings import Kind

MANUAL_INDICATORS = ("nho_rank", "nho_county_rank")


def set_manual_value(conn: psycopg.Connection, *, indicator: str, region: str, year: int,
                     value: float, kind: Kind, source: str, source_date: dt.date,
                     entered_by: str) -> None:
    """Store a value with no machine source (NHO ranks), replacing that year's earlier entry."""
    if indicator not in MANUAL_INDICATORS:
        raise ValueError(f"{indicator!r} is computed from loaded files; planners enter only "
                         f"{', '.join(MANUAL_INDICATORS)}")
    if not source.strip():
        raise ValueError("a source is required (e.g. 'NHO Kommune-NM 2024')")
    if value < 1 or value != int(value):
        raise ValueError(f"a rank is a whole number from 1, not {value:g}")
    conn.execute("""
        INSERT INTO statistic (source, table_id, indicator, region, region_type, year, value,
                               unit, kind, fictional, source_date, entered_by, updated_at)
        VALUES (%s, 'planner', %s, %s, 'kommune', %s, %s, 'plass', %s, false, %s, %s, now())
        ON CONFLICT ON CONSTRAINT statistic_unique DO UPDATE SET
            source = EXCLUDED.source, value = EXCLUDED.value, source_date = EXCLUDED.source_date,
            entered_by = EXCLUDED.entered_by, updated_at = now(), fictional = false""",
                 (source.strip(), indicator, region, year, value, kind, source_date, entered_by))
