"""Rezoned cultivated land per plan, plan area and purpose category, and the plans in progress."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from gis.jordvern.areas import Areas, daa


@dataclass(frozen=True)
class PlanFigure:
    """One plan's cultivated land in non-agricultural purposes."""

    plan_id: int
    nasjonal_arealplan_id: str
    plannavn: str | None
    status: str
    year: int | None
    counted: bool
    gross_m2: float
    rezoned: Areas

    @property
    def rezoned_daa(self) -> float:
        return self.rezoned.total_daa

    @property
    def gross_daa(self) -> float:
        return daa(self.gross_m2)


def plan_figures(conn: psycopg.Connection, *, status: str | None = None,
                 regions: Sequence[str] | None = None) -> list[PlanFigure]:
    """Every plan's figure (of the kommuner in `regions`, when given), adopted first by year,
    then proposals."""
    rows = conn.execute(sql.SQL("""
        SELECT plan_id, nasjonal_arealplan_id, plannavn, status, year, counted, gross_m2,
               fulldyrka_m2, overflatedyrka_m2, innmarksbeite_m2
        FROM jordvern_plan WHERE (%(status)s::text IS NULL OR status = %(status)s::text)
          AND {in_regions}
        ORDER BY status = 'forslag', year NULLS LAST, plannavn, plan_id""").format(in_regions=IN_REGIONS),
                        {"status": status, "regions": regions_param(regions)}).fetchall()
    return [PlanFigure(r[0], r[1], r[2], r[3], r[4], r[5], r[6], Areas(r[7], r[8], r[9]))
            for r in rows]


# Constant SQL: the plan's kommune among the bound kommunenummer (NULL: every kommune).
IN_REGIONS = sql.SQL("(%(regions)s::text[] IS NULL OR plan_id IN "
                     "(SELECT id FROM plan WHERE kommunenummer = ANY(%(regions)s::text[])))")


def regions_param(regions: Sequence[str] | None) -> list[str] | None:
    return list(regions) if regions is not None else None


@dataclass(frozen=True)
class AreaFigure:
    """Cultivated land rezoned by one plan area (after overlaps and earlier plans)."""

    plan_id: int
    plan_area_id: int
    category: str
    code: str
    rezoned: Areas


def area_figures(conn: psycopg.Connection, plan_id: int | None = None) -> list[AreaFigure]:
    """Per plan area, largest first."""
    rows = conn.execute("""
        SELECT plan_id, plan_area_id, category, code,
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 21), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 22), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 23), 0)
        FROM jordvern_piece WHERE %(plan)s::integer IS NULL OR plan_id = %(plan)s::integer
        GROUP BY plan_id, plan_area_id, category, code
        ORDER BY sum(area_m2) DESC, plan_area_id""", {"plan": plan_id}).fetchall()
    return [AreaFigure(r[0], r[1], r[2], r[3], Areas(r[4], r[5], r[6])) for r in rows]


def category_figures(conn: psycopg.Connection, *, year: int | None = None,
                     status: str = "vedtatt") -> dict[str, Areas]:
    """Per purpose category (counted regulation plans), optionally for one adoption year."""
    rows = conn.execute("""
        SELECT category,
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 21), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 22), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 23), 0)
        FROM jordvern_piece
        WHERE counted AND status = %(status)s
          AND (%(year)s::integer IS NULL OR year = %(year)s::integer)
        GROUP BY category ORDER BY sum(area_m2) DESC""",
                        {"status": status, "year": year}).fetchall()
    return {r[0]: Areas(r[1], r[2], r[3]) for r in rows}


@dataclass(frozen=True)
class Pipeline:
    """Plans in progress: what the year's total would be if they were all adopted this year."""

    year: int
    target_daa: float
    adopted_daa: float
    plans: list[PlanFigure] = field(default_factory=list)

    @property
    def proposed_daa(self) -> float:
        return daa(sum(plan.rezoned.total_m2 for plan in self.plans if plan.counted))

    @property
    def total_if_adopted_daa(self) -> float:
        return round(self.adopted_daa + self.proposed_daa, 1)


def pipeline(conn: psycopg.Connection, *, year: int, target_daa: float,
             regions: Sequence[str] | None = None) -> Pipeline:
    """Adopted so far in `year` plus every plan in progress (of the kommuner in `regions`)."""
    row = conn.execute(sql.SQL("""
        SELECT coalesce(sum(area_m2), 0) FROM jordvern_piece
        WHERE counted AND status = 'vedtatt' AND year = %(year)s
          AND {in_regions}""").format(in_regions=IN_REGIONS),
                       {"year": year, "regions": regions_param(regions)}).fetchone()
    adopted = daa(float(row[0])) if row else 0.0
    return Pipeline(year, target_daa, adopted,
                    plan_figures(conn, status="forslag", regions=regions))
