"""A business's mobility profile: its need for an A, B or C site and the zoning it may use.

Pure functions; the thresholds come from [abc.profile] (see gis/abc/settings.py). Intensities
are per 1,000 m² of floor area: employees (workplace intensity), visitors a day (visitor
intensity) and goods trips a day (goods intensity). The workplace and visitor intensities each
ask for A, B or C; the stronger of the two is the transit need. Goods traffic pulls the other
way: from `goods_b_min` the business should not be on an A site, from `goods_c_min` it belongs
by the main road network (C).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from gis.abc.business import BUSINESS_TYPES, NACE_SECTIONS
from gis.abc.settings import ProfileThresholds
from gis.abc.zoning import compatible_codes

MAX_AREA_M2 = 10_000_000.0
MAX_COUNT = 1_000_000.0


class ProfileError(ValueError):
    """An input that cannot make a profile: which field, and why (in bokmål and English)."""

    def __init__(self, field: str, nb: str, en: str) -> None:
        super().__init__(f"{field}: {en}")
        self.field = field
        self.nb = nb
        self.en = en

    def message(self, lang: str) -> str:
        """The reason in the reader's language."""
        return self.en if lang == "en" else self.nb


@dataclass(frozen=True)
class BusinessInput:
    """What a business tells us about itself."""

    sector: str
    employees: int
    floor_area_m2: float
    land_area_m2: float = 0.0
    visitors_per_day: float = 0.0
    goods_trips_per_day: float = 0.0

    @property
    def business_type(self) -> str:
        """The business type the sector stands for (validated by `validate_input`)."""
        sector = self.sector.strip()
        if sector.upper() in NACE_SECTIONS:
            business_type = NACE_SECTIONS[sector.upper()][0]
            assert business_type is not None
            return business_type
        return sector


@dataclass(frozen=True)
class MobilityProfile:
    """A business's need (A, B or C), why, and where it may be placed."""

    business: BusinessInput
    business_type: str
    need: str
    # Which factor decided the need: 'workplace', 'visitor' or 'goods'.
    deciding: str
    workplace_intensity: float
    visitor_intensity: float
    goods_intensity: float
    workplace_need: str
    visitor_need: str
    goods_need: str | None
    min_site_area_m2: float
    compatible_codes: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        """A JSON-ready summary."""
        return {
            "business_type": self.business_type, "need": self.need, "deciding": self.deciding,
            "workplace_intensity": round(self.workplace_intensity, 2),
            "visitor_intensity": round(self.visitor_intensity, 2),
            "goods_intensity": round(self.goods_intensity, 2),
            "workplace_need": self.workplace_need, "visitor_need": self.visitor_need,
            "goods_need": self.goods_need, "min_site_area_m2": self.min_site_area_m2,
            "compatible_codes": list(self.compatible_codes),
        }


