"""Ranking sites for a profile: order, scores, explanations and filters on constructed data."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from gis.abc.accessibility import refresh_site_accessibility
from gis.abc.mobility import mobility_profile, parse_business
from gis.abc.settings import AbcSettings, TransitSettings
from gis.config import ConfigError
from gis.db import libpq_dsn
from gis.matching import match_sites
from tests.abc_data import add_square_site, build_ranking_case

SETTINGS = AbcSettings(transit=TransitSettings(rail_hubs=["Sentral stasjon"], detour_factor=1.0))
NBSP = "\u00a0"


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_dsn(db_url)) as connection:
        build_ranking_case(connection)
        refresh_site_accessibility(connection, SETTINGS)
        yield connection


OFFICE = {"sector": "kontor", "employees": "120", "floor_area_m2": "3000",
          "visitors_per_day": "20"}


def test_ranking_order_scores_and_stable_ties(conn: psycopg.Connection) -> None:
    profile = mobility_profile(parse_business(OFFICE), SETTINGS.profile)
    outcome = match_sites(conn, profile, SETTINGS)
    # Need A (40 employees per 1,000 m²). Weights for need A: ABC 40, transit 35 × 1,
    # road 25 × 0.2, readiness 15 × 0.5, no centre: 87.5, scaled to 100 (× 8/7):
    # ABC 45.71 × fit, transit 40 × class share, road 5.71 × (1 − km/10), readiness 8.57.
    #   K-A:    45.71 + 40 + 5.71 × 0.621 + 8.57 = 97.8 (K-A0 the same: the key breaks the tie)
    #   K-B:    22.86 + 30 + 5.71 × 0.661 + 8.57 = 65.2
    #   K-C:     4.57 +  0 + 5.71 × 0.751 + 8.57 = 17.4
    #   K-none:  0    +  0 + 5.71 × 0.501 + 8.57 = 11.4
    assert [(r.site_key, r.score) for r in outcome.results] == [
        ("K-A", 97.8), ("K-A0", 97.8), ("K-B", 65.2), ("K-C", 17.4), ("K-none", 11.4)]
    assert [r.rank for r in outcome.results] == [1, 2, 3, 4, 5]
    assert outcome.results[2].points == {"abc": 22.9, "transit": 30.0, "road": 3.8,
                                         "readiness": 8.6, "centre": 0.0}
    assert outcome.scale == {"abc": 45.7, "transit": 40.0, "road": 5.7, "readiness": 8.6,
                             "centre": 0.0}
    # K-hidden is not published: not counted. Each failing site is counted per filter.
    assert outcome.published == 9
    assert outcome.excluded == {"not_available": 1, "zoning": 2, "too_small": 1}
    again = match_sites(conn, profile, SETTINGS)
    assert [r.site_key for r in again.results] == [r.site_key for r in outcome.results]


def test_explanations_say_what_fits_and_what_does_not(conn: psycopg.Connection) -> None:
    profile = mobility_profile(parse_business(OFFICE), SETTINGS.profile)
    results = {r.site_key: r for r in match_sites(conn, profile, SETTINGS).results}
    b_site = results["K-B"].explanations
    assert b_site[0].kind == "misfit"
    # Each distance says how it was measured (no network here: straight line × 1).
    assert b_site[0].nb == f"B-tomt, men arbeidsplassintensiteten din krever A: 600{NBSP}m til " \
                           "Sentral stasjon (luftlinje × 1)"
    assert b_site[0].en == f"B-site, but your workplace intensity asks for A: 600{NBSP}m to " \
                           "Sentral stasjon (straight line × 1)"
    lines = {e.code: e for e in results["K-A"].explanations}
    assert lines["abc_match"].nb == "A-tomt, slik profilen din krever"
    assert lines["zoning"].en == "Zoned 1310 Kontor, which allows office"
    assert lines["area"].nb == f"5{NBSP}000{NBSP}m² – du trenger minst 3{NBSP}000{NBSP}m²"
    # The test kommune measures straight lines (detour factor 1.0) and says so.
    assert lines["transit"].en == \
        f"Public-transport class A: Sentral stasjon 200{NBSP}m walk (straight line × 1)"
    assert lines["transit"].nb == \
        f"Kollektivklasse A: Sentral stasjon 200{NBSP}m å gå (luftlinje × 1)"
    assert lines["road"].nb == f"3,8{NBSP}km til E18 Kryss"
    assert lines["readiness"].en == "Ready now"
    none_line = results["K-none"].explanations[0]
    assert none_line.code == "abc_none" and none_line.kind == "misfit"


def test_visitor_intensity_explanation_with_kilometres(conn: psycopg.Connection) -> None:
    shop = mobility_profile(parse_business({
        "sector": "handel", "employees": 10, "floor_area_m2": 1000, "visitors_per_day": 400}),
        SETTINGS.profile)
    outcome = match_sites(conn, shop, SETTINGS, preferred_centre="Sentrum")
    assert [r.site_key for r in outcome.results] == ["H-far"]
    first = outcome.results[0].explanations[0]
    assert first.nb == (f"C-tomt, men besøksintensiteten din krever A: 1,4{NBSP}km til "
                        "Sentral stasjon (luftlinje × 1)")
    assert first.en == (f"C-site, but your visitor intensity asks for A: 1.4{NBSP}km to "
                        "Sentral stasjon (straight line × 1)")
    centre = {e.code: e for e in outcome.results[0].explanations}["centre"]
    assert centre.nb == f"1,4{NBSP}km til Sentrum"    # √(1400² + 295²) = 1431 m


def test_a_preferred_centre_adds_points_and_unknown_centres_are_ignored(
        conn: psycopg.Connection) -> None:
    profile = mobility_profile(parse_business(OFFICE), SETTINGS.profile)
    near = match_sites(conn, profile, SETTINGS, preferred_centre="Sentrum").results[0]
    # With a centre the weights sum to 97.5 (× 100/97.5): the centre gives at most 10.26.
    # √(200² + 295²) = 356.4 m from Sentrum: 10.26 × (1 − 0.03564) = 9.9 points.
    assert (near.site_key, near.points["centre"], near.score) == ("K-A", 9.9, 97.7)
    unknown = match_sites(conn, profile, SETTINGS, preferred_centre="Atlantis")
    assert unknown.preferred_centre is None and unknown.results[0].score == 97.8


def test_no_stops_loaded_is_said_not_scored_as_c(conn: psycopg.Connection) -> None:
    conn.execute("DELETE FROM transit_stop")
    refresh_site_accessibility(conn, SETTINGS)
    profile = mobility_profile(parse_business(OFFICE), SETTINGS.profile)
    outcome = match_sites(conn, profile, SETTINGS)
    assert not outcome.stops_loaded
    assert all(r.abc_class is None for r in outcome.results)
    first = outcome.results[0].explanations
    assert any(e.code == "abc_unknown" and e.en.endswith("no public-transport stops are loaded")
               for e in first)


def test_for_an_a_profile_transit_outranks_readiness(conn: psycopg.Connection) -> None:
    # The station 2.2 km away, but ready now and by the main road (a C site) ...
    add_square_site(conn, "T-far-ready", 2200)
    # ... against one 900 m from the station (transit class C, 4.9 km to the main road: no ABC
    # class), zoned but not ready.
    add_square_site(conn, "T-near-zoned", -910, readiness="regulert")
    refresh_site_accessibility(conn, SETTINGS)
    office = mobility_profile(parse_business(
        {"sector": "kontor", "employees": "300", "floor_area_m2": "3000"}), SETTINGS.profile)
    assert office.need == "A"
    results = {r.site_key: r for r in match_sites(conn, office, SETTINGS).results}
    far, near = results["T-far-ready"], results["T-near-zoned"]
    assert far.abc_class == "C" and far.transit_class is None
    assert near.transit_class is not None
    assert near.rank < far.rank


def test_the_score_is_out_of_100_for_every_profile(conn: psycopg.Connection) -> None:
    for business in (OFFICE, {"sector": "lager", "employees": "5", "floor_area_m2": "3000",
                              "goods_trips_per_day": "60"}):
        profile = mobility_profile(parse_business(business), SETTINGS.profile)
        for centre in (None, "Sentrum"):
            outcome = match_sites(conn, profile, SETTINGS, preferred_centre=centre)
            assert sum(outcome.scale.values()) == pytest.approx(100, abs=0.2)
            assert (outcome.scale["centre"] > 0) == (centre is not None)
            assert all(0 <= r.score <= 100 for r in outcome.results)


def test_weights_where_readiness_outranks_transit_are_refused() -> None:
    with pytest.raises(ConfigError, match="transit class step"):
        AbcSettings.from_mapping({"matching": {"transit": 10, "readiness": 30}})


def test_sites_too_small_are_shown_as_near_misses(conn: psycopg.Connection) -> None:
    add_square_site(conn, "K-almost", 260, area_m2=2800)
    profile = mobility_profile(parse_business(OFFICE), SETTINGS.profile)
    outcome = match_sites(conn, profile, SETTINGS)
    # Closest in size first; a site left out for its zoning or status is not a near miss.
    assert [(n.site_key, n.short_by_m2) for n in outcome.near_misses] == [
        ("K-almost", 200.0), ("K-small", 2500.0)]
    assert "K-almost" not in {r.site_key for r in outcome.results}


def test_one_result_never_contradicts_itself(conn: psycopg.Connection) -> None:
    add_square_site(conn, "K-plan", 230, readiness="kommuneplan")
    add_square_site(conn, "T-near-zoned", -910, readiness="regulert")
    refresh_site_accessibility(conn, SETTINGS)
    profile = mobility_profile(parse_business(OFFICE), SETTINGS.profile)
    results = {r.site_key: r for r in match_sites(conn, profile, SETTINGS).results}
    plan = {e.code: e for e in results["K-plan"].explanations}
    assert plan["readiness"].en == "In the municipal master plan, not yet zoned"
    assert plan["zoning"].en == ("Set aside in the municipal master plan for 1310 Kontor, "
                                 "which allows office")
    assert plan["zoning"].nb.startswith("Avsatt i kommuneplanen til 1310 Kontor")
    # No ABC class beside a transit class C: the line says which rule each class misses.
    near = {e.code: e for e in results["T-near-zoned"].explanations}
    assert near["transit"].en.startswith("Public-transport class C:")
    assert near["abc_none"].en.startswith(
        "No ABC class (public-transport class C is weaker than a B-site needs (A/B); "
        f"4.9{NBSP}km to the main road network is more than 3.0{NBSP}km for a C-site), "
        "but your workplace intensity asks for A")
    assert "svak kollektivdekning" not in near["abc_none"].nb
    assert near["abc_none"].nb.startswith(
        "Ingen ABC-klasse (kollektivklasse C er svakere enn en B-tomt krever (A/B); "
        f"4,9{NBSP}km til hovedvegnettet er lenger enn 3,0{NBSP}km for en C-tomt)")
    unserved = {e.code: e for e in results["K-none"].explanations}["abc_none"]
    assert unserved.en.startswith("No ABC class (no stop with frequent enough service within "
                                  "walking distance; ")
