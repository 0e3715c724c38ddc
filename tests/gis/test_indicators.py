"""Indicator calculations on small JSON-stat-like fixtures inserted as statistic rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest

from gis import indicators as ind
from gis.config import ConfigError, KommuneConfig
from gis.db import libpq_dsn
from tests.jordvern_fixtures import X0, Y0, add_statistic

# A JSON-stat-like slice of SSB 11616 / 07459 for one kommune (fictional values).
SSB_11616 = {  # year: (employed by residence, by workplace, living and working here)
    2018: (1000, 500, 420),
    2019: (1010, 530, 430),
    2020: (1030, 520, 440),
}
SSB_07459 = {2018: 2000, 2019: 2060, 2020: 2050}  # population


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_dsn(db_url), autocommit=True) as connection:
        yield connection


@pytest.fixture
def settings() -> ind.IndicatorSettings:
    return ind.IndicatorSettings(
        earlier_kommunenummer=["3025"], central_centres=["Asker sentrum", "Holmen"],
        former_kommuner={"0627": "Røyken", "0628": "Hurum"})


def _load_ssb(conn: psycopg.Connection, region: str = "3203") -> None:
    for year, (resident, workplace, both) in SSB_11616.items():
        add_statistic(conn, "sysselsatte_bosted", region, year, resident, table_id="11616")
        add_statistic(conn, "sysselsatte_arbeidssted", region, year, workplace, table_id="11616")
        add_statistic(conn, "bor_og_arbeider", region, year, both, table_id="11616")
    for year, people in SSB_07459.items():
        add_statistic(conn, "befolkning", region, year, people, table_id="07459")


def test_workplace_growth_share_is_computed_with_its_calculation(
        conn: psycopg.Connection) -> None:
    _load_ssb(conn)
    shares = ind.growth_share(ind.kommune_workplaces(conn, ["3203"]),
                              ind.series(conn, "befolkning", ["3203"]))
    # 2019: (530 - 500) / (2060 - 2000) = 50 %; 2020: population fell, so no share.
    assert [(s.year, s.value) for s in shares] == [(2019, 50.0)]
    assert shares[0].calculation == "(530 − 500) ÷ (2\u202f060 − 2\u202f000) = 30 ÷ 60 = 50 %"
    assert shares[0].fictional


def test_share_living_and_working_and_egendekning(conn: psycopg.Connection) -> None:
    _load_ssb(conn)
    share = ind.ratio_series(ind.series(conn, "bor_og_arbeider", ["3203"]),
                             ind.series(conn, "sysselsatte_bosted", ["3203"]))
    assert [(s.year, s.value) for s in share] == [(2018, 42.0), (2019, 42.6), (2020, 42.7)]
    assert share[1].calculation == "430 ÷ 1\u202f010 = 42.6 %"


def test_earlier_kommunenummer_fill_years_and_current_number_wins(
        conn: psycopg.Connection) -> None:
    add_statistic(conn, "befolkning", "3025", 2021, 95000)
    add_statistic(conn, "befolkning", "3025", 2024, 1)       # superseded by 3203's figure
    add_statistic(conn, "befolkning", "3203", 2024, 97772)
    found = ind.series(conn, "befolkning", ["3203", "3025"])
    assert {y: o.value for y, o in found.items()} == {2021: 95000, 2024: 97772}


def test_egendekning_per_tettsted_and_former_kommune(conn: psycopg.Connection,
                                                      settings: ind.IndicatorSettings) -> None:
    conn.execute("INSERT INTO tettsted (tettstednummer, name, geom) VALUES ('0205', 'Røyken', "
                 "ST_Multi(ST_Buffer(ST_SetSRID(ST_Point(%s, %s), 25832), 500)))", (X0, Y0))
    add_statistic(conn, "arbeidsplasser", "0205", 2023, 1800, region_type="tettsted")
    add_statistic(conn, "arbeidsplasser", "0205", 2024, 2000, region_type="tettsted")
    add_statistic(conn, "sysselsatte_bosted", "0205", 2024, 4000, region_type="tettsted")
    add_statistic(conn, "sysselsatte_arbeidssted", "0627", 2019, 4900, fictional=False)
    add_statistic(conn, "sysselsatte_bosted", "0627", 2019, 10000, fictional=False)
    # The statistics loader keys tettsteder by name: those rows count as well.
    conn.execute("INSERT INTO tettsted (tettstednummer, name, geom) VALUES ('0208', 'Tofte', "
                 "ST_Multi(ST_Buffer(ST_SetSRID(ST_Point(%s, %s), 25832), 300)))",
                 (X0 + 5000, Y0))
    add_statistic(conn, "arbeidsplasser", "Tofte", 2024, 612, region_type="tettsted")
    add_statistic(conn, "sysselsatte_bosted", "Tofte", 2024, 1224, region_type="tettsted")
    roeyken, tofte = ind.tettsted_figures(conn)
    assert (roeyken.year, roeyken.workplaces, roeyken.egendekning_pct) == (2024, 2000, 50.0)
    assert (tofte.workplaces, tofte.egendekning_pct) == (612, 50.0)
    former = {f.name: f for f in ind.former_kommune_figures(conn, settings)}
    assert former["Røyken"].egendekning_pct == 49.0 and not former["Røyken"].fictional
    assert former["Hurum"].egendekning_pct is None
    # The choropleth view shows the same figure and a class that is not only a colour.
    rows = conn.execute("SELECT arbeidsplasser, egendekning_pct, klasse, fill "
                        "FROM tettsted_indicator ORDER BY name").fetchall()
    assert rows == [(2000, 50, "1 000–2 499", "#bdd7e7"), (612, 50, "under 1 000", "#eff3ff")]


def test_central_share_uses_the_latest_year_with_every_centre(
        conn: psycopg.Connection, settings: ind.IndicatorSettings) -> None:
    _load_ssb(conn)
    add_statistic(conn, "arbeidsplasser", "Asker sentrum", 2019, 300, region_type="senter")
    add_statistic(conn, "arbeidsplasser", "Holmen", 2019, 100, region_type="senter")
    add_statistic(conn, "arbeidsplasser", "Asker sentrum", 2020, 310, region_type="senter")
    share = ind.central_share(conn, settings, ["3203"])
    assert share is not None
    assert (share.year, share.central_workplaces, share.kommune_workplaces) == (2019, 400, 530)
    assert share.share_pct == 75.5
    assert share.calculation == "400 ÷ 530 = 75.5 %"


def test_projection_follows_the_configured_assumptions(conn: psycopg.Connection) -> None:
    _load_ssb(conn)
    settings = ind.IndicatorSettings(projection=ind.ProjectionSettings(
        base_year=2019, base_workplaces=500, workplaces_per_year=10, target_year=2021,
        target_workplaces=520, population_growth_low=100, population_growth_high=200))
    years = {p.year: p for p in ind.projection(conn, settings, ["3203"])}
    assert sorted(years) == [2018, 2019, 2020, 2021]
    assert years[2020].projected_workplaces == 510 and years[2020].actual_workplaces == 520
    assert years[2021].population_low == 2160 and years[2021].population_high == 2260
    assert years[2021].actual_workplaces is None


def test_indicator_set_merges_published_computed_and_ambitions(
        conn: psycopg.Connection, settings: ind.IndicatorSettings) -> None:
    _load_ssb(conn)
    add_statistic(conn, "workplace_growth_share", "3203", 2019, 9, source="Temaplan",
                  fictional=False, unit="prosent")
    add_statistic(conn, "workplace_growth_share", "3203", 2021, 50, source="Temaplan",
                  fictional=False, kind="ambition", unit="prosent")
    reports = {r.definition.id: r for r in ind.indicator_set(
        conn, settings, ["3203"], jordvern_target=15, jordvern_by_year={2023: (4.0, True)})}
    growth = reports["workplace_growth_share"]
    assert [(r.year, r.value, r.fictional) for r in growth.results] == [
        (2019, 9.0, False), (2019, 50.0, True)]
    assert growth.primary_result(2019) is not None
    assert growth.primary_result(2019).value == 9.0  # type: ignore[union-attr]
    assert growth.met(growth.results[0]) is None
    rezoned = reports["rezoned_cultivated_daa"]
    assert [(r.year, r.value) for r in rezoned.results] == [(2023, 4.0)]
    assert rezoned.met(rezoned.results[0]) is True
    assert {a.year for a in rezoned.ambitions} >= {2024, 2032}


def test_planner_enters_nho_rank_with_source_and_date(conn: psycopg.Connection) -> None:
    ind.set_manual_value(conn, indicator="nho_rank", region="3203", year=2024, value=9,
                         kind="result", source="NHO Kommune-NM 2024",
                         source_date=dt.date(2024, 6, 12), entered_by="planlegger")
    ind.set_manual_value(conn, indicator="nho_rank", region="3203", year=2024, value=8,
                         kind="result", source="NHO Kommune-NM 2024 (rettet)",
                         source_date=dt.date(2024, 6, 20), entered_by="planlegger")
    [obs] = ind.observations(conn, "nho_rank", ["3203"])
    assert (obs.value, obs.source, obs.updated) == (8.0, "NHO Kommune-NM 2024 (rettet)",
                                                    dt.date(2024, 6, 20))
    with pytest.raises(ValueError, match="computed from loaded files"):
        ind.set_manual_value(conn, indicator="befolkning", region="3203", year=2024, value=1,
                             kind="result", source="x", source_date=dt.date(2024, 1, 1),
                             entered_by="x")
    with pytest.raises(ValueError, match="whole number"):
        ind.set_manual_value(conn, indicator="nho_rank", region="3203", year=2024, value=2.5,
                             kind="result", source="x", source_date=dt.date(2024, 1, 1),
                             entered_by="x")


def test_bad_projection_settings_name_the_section() -> None:
    kommune = KommuneConfig(kommunenummer="3203", name="Asker", storage_srid=25832,
                            map={"centre_lat": 59.7, "centre_lon": 10.4},
                            jordvern={"target_daa_per_year": 15},
                            extra={"projection": {"base_workplaces": -5}})
    with pytest.raises(ConfigError, match="projection"):
        ind.IndicatorSettings.from_kommune(kommune)


def test_the_asker_file_carries_the_plans_assumptions() -> None:
    from gis.config import DEFAULT_KOMMUNE_FILE

    settings = ind.IndicatorSettings.from_kommune(KommuneConfig.from_file(DEFAULT_KOMMUNE_FILE))
    p = settings.projection
    assert (p.base_workplaces, p.workplaces_per_year, p.target_workplaces) == (37000, 600, 49000)
    assert p.base_workplaces + p.workplaces_per_year * (p.target_year - p.base_year) == 49000
    assert settings.central_centres == ["Asker sentrum", "Holmen", "Billingstad"]
    assert set(settings.former_kommuner) == {"0220", "0627", "0628"}


def test_a_kommune_without_a_projection_gets_none_of_askers(conn: psycopg.Connection) -> None:
    """Asker's plan figures (37 000 workplaces, +600 a year) are Asker's file's, not defaults."""
    kommune = KommuneConfig(kommunenummer="3201", name="Bærum", storage_srid=25832,
                            map={"centre_lat": 59.9, "centre_lon": 10.5},
                            jordvern={"target_daa_per_year": 10})
    settings = ind.IndicatorSettings.from_kommune(kommune)
    assert settings.projection is None
    assert ind.projection(conn, settings, ["3201"]) == []