def _number(field: str, value: object, *, nb_name: str, en_name: str, integer: bool = False,
            minimum: float = 0.0, maximum: float = MAX_COUNT, required: bool = True) -> float:
    """A number from a form or JSON value ('1 200,5' is fine); ProfileError says what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ProfileError(field, f"{nb_name} mangler.", f"{en_name} is missing.")
        return 0.0
    if isinstance(value, bool):
        raise ProfileError(field, f"{nb_name} må være et tall.", f"{en_name} must be a number.")
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ProfileError(field, f"{nb_name} må være et tall, ikke «{value.strip()}».",
                               f"{en_name} must be a number, not “{value.strip()}”.") from None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        raise ProfileError(field, f"{nb_name} må være et tall.", f"{en_name} must be a number.")
    if not math.isfinite(number):
        raise ProfileError(field, f"{nb_name} må være et endelig tall.",
                           f"{en_name} must be a finite number.")
    if integer and number != int(number):
        raise ProfileError(field, f"{nb_name} må være et helt tall.",
                           f"{en_name} must be a whole number.")
    if number < minimum:
        if minimum > 0:
            low_nb = f"minst {minimum:g}".replace(".", ",")
            low_en = f"at least {minimum:g}"
        else:
            low_nb, low_en = "0 eller mer", "0 or more"
        raise ProfileError(field, f"{nb_name} må være {low_nb}.", f"{en_name} must be {low_en}.")
    if number > maximum:
        raise ProfileError(field, f"{nb_name} er urimelig stort (over {maximum:,.0f}).".replace(
            ",", " "), f"{en_name} is unreasonably large (over {maximum:,.0f}).")
    return number


def validate_sector(sector: object) -> str:
    """A business type id or a NACE section letter; ProfileError when neither."""
    if not isinstance(sector, str) or not sector.strip():
        raise ProfileError("sector", "Velg bransje eller type virksomhet.",
                           "Choose a sector or business type.")
    text = sector.strip()
    if text in BUSINESS_TYPES:
        return text
    if text.upper() in NACE_SECTIONS:
        if NACE_SECTIONS[text.upper()][0] is None:
            nb, en = NACE_SECTIONS[text.upper()][1:]
            raise ProfileError("sector", f"NACE {text.upper()} ({nb}) hører ikke hjemme på "
                               "næringsarealer.",
                               f"NACE {text.upper()} ({en}) does not belong on business land.")
        return text.upper()
    raise ProfileError("sector", f"Ukjent bransje «{text}»: bruk en NACE-hovedgruppe (A–U) "
                       "eller en type fra listen.",
                       f"Unknown sector “{text}”: use a NACE section (A–U) or a type from the "
                       "list.")


def parse_business(raw: Mapping[str, object]) -> BusinessInput:
    """Validated input from form or query values; ProfileError names the first bad field."""
    sector = validate_sector(raw.get("sector"))
    employees = _number("employees", raw.get("employees"), nb_name="Antall ansatte",
                        en_name="Number of employees", integer=True, minimum=1)
    floor = _number("floor_area_m2", raw.get("floor_area_m2"), nb_name="Bruksareal",
                    en_name="Floor area", minimum=1, maximum=MAX_AREA_M2)
    land = _number("land_area_m2", raw.get("land_area_m2"), nb_name="Tomteareal",
                   en_name="Land area", maximum=MAX_AREA_M2, required=False)
    visitors = _number("visitors_per_day", raw.get("visitors_per_day"),
                       nb_name="Besøkende per dag", en_name="Visitors per day", required=False)
    goods = _number("goods_trips_per_day", raw.get("goods_trips_per_day"),
                    nb_name="Godsturer per dag", en_name="Goods trips per day", required=False)
    return BusinessInput(sector, int(employees), floor, land, visitors, goods)


def _level(value: float, a_min: float, b_min: float) -> str:
    return "A" if value >= a_min else "B" if value >= b_min else "C"


def mobility_profile(business: BusinessInput, thresholds: ProfileThresholds) -> MobilityProfile:
    """The business's ABC need from its intensities (thresholds inclusive)."""
    validate_sector(business.sector)
    if business.employees < 1:
        raise ProfileError("employees", "Antall ansatte må være minst 1.",
                           "Number of employees must be at least 1.")
    if not (business.floor_area_m2 > 0 and math.isfinite(business.floor_area_m2)):
        raise ProfileError("floor_area_m2", "Bruksareal må være større enn 0.",
                           "Floor area must be greater than 0.")
    per_1000 = 1000.0 / business.floor_area_m2
    workplace = business.employees * per_1000
    visitors = business.visitors_per_day * per_1000
    goods = business.goods_trips_per_day * per_1000
    workplace_need = _level(workplace, thresholds.workplace_a_min, thresholds.workplace_b_min)
    visitor_need = _level(visitors, thresholds.visitor_a_min, thresholds.visitor_b_min)
    need, deciding = ((visitor_need, "visitor") if visitor_need < workplace_need
                      else (workplace_need, "workplace"))
    goods_need = ("C" if goods >= thresholds.goods_c_min
                  else "B" if goods >= thresholds.goods_b_min else None)
    if goods_need is not None and goods_need > need:
        need, deciding = goods_need, "goods"
    business_type = business.business_type
    return MobilityProfile(
        business=business, business_type=business_type, need=need, deciding=deciding,
        workplace_intensity=workplace, visitor_intensity=visitors, goods_intensity=goods,
        workplace_need=workplace_need, visitor_need=visitor_need, goods_need=goods_need,
        # Without a land area, the site must at least hold the floor area on one storey.
        min_site_area_m2=business.land_area_m2 or business.floor_area_m2,
        compatible_codes=compatible_codes(business_type))
