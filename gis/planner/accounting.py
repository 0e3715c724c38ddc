"""Arealregnskap: business land in the register by status, zoning, ABC class and tettsted,
uptake and additions per year from the history, years of reserve, and the kommuneplan's reserve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gis.sqlfile import sql_file

AVAILABLE = ("ledig", "reservert")
TAKEN = ("under_utbygging", "utbygd")


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a label, a count and square metres."""

    label: str
    count: int
    area_m2: float


def _rows(conn: psycopg.Connection, query: str, params: tuple[Any, ...] = ()) -> list[Row]:
    return [Row(str(r[0]), int(r[1]), float(r[2] or 0)) for r in conn.execute(query, params)]


def by_status(conn: psycopg.Connection) -> list[Row]:
    """Every status, in workflow order."""
    return _rows(
        conn,
        "SELECT st, count(s.id), coalesce(sum(s.area_m2), 0) FROM unnest(ARRAY['ledig', "
        "'reservert', 'under_utbygging', 'utbygd', 'trukket_tilbake']) WITH ORDINALITY "
        "AS o(st, n) LEFT JOIN site s ON s.status = o.st AND s.archived_at IS NULL "
        "GROUP BY st, n ORDER BY n",
    )


def by_zoning(conn: psycopg.Connection) -> list[Row]:
    """Available land by zoning code."""
    return _rows(
        conn,
        "SELECT coalesce(s.zoning_code, '–'), count(*), sum(s.area_m2) FROM site s "
        "WHERE s.archived_at IS NULL AND s.status IN ('ledig', 'reservert') "
        "GROUP BY 1 ORDER BY 3 DESC",
    )


def by_abc(conn: psycopg.Connection) -> list[Row]:
    """Available land by ABC class (empty until the accessibility analysis has run)."""
    return _rows(
        conn,
        "SELECT coalesce(a.abc_class, '–'), count(*), sum(s.area_m2) "
        "FROM site s LEFT JOIN site_accessibility a ON a.site_id = s.id "
        "WHERE s.archived_at IS NULL AND s.status IN ('ledig', 'reservert') "
        "AND EXISTS (SELECT 1 FROM site_accessibility) GROUP BY 1 ORDER BY 1",
    )


def by_tettsted(conn: psycopg.Connection) -> list[Row]:
    """Available land by tettsted (the register's value, else the tettsted the site lies in)."""
    return _rows(
        conn,
        "SELECT coalesce(s.tettsted, (SELECT t.name FROM tettsted t WHERE "
        "ST_Intersects(t.geom, ST_PointOnSurface(s.geom)) LIMIT 1), '–'), count(*), "
        "sum(s.area_m2) FROM site s WHERE s.archived_at IS NULL "
        "AND s.status IN ('ledig', 'reservert') GROUP BY 1 ORDER BY 3 DESC",
    )


# Land is "added" when a site becomes available: a new site, or one coming back to ledig or
# reservert. Not added: the pieces of splits and merges (land moving between sites), and the
# register's first filling — the sites of the first load that created any (and those the
# planner migration found) were there before the register, not added the year they were typed in.
_PER_YEAR = """
WITH first_load AS (
    SELECT min((after->>'load_id')::bigint) AS id FROM site_version
    WHERE before IS NULL AND after->>'load_id' IS NOT NULL
), v AS (
    SELECT extract(year FROM changed_at)::int AS year, before, after,
           before IS NULL AND operation NOT LIKE 'delt fra%%'
                          AND operation NOT LIKE 'slått sammen%%'
                          AND changed_by <> 'migrering'
                          AND (after->>'load_id')::bigint IS DISTINCT FROM (SELECT id FROM first_load)
               AS new_site
    FROM site_version
), w AS (
    SELECT year, after,
           before->>'status' IN ('ledig', 'reservert')
               AND after->>'status' IN ('under_utbygging', 'utbygd') AS taken,
           after->>'status' IN ('ledig', 'reservert') AND (
               new_site OR (before IS NOT NULL
                            AND coalesce(before->>'status', '') NOT IN ('ledig', 'reservert')
                            AND after->>'archived_at' IS NULL)) AS added
    FROM v
)
SELECT year,
       coalesce(sum((after->>'area_m2')::numeric) FILTER (WHERE taken), 0) AS taken_m2,
       count(*) FILTER (WHERE taken) AS taken_count,
       coalesce(sum((after->>'area_m2')::numeric) FILTER (WHERE added), 0) AS added_m2,
       count(*) FILTER (WHERE added) AS added_count
FROM w GROUP BY year ORDER BY year
"""


