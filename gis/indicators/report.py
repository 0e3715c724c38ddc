"""The dashboard's indicator set: each indicator's results and ambitions, and its goal status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import psycopg

from gis.indicators.places import kommune_workplaces
from gis.indicators.series import Observation, growth_share, observations, ratio_series, series
from gis.indicators.settings import IndicatorSettings


@dataclass(frozen=True)
class IndicatorDefinition:
    """One indicator of the plan: names, unit, goal and which way is better."""

    id: str
    title_nb: str
    title_en: str
    goal_nb: str
    goal_en: str
    unit: str
    better: Literal["lower", "higher"]
    decimals: int = 0
    # "ambition": a result meets the year's ambition; "increase": it beats the year before.
    goal_rule: Literal["ambition", "increase"] = "ambition"
    # The goal as a number (rank 10 = top 10), for years without an ambition of their own.
    goal_value: float | None = None


@dataclass(frozen=True)
class GoalStatus:
    """An indicator's latest result against its goal (the page's summary)."""

    definition: IndicatorDefinition
    result: Observation | None
    met: bool | None
    compared_with: Observation | None


@dataclass
class IndicatorReport:
    """An indicator's results and ambitions, ready for a chart and a table."""

    definition: IndicatorDefinition
    results: list[Observation] = field(default_factory=list)
    ambitions: list[Observation] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({o.year for o in self.results + self.ambitions})

    @property
    def last_updated(self) -> dt.date | None:
        dates = [o.updated for o in self.results + self.ambitions if o.updated]
        return max(dates) if dates else None

    @property
    def latest_year(self) -> int | None:
        """The last year with a result: what the data covers when the source gives no date."""
        return max((o.year for o in self.results), default=None)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(o.source for o in self.results + self.ambitions))

    def ambition_for(self, year: int) -> Observation | None:
        return next((a for a in self.ambitions if a.year == year), None)

    def primary_result(self, year: int) -> Observation | None:
        """The value the chart shows: a real figure before a fictional one."""
        found = [r for r in self.results if r.year == year]
        found.sort(key=lambda r: (r.fictional, r.calculation is not None))
        return found[0] if found else None

    def met(self, result: Observation) -> bool | None:
        """Whether a result meets that year's ambition (None without one). A computed result
        never meets it when a published figure for the same year misses it."""
        verdict = self._met_alone(result)
        if verdict and result.calculation is not None:
            published = [r for r in self.results
                         if r.year == result.year and r.calculation is None]
            if any(self._met_alone(r) is False for r in published):
                return False
        return verdict

    def _met_alone(self, result: Observation) -> bool | None:
        ambition = self.ambition_for(result.year)
        if ambition is None:
            return None
        comparator = ambition.comparator
        if comparator not in ("<", "<=", ">", ">="):
            comparator = "<=" if self.definition.better == "lower" else ">="
        return {"<": result.value < ambition.value, "<=": result.value <= ambition.value,
                ">": result.value > ambition.value, ">=": result.value >= ambition.value}[comparator]

    def goal_status(self) -> GoalStatus:
        """The latest result and whether it meets the goal (None: nothing to judge it by)."""
        years = sorted({r.year for r in self.results})
        if not years:
            return GoalStatus(self.definition, None, None, None)
        latest = self.primary_result(years[-1])
        assert latest is not None
        if self.definition.goal_rule == "increase":
            before = self.primary_result(years[-2]) if len(years) > 1 else None
            if before is None or before.year != latest.year - 1:
                return GoalStatus(self.definition, latest, None, None)
            return GoalStatus(self.definition, latest, latest.value > before.value, before)
        ambition = self.ambition_for(latest.year)
        if ambition is None and self.definition.goal_value is not None:
            ambition = Observation(latest.year, self.definition.goal_value, "", False, "ambition")
            lower = self.definition.better == "lower"
            met = latest.value <= ambition.value if lower else latest.value >= ambition.value
            return GoalStatus(self.definition, latest, met, ambition)
        return GoalStatus(self.definition, latest, self.met(latest), ambition)


