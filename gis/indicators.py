"""The plan's indicators from the loaded statistics: workplaces, egendekning, growth share,
share living and working in the kommune, the 2040 projection and the dashboard's indicator set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import psycopg
from pydantic import BaseModel, Field, ValidationError

from gis.config import ConfigError, KommuneConfig, describe_validation_error

Kind = Literal["result", "ambition"]


class ProjectionSettings(BaseModel):
    """The plan's projection to 2040 (kommune TOML [projection]); the defaults are Asker's."""

    base_year: int = 2020
    base_workplaces: float = Field(default=37000, ge=0)
    workplaces_per_year: float = 600
    target_year: int = 2040
    target_workplaces: float = Field(default=49000, ge=0)
    population_growth_low: float = 20900
    population_growth_high: float = 23400


class IndicatorSettings(BaseModel):
    """Which regions and centres the indicators use (kommune TOML [indicators])."""

    # Earlier numbers of this kommune whose statistics count as its own, newest first.
    earlier_kommunenummer: list[str] = Field(default_factory=list)
    # Kommuner merged into this one, number -> name (egendekning per former kommune).
    former_kommuner: dict[str, str] = Field(default_factory=dict)
    # Centres whose workplaces together make the central area (central Asker's share).
    central_centres: list[str] = Field(default_factory=list)
    central_name: str = "Sentrale deler av kommunen"
    workplace_growth_goal_pct: float = 50.0
    # Last year of the plan period; the jordvern target is an ambition every year up to it.
    plan_period_end: int = 2032
    # First year the plan sets ambitions for (its table has 2021–2024).
    first_ambition_year: int = 2021
    # Figures the plan publishes without a year (no statistic row can hold them).
    published_source: str = ""
    published_egendekning_pct: dict[str, float] = Field(default_factory=dict)
    published_central_workplaces: float | None = None
    published_kommune_workplaces: float | None = None
    projection: ProjectionSettings = Field(default_factory=ProjectionSettings)

    @classmethod
    def from_kommune(cls, kommune: KommuneConfig) -> IndicatorSettings:
        """Read [indicators] and [projection] from the kommune file's extra sections."""
        raw: dict[str, Any] = dict(kommune.extra.get("indicators", {}))
        if "projection" in kommune.extra:
            raw["projection"] = kommune.extra["projection"]
        try:
            return cls(**raw)
        except ValidationError as exc:
            raise ConfigError(f"kommune file [indicators]/[projection]: "
                              f"{describe_validation_error(exc)}") from exc

    def regions(self, kommunenummer: str) -> list[str]:
        """This kommune's number first, then its earlier numbers."""
        return [kommunenummer, *self.earlier_kommunenummer]


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


def _num(value: float, decimals: int = 0) -> str:
    """A number with thin-space thousands (readable in both languages)."""
    text = f"{value:,.{decimals}f}".replace(",", "\u202f")
    return text


