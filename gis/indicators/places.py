"""Workplaces and egendekning per tettsted, centre and former kommune; the central share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

from gis.indicators.series import Observation, format_number, joined_sources, series
from gis.indicators.settings import IndicatorSettings


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
    # Statistics key tettsteder and centres by name (the loader's rule) or by number.
    keys = list(dict.fromkeys([key, name]))
    workplaces: dict[int, Observation] = {}
    for indicator in reversed(WORKPLACE_INDICATORS):  # 'arbeidsplasser' overrides
        workplaces.update(series(conn, indicator, keys, region_type=region_type))
    residents = series(conn, "sysselsatte_bosted", keys, region_type=region_type)
    return PlaceSeries(key, name, workplaces, residents)


def _latest_place(conn: psycopg.Connection, key: str, name: str,
                  region_type: str) -> PlaceFigures:
    place = _place_series(conn, key, name, region_type)
    if not place.workplaces:
        return PlaceFigures(key, name, None, None, None, False)
    year = max(place.workplaces)
    workplaces, resident = place.workplaces[year], place.employed_residents.get(year)
    return PlaceFigures(key, name, year, workplaces.value,
                        resident.value if resident else None,
                        workplaces.fictional or bool(resident and resident.fictional),
                        joined_sources(workplaces, *([resident] if resident else [])))


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
        return (f"{format_number(self.central_workplaces)} ÷ {format_number(self.kommune_workplaces)} = "
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