DEFINITIONS: tuple[IndicatorDefinition, ...] = (
    IndicatorDefinition("nho_rank", "Plassering i NHOs Kommune-NM", "Rank in NHO's Kommune-NM",
                        "Mål: blant de 10 beste", "Goal: top 10", "plass", "lower",
                        goal_value=10),
    IndicatorDefinition("nho_county_rank", "Plassering i fylket (NHOs Kommune-NM)",
                        "Rank in the county (NHO's Kommune-NM)", "Mål: blant de 3 beste",
                        "Goal: top 3", "plass", "lower", goal_value=3),
    IndicatorDefinition("workplace_growth_share", "Arbeidsplassvekst som andel av befolkningsveksten",
                        "Workplace growth as a share of population growth",
                        "Mål: minst 50 %", "Goal: at least 50 %", "%", "higher",
                        goal_value=50),
    IndicatorDefinition("share_living_working", "Andel som bor og arbeider i kommunen",
                        "Share living and working in the kommune", "Mål: økning hvert år",
                        "Goal: up every year", "%", "higher", 1, goal_rule="increase"),
    IndicatorDefinition("rezoned_cultivated_daa", "Omdisponert dyrka jord (dekar)",
                        "Cultivated land rezoned (dekar)", "Mål: høyst 15 dekar per år",
                        "Goal: at most 15 dekar a year", "daa", "lower", 1),
)
COMPUTED_SOURCE = "Beregnet av Næringskart fra lastede SSB-tall"
JORDVERN_SOURCE = "Beregnet av Næringskart fra plandata og AR5"


def indicator_set(conn: psycopg.Connection, settings: IndicatorSettings, regions: Sequence[str],
                  *, jordvern_target: float, jordvern_by_year: dict[int, tuple[float, bool]]
                  ) -> list[IndicatorReport]:
    """Every indicator with stored results/ambitions plus the values computed from SSB files.

    `jordvern_by_year` maps adoption year to (our dekar, whether any input is fictional)."""
    reports = []
    for definition in DEFINITIONS:
        stored = observations(conn, definition.id, regions)
        report = IndicatorReport(definition,
                                 [o for o in stored if o.kind == "result"],
                                 [o for o in stored if o.kind == "ambition"])
        report.results.extend(_computed(conn, definition.id, regions, jordvern_by_year))
        if definition.id == "rezoned_cultivated_daa":
            _add_target_ambitions(report, jordvern_target, settings.first_ambition_year,
                                  settings.plan_period_end)
        report.results.sort(key=lambda o: (o.year, o.fictional, o.source))
        report.ambitions.sort(key=lambda o: o.year)
        reports.append(report)
    return reports


def _computed(conn: psycopg.Connection, indicator: str, regions: Sequence[str],
              jordvern_by_year: dict[int, tuple[float, bool]]) -> list[Observation]:
    if indicator == "workplace_growth_share":
        return [_relabel(o) for o in growth_share(kommune_workplaces(conn, regions),
                                                  series(conn, "befolkning", regions))]
    if indicator == "share_living_working":
        return [_relabel(o) for o in ratio_series(series(conn, "bor_og_arbeider", regions),
                                                  series(conn, "sysselsatte_bosted", regions))]
    if indicator == "rezoned_cultivated_daa":
        return [Observation(year, value, JORDVERN_SOURCE, fictional, "result", None,
                            "Sum av dyrka jord (AR5 21, 22, 23) i ikke-landbruksformål i "
                            "reguleringsplaner vedtatt i året")
                for year, (value, fictional) in sorted(jordvern_by_year.items())]
    return []


def _relabel(obs: Observation) -> Observation:
    return Observation(obs.year, obs.value, f"{COMPUTED_SOURCE} ({obs.source})", obs.fictional,
                       obs.kind, obs.updated, obs.calculation)


def _add_target_ambitions(report: IndicatorReport, target: float, first: int,
                          period_end: int) -> None:
    """The kommune's yearly target is an ambition for each plan year not already stored."""
    have = {a.year for a in report.ambitions}
    for year in range(first, period_end + 1):
        if year not in have:
            report.ambitions.append(Observation(year, target, "Kommunens mål (kommunefil)", False,
                                                "ambition"))