# --------------------------------------------------------------------------- calculations

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
        calculation = (f"({_num(workplaces[year].value)} − {_num(workplaces[year - 1].value)}) ÷ "
                       f"({_num(population[year].value)} − {_num(population[year - 1].value)}) "
                       f"= {_num(dw)} ÷ {_num(dp)} = {share:.0f} %")
        fictional = any(s[y].fictional for s in (workplaces, population) for y in (year, year - 1))
        out.append(Observation(year, round(share, 1), _sources(workplaces[year], population[year]),
                               fictional, "result", _latest(workplaces[year], population[year]),
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
        calculation = f"{_num(numerator[year].value)} ÷ {_num(den)} = {share:.1f} %"
        out.append(Observation(year, round(share, 1),
                               _sources(numerator[year], denominator[year]),
                               numerator[year].fictional or denominator[year].fictional, "result",
                               _latest(numerator[year], denominator[year]),
                               f"{label}{calculation}"))
    return out


def _sources(*items: Observation) -> str:
    return " / ".join(dict.fromkeys(item.source for item in items))


def _latest(*items: Observation) -> dt.date | None:
    dates = [item.updated for item in items if item.updated]
    return max(dates) if dates else None


# --------------------------------------------------------------------------- places

@dataclass(frozen=True)
class PlaceFigures:
    """Workplaces and employed residents of one tettsted, centre or former kommune."""

    key: str
    name: str
    year: int | None
    workplaces: float | None
    employed_residents: float | None
    fictional: bool
    source: str = ""

    @property
    def egendekning_pct(self) -> float | None:
        if self.workplaces is None or not self.employed_residents:
            return None
        return round(100 * self.workplaces / self.employed_residents, 1)


WORKPLACE_INDICATORS = ("arbeidsplasser", "sysselsatte_arbeidssted")


def _latest_place(conn: psycopg.Connection, key: str, name: str,
                  region_type: str) -> PlaceFigures:
    # Statistics key tettsteder and centres by name (the loader's rule) or by number.
    keys = list(dict.fromkeys([key, name]))
    workplaces: dict[int, Observation] = {}
    for indicator in reversed(WORKPLACE_INDICATORS):  # 'arbeidsplasser' overrides
        workplaces.update(series(conn, indicator, keys, region_type=region_type))
    residents = series(conn, "sysselsatte_bosted", keys, region_type=region_type)
    if not workplaces:
        return PlaceFigures(key, name, None, None, None, False)
    year = max(workplaces)
    resident = residents.get(year)
    return PlaceFigures(key, name, year, workplaces[year].value,
                        resident.value if resident else None,
                        workplaces[year].fictional or bool(resident and resident.fictional),
                        _sources(workplaces[year], *([resident] if resident else [])))


@dataclass(frozen=True)
class PlaceSeries:
    """Workplaces, employed residents and egendekning of one place, year by year."""

    key: str
    name: str
    workplaces: dict[int, Observation]
    employed_residents: dict[int, Observation]

    @property
    def egendekning_pct(self) -> dict[int, float]:
        """Per year with both figures (and residents above zero)."""
        return {year: round(100 * self.workplaces[year].value / resident.value, 1)
                for year, resident in sorted(self.employed_residents.items())
                if year in self.workplaces and resident.value > 0}

    @property
    def fictional(self) -> bool:
        return any(o.fictional for o in [*self.workplaces.values(),
                                         *self.employed_residents.values()])


def _place_series(conn: psycopg.Connection, key: str, name: str,
                  region_type: str) -> PlaceSeries:
    keys = list(dict.fromkeys([key, name]))
    workplaces: dict[int, Observation] = {}
    for indicator in reversed(WORKPLACE_INDICATORS):  # 'arbeidsplasser' overrides
        workplaces.update(series(conn, indicator, keys, region_type=region_type))
    residents = series(conn, "sysselsatte_bosted", keys, region_type=region_type)
    return PlaceSeries(key, name, workplaces, residents)


def tettsted_series(conn: psycopg.Connection) -> list[PlaceSeries]:
    """Every tettsted's figures per year, by name."""
    rows = conn.execute("SELECT tettstednummer, name FROM tettsted ORDER BY name").fetchall()
    return [_place_series(conn, str(r[0]), str(r[1]), "tettsted") for r in rows]


def tettsted_figures(conn: psycopg.Connection) -> list[PlaceFigures]:
    """Latest workplaces, employed residents and egendekning per tettsted."""
    rows = conn.execute("SELECT tettstednummer, name FROM tettsted ORDER BY name").fetchall()
    return [_latest_place(conn, str(r[0]), str(r[1]), "tettsted") for r in rows]


def centre_figures(conn: psycopg.Connection) -> list[PlaceFigures]:
    """Latest workplaces (and employed residents where loaded) per centre."""
    rows = conn.execute("SELECT name FROM centre ORDER BY name").fetchall()
    return [_latest_place(conn, str(r[0]), str(r[0]), "senter") for r in rows]


def former_kommune_figures(conn: psycopg.Connection,
                           settings: IndicatorSettings) -> list[PlaceFigures]:
    """Egendekning for each former kommune (computed where both series are loaded)."""
    return [_latest_place(conn, number, name, "kommune")
            for number, name in settings.former_kommuner.items()]


def published_egendekning(conn: psycopg.Connection,
                          settings: IndicatorSettings) -> list[Observation]:
    """Egendekning figures published as such: loaded rows, then the plan's yearless figures
    from the kommune file (Asker: Røyken 49 %, Hurum 61 %)."""
    regions = list(settings.former_kommuner)
    rows = conn.execute("""
        SELECT region, year, value, source, fictional FROM statistic
        WHERE indicator IN ('egendekning', 'egendekning_arbeidsplasser')
          AND region = ANY(%s) AND value IS NOT NULL
        ORDER BY region, year""", (regions,)).fetchall()
    found = [Observation(int(r[1]), float(r[2]),
                         f"{settings.former_kommuner.get(r[0], r[0])}: {r[3]}", bool(r[4]))
             for r in rows]
    for region, value in settings.published_egendekning_pct.items():
        found.append(Observation(0, value, f"{settings.former_kommuner.get(region, region)}: "
                                           f"{settings.published_source}", False))
    return found


@dataclass(frozen=True)
class CentralShare:
    """The central centres' share of the kommune's workplaces in one year."""

    year: int
    central_workplaces: float
    kommune_workplaces: float
    centres: tuple[str, ...]
    fictional: bool

    @property
    def share_pct(self) -> float:
        return round(100 * self.central_workplaces / self.kommune_workplaces, 1)

    @property
    def calculation(self) -> str:
        return (f"{_num(self.central_workplaces)} ÷ {_num(self.kommune_workplaces)} = "
                f"{self.share_pct:.1f} %")


def kommune_workplaces(conn: psycopg.Connection, regions: Sequence[str]) -> dict[int, Observation]:
    """The kommune's workplaces per year (employed persons by place of work)."""
    found = series(conn, "sysselsatte_arbeidssted", regions)
    for year, obs in series(conn, "arbeidsplasser", regions).items():
        found.setdefault(year, obs)
    return found


def central_share(conn: psycopg.Connection, settings: IndicatorSettings,
                  regions: Sequence[str]) -> CentralShare | None:
    """The latest year in which every central centre and the kommune have workplace figures."""
    if not settings.central_centres:
        return None
    per_centre = []
    for centre in settings.central_centres:
        merged: dict[int, Observation] = {}
        for indicator in reversed(WORKPLACE_INDICATORS):
            merged.update(series(conn, indicator, [centre], region_type="senter"))
        per_centre.append(merged)
    total = kommune_workplaces(conn, regions)
    years = set(total).intersection(*[set(c) for c in per_centre])
    if not years:
        return None
    year = max(years)
    central = sum(c[year].value for c in per_centre)
    fictional = total[year].fictional or any(c[year].fictional for c in per_centre)
    return CentralShare(year, central, total[year].value, tuple(settings.central_centres),
                        fictional)


# --------------------------------------------------------------------------- projection

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


# --------------------------------------------------------------------------- indicator set

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


# --------------------------------------------------------------------------- planner entries

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
