"""Loaded statistics as yearly series, and the shares computed from two series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg


@dataclass(frozen=True)
class Observation:
    """One statistic value with where it came from."""

    year: int
    value: float
    source: str
    fictional: bool
    kind: str = "result"
    # The data's own date (the source's publication date), never the day it was loaded.
    updated: dt.date | None = None
    calculation: str | None = None
    # How to read an ambition: '<=', '>=', '>' or '<' (loaded with the statistics), or '='.
    comparator: str = "="


def observations(conn: psycopg.Connection, indicator: str, regions: Sequence[str], *,
                 region_type: str = "kommune", kind: str | None = None) -> list[Observation]:
    """Stored values, one per year, kind and source (the first listed region wins)."""
    rows = conn.execute("""
        SELECT DISTINCT ON (s.year, s.kind, s.source)
               s.year, s.value, s.source, s.fictional, s.kind,
               s.source_date, s.comparator
        FROM statistic s
        WHERE s.indicator = %s AND s.region = ANY(%s) AND s.region_type = %s
          AND s.value IS NOT NULL AND (%s::text IS NULL OR s.kind = %s::text)
        ORDER BY s.year, s.kind, s.source, array_position(%s, s.region), s.id DESC""",
                        (indicator, list(regions), region_type, kind, kind,
                         list(regions))).fetchall()
    return [Observation(int(r[0]), float(r[1]), str(r[2]), bool(r[3]), str(r[4]), r[5],
                        comparator=str(r[6])) for r in rows]


def series(conn: psycopg.Connection, indicator: str, regions: Sequence[str], *,
           region_type: str = "kommune") -> dict[int, Observation]:
    """Results by year; real figures win over fictional ones for the same year."""
    found: dict[int, Observation] = {}
    for obs in observations(conn, indicator, regions, region_type=region_type, kind="result"):
        if obs.year not in found or (found[obs.year].fictional and not obs.fictional):
            found[obs.year] = obs
    return found


def format_number(value: float, decimals: int = 0) -> str:
    """A number with thin-space thousands (readable in both languages)."""
    text = f"{value:,.{decimals}f}".replace(",", "\u202f")
    return text


def growth_share(workplaces: dict[int, Observation],
                 population: dict[int, Observation]) -> list[Observation]:
    """Workplace growth as % of population growth, for each year with both years' figures."""
    out = []
    for year in sorted(set(workplaces) & set(population)):
        if year - 1 not in workplaces or year - 1 not in population:
            continue
        dw = workplaces[year].value - workplaces[year - 1].value
        dp = population[year].value - population[year - 1].value
        if dp <= 0:
            continue  # a share of no (or negative) population growth has no meaning
        share = 100 * dw / dp
        w_now, w_before = workplaces[year].value, workplaces[year - 1].value
        p_now, p_before = population[year].value, population[year - 1].value
        calculation = (f"({format_number(w_now)} − {format_number(w_before)}) ÷ "
                       f"({format_number(p_now)} − {format_number(p_before)}) "
                       f"= {format_number(dw)} ÷ {format_number(dp)} = {share:.0f} %")
        fictional = any(s[y].fictional for s in (workplaces, population) for y in (year, year - 1))
        out.append(Observation(year, round(share, 1), joined_sources(workplaces[year], population[year]),
                               fictional, "result", latest_date(workplaces[year], population[year]),
                               calculation))
    return out


def ratio_series(numerator: dict[int, Observation], denominator: dict[int, Observation],
                 label: str = "") -> list[Observation]:
    """numerator ÷ denominator in %, per year with both (egendekning, share living and working)."""
    out = []
    for year in sorted(set(numerator) & set(denominator)):
        den = denominator[year].value
        if den <= 0:
            continue
        share = 100 * numerator[year].value / den
        calculation = f"{format_number(numerator[year].value)} ÷ {format_number(den)} = {share:.1f} %"
        out.append(Observation(year, round(share, 1),
                               joined_sources(numerator[year], denominator[year]),
                               numerator[year].fictional or denominator[year].fictional, "result",
                               latest_date(numerator[year], denominator[year]),
                               f"{label}{calculation}"))
    return out


def joined_sources(*items: Observation) -> str:
    return " / ".join(dict.fromkeys(item.source for item in items))


def latest_date(*items: Observation) -> dt.date | None:
    dates = [item.updated for item in items if item.updated]
    return max(dates) if dates else None
