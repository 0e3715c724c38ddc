"""National code lists as data: land-use codes of three plan-law generations, NS 3457 building
types and AR5 land cover, with names, the project's categories and DiBK's official colours.

The CSV files beside this module are copied from the project's reference folder (see
COLOURS-SOURCE.md for where the colours come from); categories.csv maps code ranges to the
fixed category ids other parts of the system code against.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

CodeList = Literal["kpa2008", "rp2008", "rb1985", "kp1985"]

# The fixed contract: other modules filter and style on exactly these ids.
CATEGORIES: tuple[str, ...] = ("sentrum", "naering", "kombinert_naering", "bolig", "tjenesteyting",
                               "samferdsel", "gronn", "lnfr", "sjo", "other")
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "sentrum": ("Sentrum", "Centre"),
    "naering": ("Næring", "Business"),
    "kombinert_naering": ("Kombinert med næring", "Mixed use with business"),
    "bolig": ("Bolig", "Housing"),
    "tjenesteyting": ("Tjenesteyting", "Public and private services"),
    "samferdsel": ("Samferdsel", "Transport and infrastructure"),
    "gronn": ("Grønnstruktur", "Green space"),
    "lnfr": ("LNFR", "Agriculture, nature and outdoor recreation"),
    "sjo": ("Sjø og vassdrag", "Sea and waterways"),
    "other": ("Annet", "Other"),
}
CODE_LISTS: dict[str, tuple[str, str]] = {
    "kpa2008": ("kpa_arealformal_pbl2008.csv", "PBL 2008 kommuneplan, arealformål"),
    "rp2008": ("rp_arealformal_pbl2008.csv", "PBL 2008 reguleringsplan, arealformål"),
    "rb1985": ("rb_reguleringsformal_pbl1985.csv", "PBL 1985 reguleringsformål"),
    "kp1985": ("kp_arealbruk_pbl1985.csv", "PBL 1985 kommuneplan, arealbruk"),
}
_COLOUR_FILES = {
    "kpa2008": "kpa_arealformal_pbl2008_colours.csv",
    "rp2008": "rp_arealformal_pbl2008_colours.csv",
    "rb1985": "rb_reguleringsformal_pbl1985_colours.csv",
    "kp1985": "kp_arealbruk_pbl1985_colours.csv",
}
# NS 3457-3: the first digit of a bygningstype is its group; the labels are stored in
# building(_footprint).bygningsgruppe.
BUILDING_GROUPS: dict[str, str] = {
    "1": "bolig",
    "2": "industri/lager",
    "3": "kontor/forretning",
    "4": "samferdsel/kommunikasjon",
    "5": "hotell/restaurant",
    "6": "kultur/forskning",
    "7": "helse",
    "8": "fengsel/beredskap",
}
UNKNOWN_BUILDING_GROUP = "ukjent"
# Every line of the plan legend is drawn in this colour (DiBK's "Grense" rule).
OUTLINE_COLOUR = "#000000"


@dataclass(frozen=True)
class LandUse:
    """One land-use code resolved against its code list."""

    code_list: str
    code: str
    name: str | None
    category: str
    known: bool

    @property
    def warning(self) -> str | None:
        """A sentence for the load history when the code is not in its list."""
        if self.known:
            return None
        return f"code {self.code!r} is not in code list {self.code_list}; kept as category 'other'"


@dataclass(frozen=True)
class Colour:
    """Official map colours of a land-use code (hex; None where the style sets none)."""

    fill: str | None
    stroke: str
    fill_opacity: float
    pattern: str | None
    pattern_colours: tuple[str, ...]


@dataclass(frozen=True)
class BuildingType:
    """An NS 3457 bygningstype with its name and group label."""

    code: str
    name: str | None
    group: str
    known: bool


def _rows(file_name: str) -> list[dict[str, str]]:
    text = resources.files(__name__).joinpath(file_name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def normalise_code(code: object) -> str:
    """A code as written in the lists: '1300' for 1300, 1300.0, ' 1300 ' or '01300'."""
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit():
        text = str(int(text))
    return text


@cache
def names(code_list: str) -> dict[str, str]:
    """Code → name for one code list."""
    if code_list not in CODE_LISTS:
        raise KeyError(f"unknown code list {code_list!r}; known: {', '.join(CODE_LISTS)}")
    return {row["code"]: row["name"] for row in _rows(CODE_LISTS[code_list][0])}


@cache
def _category_rules() -> dict[str, list[tuple[int, int, str]]]:
    rules: dict[str, list[tuple[int, int, str]]] = {name: [] for name in CODE_LISTS}
    for row in _rows("categories.csv"):
        if row["category"] not in CATEGORIES:
            raise ValueError(f"categories.csv: unknown category {row['category']!r}")
        rules[row["code_list"]].append((int(row["first"]), int(row["last"]), row["category"]))
    for ranges in rules.values():
        # The narrowest matching range wins, so exceptions sit beside their general rule.
        ranges.sort(key=lambda r: r[1] - r[0])
    return rules


def category_of(code_list: str, code: object) -> str:
    """The category of a code (by its numeric range); 'other' when no rule matches."""
    text = normalise_code(code)
    if not text.isdigit():
        return "other"
    number = int(text)
    for first, last, category in _category_rules()[code_list]:
        if first <= number <= last:
            return category
    return "other"


def land_use(code_list: str, code: object) -> LandUse:
    """Resolve a code; an unknown code is kept, flagged and put in category 'other'."""
    text = normalise_code(code)
    name = names(code_list).get(text)
    if name is None:
        return LandUse(code_list, text, None, "other", False)
    return LandUse(code_list, text, name, category_of(code_list, text), True)


@cache
def _colours(code_list: str) -> dict[tuple[str, str], Colour]:
    table: dict[tuple[str, str], Colour] = {}
    for row in _rows(_COLOUR_FILES[code_list]):
        table[(row["code"], row.get("arealbruksstatus") or "")] = Colour(
            fill=row["fill"] or None,
            stroke=row["stroke"] or OUTLINE_COLOUR,
            fill_opacity=float(row["fill_opacity"] or 1),
            pattern=row["pattern"] or None,
            pattern_colours=tuple(c for c in row["pattern_colours"].split(";") if c),
        )
    return table


def colour(code_list: str, code: object, arealbruksstatus: int | None = None) -> Colour | None:
    """Official colour; KPA/KP by arealbruksstatus (1 nåværende, 2 framtidig; others as 1)."""
    table = _colours(code_list)
    text = normalise_code(code)
    status = "2" if arealbruksstatus == 2 else "1"
    return table.get((text, status)) or table.get((text, ""))


@cache
def building_types() -> dict[str, str]:
    """NS 3457 bygningstype code → name."""
    return {row["code"]: row["name"] for row in _rows("ns3457_bygningstype.csv")}


def building_type(code: object) -> BuildingType:
    """Resolve a bygningstype; the group comes from the first digit even for unlisted codes."""
    text = normalise_code(code) if code is not None else ""
    name = building_types().get(text)
    group = BUILDING_GROUPS.get(text[:1], UNKNOWN_BUILDING_GROUP) if len(text) == 3 else \
        UNKNOWN_BUILDING_GROUP
    return BuildingType(text, name, group, name is not None)


@cache
def ar5_types() -> dict[int, str]:
    """AR5 arealtype code → name."""
    return {int(row["code"]): row["name"] for row in _rows("ar5_arealtype.csv")}