@dataclass(frozen=True)
class YearRow:
    """Land taken up (started or built) and added to the available stock in one year."""

    year: int
    taken_m2: float
    taken_count: int
    added_m2: float
    added_count: int


def per_year(conn: psycopg.Connection) -> list[YearRow]:
    """Uptake and additions per calendar year, from the site history."""
    return [
        YearRow(int(r[0]), float(r[1]), int(r[2]), float(r[3]), int(r[4])) for r in conn.execute(_PER_YEAR)
    ]


@dataclass(frozen=True)
class Reserve:
    """Available land and how long it lasts at the recent rate of uptake."""

    available_m2: float
    available_count: int
    uptake_m2_per_year: float
    window_years: int
    years_left: float | None


def reserve(
    conn: psycopg.Connection, years: list[YearRow], window: int, today: date | None = None
) -> Reserve:
    """Years of reserve = available m² / mean uptake over the last `window` years."""
    this_year = (today or date.today()).year
    row = conn.execute(
        "SELECT count(*), coalesce(sum(s.area_m2), 0) FROM site s "
        "WHERE s.archived_at IS NULL AND s.status IN ('ledig', 'reservert')"
    ).fetchone()
    assert row is not None
    recent = [y.taken_m2 for y in years if this_year - window < y.year <= this_year]
    rate = sum(recent) / window
    available = float(row[1])
    return Reserve(available, int(row[0]), rate, window, available / rate if rate > 0 else None)


@dataclass(frozen=True)
class KpaRow:
    """The kommuneplan's business reserve of one category."""

    category: str
    areas: int
    reserve_m2: float
    in_register_m2: float


def kpa_reserve(conn: psycopg.Connection) -> list[KpaRow]:
    """Current KPA business areas not yet regulated or built, beside the register."""
    query = sql_file("gis.planner", "kpa_reserve.sql")
    return [KpaRow(str(r[0]), int(r[1]), float(r[2]), float(r[3])) for r in conn.execute(query)]


def stale_entries(conn: psycopg.Connection, months: int) -> list[dict[str, Any]]:
    """Sites and premises not verified for `months` months (or never), oldest first."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT 'site' AS kind, id, name AS label, last_verified FROM site "
            "WHERE archived_at IS NULL AND (last_verified IS NULL OR "
            "last_verified < current_date - make_interval(months => %s)) "
            "UNION ALL SELECT 'premises', id, address, last_verified FROM premises "
            "WHERE archived_at IS NULL AND last_verified < current_date - make_interval(months => %s) "
            "ORDER BY last_verified NULLS FIRST, label",
            (months, months),
        ).fetchall()


@dataclass(frozen=True)
class DemandRow:
    """Searches that found nothing, grouped by what was asked for."""

    category: str
    tettsted: str
    size: str
    searches: int
    latest: Any


def unmet_demand(conn: psycopg.Connection, limit: int = 20) -> list[DemandRow]:
    """What size, use and place people asked for and did not find, most asked first."""
    rows = conn.execute(
        "SELECT coalesce(category, '–'), coalesce(tettsted, '–'), "
        "CASE WHEN area_min_m2 IS NULL AND area_max_m2 IS NULL THEN '–' "
        "ELSE coalesce(round(area_min_m2)::text, '0') || '–' || coalesce(round(area_max_m2)::text, '') "
        "END, sum(searches), max(day) FROM unmet_demand GROUP BY 1, 2, 3 "
        "ORDER BY 4 DESC, 5 DESC LIMIT %s",
        (limit,),
    ).fetchall()
    return [DemandRow(*row) for row in rows]
