"""Use categories an investor filters by, each a set of PBL 2008 arealformål codes.

A small stand-in until the national code lists in gis/codes carry a category per code:
swap `CATEGORY_CODES` for a lookup there; the rest of the catalogue only calls
`codes_for` and `category_of`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A label in bokmål and English (gis imports no other package of ours)."""

    nb: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.nb


@dataclass(frozen=True)
class Category:
    """A use category with its label and the arealformål codes that belong to it."""

    key: str
    label: Text
    codes: tuple[str, ...]


CATEGORIES: tuple[Category, ...] = (
    Category("kontor", Text("Kontor", "Offices"),
             ("1310", "1802", "1804", "1810", "1813", "1830", "1831")),
    Category("handel", Text("Handel", "Retail"), ("1140", "1150", "1801", "1814")),
    Category("industri", Text("Industri", "Industry"),
             ("1340", "1341", "1342", "1811", "1812", "1826")),
    Category("lager", Text("Lager og logistikk", "Warehousing and logistics"),
             ("1350", "1501", "1502", "1825")),
    Category("naering", Text("Næring (generell)", "Business (general)"),
             ("1300", "1320", "1330", "1360", "1390", "1824")),
    Category("sentrum", Text("Sentrumsformål", "Town centre use"), ("1130",)),
    Category("kombinert", Text("Kombinert formål", "Combined use"), ("1800", "1803")),
)
_BY_KEY = {category.key: category for category in CATEGORIES}
_BY_CODE = {code: category for category in CATEGORIES for code in category.codes}


def get_category(key: str) -> Category | None:
    """The category called `key`, or None."""
    return _BY_KEY.get(key)


def codes_for(key: str) -> tuple[str, ...]:
    """The arealformål codes of a category (empty for an unknown key)."""
    category = _BY_KEY.get(key)
    return category.codes if category else ()


def category_of(code: str | None) -> Category | None:
    """The category an arealformål code belongs to, or None."""
    return _BY_CODE.get(code or "")
