"""A business's mobility profile and the zoning it may use (pure functions)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gis.abc.mobility import BusinessInput, ProfileError, mobility_profile, parse_business
from gis.abc.settings import ProfileThresholds
from gis.abc.zoning import CODE_LISTS, compatible_codes, purpose_of, zoning_table
from gis.config import PROJECT_ROOT

DEFAULTS = ProfileThresholds()


def profile(**values: object):  # type: ignore[no-untyped-def]
    return mobility_profile(parse_business(values), DEFAULTS)


def test_an_office_with_many_employees_needs_a() -> None:
    office = profile(sector="kontor", employees="120", floor_area_m2="3 000", visitors_per_day=20)
    # 120 / 3000 m² = 40 per 1,000 m² (threshold A ≥ 40, inclusive); 20 visitors -> 6.7 -> C.
    assert office.workplace_intensity == pytest.approx(40.0)
    assert office.visitor_intensity == pytest.approx(6.667, abs=0.001)
    assert (office.workplace_need, office.visitor_need, office.need, office.deciding) == (
        "A", "C", "A", "workplace")
    assert office.min_site_area_m2 == 3000


def test_just_below_a_threshold_is_b() -> None:
    office = profile(sector="J", employees=119, floor_area_m2=3000)
    assert office.business_type == "kontor"
    assert (office.need, office.workplace_intensity) == ("B", pytest.approx(39.667, abs=0.001))


def test_visitors_can_decide_the_need() -> None:
    shop = profile(sector="handel", employees=10, floor_area_m2="1000,0", visitors_per_day=400,
                   land_area_m2=4000)
    # 10 employees per 1,000 m² -> C; 400 visitors per 1,000 m² -> A.
    assert (shop.workplace_need, shop.visitor_need, shop.need, shop.deciding) == (
        "C", "A", "A", "visitor")
    assert shop.min_site_area_m2 == 4000


def test_goods_traffic_pulls_towards_the_road() -> None:
    dense_but_goods = profile(sector="kontor", employees=50, floor_area_m2=1000,
                              goods_trips_per_day=5)
    # 50/1,000 m² asks for A, but 5 goods trips per 1,000 m² (≥ 2) rules out A.
    assert (dense_but_goods.need, dense_but_goods.deciding, dense_but_goods.goods_need) == (
        "B", "goods", "B")
    warehouse = profile(sector="H", employees=20, floor_area_m2=10000, goods_trips_per_day=150)
    # 2 employees and 15 goods trips per 1,000 m²: C either way.
    assert (warehouse.business_type, warehouse.need, warehouse.goods_need) == ("lager", "C", "C")
    heavy = profile(sector="industri", employees=60, floor_area_m2=2000, goods_trips_per_day=20)
    # 30 employees and 10 goods trips per 1,000 m²: B from the staff, C from the goods.
    assert (heavy.workplace_need, heavy.need, heavy.deciding) == ("B", "C", "goods")


@pytest.mark.parametrize(("values", "field", "nb", "en"), [
    ({"employees": "0"}, "employees", "Antall ansatte må være minst 1.",
     "Number of employees must be at least 1."),
    ({"employees": "-3"}, "employees", "Antall ansatte må være minst 1.",
     "Number of employees must be at least 1."),
    ({"employees": "12,5"}, "employees", "Antall ansatte må være et helt tall.",
     "Number of employees must be a whole number."),
    ({"employees": "mange"}, "employees", "Antall ansatte må være et tall, ikke «mange».",
     "Number of employees must be a number, not “mange”."),
    ({"employees": ""}, "employees", "Antall ansatte mangler.", "Number of employees is missing."),
    ({"floor_area_m2": "0"}, "floor_area_m2", "Bruksareal må være minst 1.",
     "Floor area must be at least 1."),
    ({"floor_area_m2": "nan"}, "floor_area_m2", "Bruksareal må være et endelig tall.",
     "Floor area must be a finite number."),
    ({"visitors_per_day": "-1"}, "visitors_per_day", "Besøkende per dag må være 0 eller mer.",
     "Visitors per day must be 0 or more."),
    ({"goods_trips_per_day": "inf"}, "goods_trips_per_day",
     "Godsturer per dag må være et endelig tall.", "Goods trips per day must be a finite number."),
    ({"land_area_m2": "1e9"}, "land_area_m2", "Tomteareal er urimelig stort (over 10 000 000).",
     "Land area is unreasonably large (over 10,000,000)."),
    ({"sector": "A"}, "sector",
     "NACE A (Jordbruk, skogbruk og fiske) hører ikke hjemme på næringsarealer.",
     "NACE A (Agriculture, forestry and fishing) does not belong on business land."),
    ({"sector": "bakeri"}, "sector",
     "Ukjent bransje «bakeri»: bruk en NACE-hovedgruppe (A–U) eller en type fra listen.",
     "Unknown sector “bakeri”: use a NACE section (A–U) or a type from the list."),
])
def test_invalid_input_gives_clear_errors(values: dict[str, object], field: str, nb: str,
                                          en: str) -> None:
    raw: dict[str, object] = {"sector": "kontor", "employees": "10", "floor_area_m2": "500"}
    raw.update(values)
    with pytest.raises(ProfileError) as caught:
        parse_business(raw)
    assert (caught.value.field, caught.value.message("nb"), caught.value.message("en")) == (
        field, nb, en)


def test_a_profile_built_directly_with_zero_employees_is_refused() -> None:
    with pytest.raises(ProfileError, match="employees: Number of employees must be at least 1"):
        mobility_profile(BusinessInput("kontor", 0, 1000.0), DEFAULTS)


def test_compatible_codes_per_business_type() -> None:
    office = set(compatible_codes("kontor"))
    assert {"1130", "1300", "1310", "1800", "1825", "1830", "130", "132", "920"} <= office
    assert not {"1150", "1350", "1340", "1110", "5100", "140"} & office
    warehouse = set(compatible_codes("lager"))
    assert {"1300", "1350", "1825", "1826", "140", "134"} <= warehouse
    assert not {"1130", "1310", "1150", "120"} & warehouse
    retail = set(compatible_codes("handel"))
    assert {"1130", "1140", "1150", "1801", "1810", "120", "131"} <= retail
    assert "1300" not in retail     # PBL 2008 næringsbebyggelse excludes retail
    # 130 is "kontor" in a 1985 reguleringsplan (read first), "erverv" in a kommuneplan.
    assert purpose_of("130") is not None and purpose_of("130").code_list == "rb1985"  # type: ignore[union-attr]


def _reference_codes() -> dict[str, set[str]]:
    """The project's national code lists (gis/codes, from the ETL) where present."""
    files = {"kpa2008": "kpa_arealformal_pbl2008.csv", "rp2008": "rp_arealformal_pbl2008.csv",
             "rb1985": "rb_reguleringsformal_pbl1985.csv", "kp1985": "kp_arealbruk_pbl1985.csv"}
    folder = PROJECT_ROOT / "gis" / "codes"
    found: dict[str, set[str]] = {}
    for code_list, name in files.items():
        path: Path = folder / name
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                found[code_list] = {row["code"] for row in csv.DictReader(handle)}
    return found


def test_the_table_covers_every_code_of_all_four_lists() -> None:
    table: dict[str, set[str]] = {code_list: set() for code_list in CODE_LISTS}
    for purpose in zoning_table():
        table[purpose.code_list].add(purpose.code)
        assert purpose.name
    assert {k: len(v) for k, v in table.items()} == {
        "kpa2008": 66, "rp2008": 224, "rb1985": 136, "kp1985": 64}
    for code_list, codes in _reference_codes().items():
        assert codes == table[code_list], code_list
