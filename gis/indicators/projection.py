"""The plan's straight line to its target year beside the actual series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

from gis.indicators.places import kommune_workplaces
from gis.indicators.series import series
from gis.indicators.settings import IndicatorSettings


@dataclass(frozen=True)
class ProjectionYear:
    """The projected and the actual figures of one year."""

    year: int
    projected_workplaces: float
    actual_workplaces: float | None
    population_low: float | None
    population_high: float | None
    actual_population: float | None
    fictional: bool


def projection(conn: psycopg.Connection, settings: IndicatorSettings,
               regions: Sequence[str]) -> list[ProjectionYear]:
    """Workplaces on the plan's straight line to the target year, population as a band from
    the base year's population, beside the actual series."""
    p = settings.projection
    if p is None:
        return []
    actual = kommune_workplaces(conn, regions)
    population = series(conn, "befolkning", regions)
    base_population = population.get(p.base_year)
    span = max(p.target_year - p.base_year, 1)
    first = min([p.base_year, *actual]) if actual else p.base_year
    out = []
    for year in range(first, p.target_year + 1):
        step = year - p.base_year
        low = high = None
        if base_population is not None and step >= 0:
            low = base_population.value + p.population_growth_low * step / span
            high = base_population.value + p.population_growth_high * step / span
        fictional = bool((year in actual and actual[year].fictional)
                         or (year in population and population[year].fictional))
        out.append(ProjectionYear(
            year, p.base_workplaces + p.workplaces_per_year * step,
            actual[year].value if year in actual else None, low, high,
            population[year].value if year in population else None, fictional))
    return out
