"""Use categories an investor filters by: the business types of gis/abc, and the zoning codes
that allow each (gis/abc/zoning_compatibility.csv covers all four national code lists)."""

from __future__ import annotations

from dataclasses import dataclass

from gis.abc.business import BUSINESS_TYPES
from gis.abc.zoning import compatible_codes, purpose_of
from gis.codes import names
from gis.codes.english import purpose_name_en
from gis.text import Text


@dataclass(frozen=True)
class Category:
    """A kind of business and its label."""

    key: str
    label: Text


CATEGORIES: tuple[Category, ...] = tuple(
    Category(key, Text(nb, en)) for key, (nb, en) in BUSINESS_TYPES.items())
_BY_KEY = {category.key: category for category in CATEGORIES}


def get_category(key: str) -> Category | None:
    """The category called `key`, or None."""
    return _BY_KEY.get(key)


def codes_for(key: str) -> tuple[str, ...]:
    """The zoning codes (all code lists) that allow this kind of business."""
    return compatible_codes(key) if key in _BY_KEY else ()


def categories_of(code: str | None) -> list[Category]:
    """The kinds of business a zoning code allows, in the catalogue's order."""
    purpose = purpose_of(code) if code else None
    if purpose is None:
        return []
    return [category for category in CATEGORIES if category.key in purpose.allows]


def zoning_name(code: str | None) -> str | None:
    """The official name of a zoning code (bokmål), or None when the code is unknown."""
    purpose = purpose_of(code) if code else None
    return purpose.name if purpose else None


def zoning_name_en(code: str | None) -> str | None:
    """The zoning code's purpose in English, or None when the site has no zoning code."""
    if not code:
        return None
    purpose = purpose_of(code)
    return purpose_name_en(code, purpose.code_list if purpose else None)


def planned_use_en(text: str | None) -> str | None:
    """A planner's planned use in English when it is a business type or a PBL 2008 purpose
    by name (Kontor, Lager og logistikk); None for free text that has no known translation."""
    if not text:
        return None
    wanted = text.strip().casefold()
    for nb, en in BUSINESS_TYPES.values():
        if nb.casefold() == wanted:
            return en
    for code, nb in names("rp2008").items():
        if nb.casefold() == wanted:
            return purpose_name_en(code, "rp2008")
    return None
