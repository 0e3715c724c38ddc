"""Code lists: every code of every generation has a name, a category and a colour."""

from __future__ import annotations

import pytest

from gis import codes


@pytest.mark.parametrize("code_list", sorted(codes.CODE_LISTS))
def test_every_listed_code_maps_to_a_contract_category(code_list: str) -> None:
    listed = codes.names(code_list)
    assert len(listed) > 60
    for code, name in listed.items():
        resolved = codes.land_use(code_list, code)
        assert resolved.known and resolved.name == name
        assert resolved.category in codes.CATEGORIES


@pytest.mark.parametrize("code_list", sorted(codes.CODE_LISTS))
def test_every_listed_code_has_an_official_colour(code_list: str) -> None:
    for code in codes.names(code_list):
        for status in (1, 2):
            found = codes.colour(code_list, code, status)
            assert found is not None, (code_list, code, status)
            assert found.fill or found.pattern


def test_categories_of_business_codes_across_generations() -> None:
    assert codes.land_use("kpa2008", "1300").category == "naering"
    assert codes.land_use("kpa2008", 1130).category == "sentrum"
    assert codes.land_use("kpa2008", "1800").category == "kombinert_naering"
    assert codes.land_use("rp2008", "1342").category == "naering"
    assert codes.land_use("rp2008", "1810").category == "kombinert_naering"
    assert codes.land_use("rp2008", "1803").category == "bolig"
    assert codes.land_use("rb1985", "140").category == "naering"
    assert codes.land_use("rb1985", "921").category == "kombinert_naering"
    assert codes.land_use("kp1985", "130").category == "naering"
    assert codes.land_use("kp1985", "120").category == "sentrum"
    assert codes.land_use("kpa2008", "5100").category == "lnfr"
    assert codes.land_use("kpa2008", "6230").category == "sjo"
    assert codes.land_use("rp2008", "2011").category == "samferdsel"
    assert codes.land_use("rp2008", "3040").category == "gronn"


def test_unknown_code_is_kept_flagged_and_other() -> None:
    unknown = codes.land_use("rp2008", "1399")
    assert (unknown.code, unknown.known, unknown.category, unknown.name) == ("1399", False, "other",
                                                                            None)
    assert unknown.warning and "1399" in unknown.warning and "rp2008" in unknown.warning


def test_kpa_colour_depends_on_arealbruksstatus() -> None:
    now, future = codes.colour("kpa2008", "1110", 1), codes.colour("kpa2008", "1110", 2)
    assert now and future and (now.fill, future.fill) == ("#ffff99", "#ffff33")
    assert now.stroke == "#000000"
    stripes = codes.colour("kpa2008", "1800", 2)
    assert stripes and stripes.fill is None and stripes.pattern


def test_building_types_resolve_name_and_group() -> None:
    office = codes.building_type("311")
    assert office.known and office.group == "kontor/forretning" and office.name
    assert codes.building_type(211).group == "industri/lager"
    assert codes.building_type("819").group == "fengsel/beredskap"
    assert codes.building_type("999").group == "ukjent"
    odd = codes.building_type("298")
    assert (odd.known, odd.group) == (False, "industri/lager")
    assert all(codes.building_type(c).group != "ukjent" for c in codes.building_types()
               if not c.startswith("9"))


def test_ar5_names() -> None:
    assert codes.ar5_types()[21] == "Fulldyrka jord"
    assert len(codes.ar5_types()) == 12
