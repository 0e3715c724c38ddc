"""English names for land-use codes and building types, so that English pages carry no bokmål.

PBL 2008 purposes (kommuneplan and reguleringsplan share their codes) have English names in
`arealformal_pbl2008_en.csv`; any other code is named by its category's English label and its
number, never by its Norwegian name.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from gis.codes import CATEGORY_LABELS, CODE_LISTS, category_of, normalise_code

# NS 3457-3 building groups (first digit of the bygningstype) in English.
BUILDING_GROUPS_EN: dict[str, str] = {
    "1": "Residential building",
    "2": "Industrial or warehouse building",
    "3": "Office or commercial building",
    "4": "Transport or communication building",
    "5": "Hotel or restaurant building",
    "6": "Cultural or research building",
    "7": "Health building",
    "8": "Prison or emergency services building",
}


@cache
def pbl2008_purpose_names_en() -> dict[str, str]:
    """English names of the PBL 2008 purposes by code (kommuneplan and reguleringsplan)."""
    text = resources.files("gis.codes").joinpath("arealformal_pbl2008_en.csv").read_text("utf-8")
    return {row["code"]: row["name_en"] for row in csv.DictReader(text.splitlines())}


def _code_list_of(code_list: str | None, code: str) -> str:
    """A known code list for the code: the given one, else guessed from the code's length."""
    if code_list in CODE_LISTS:
        return code_list
    return "rp2008" if len(code) == 4 else "rb1985"


def purpose_name_en(code: object, code_list: str | None = None) -> str:
    """A land-use purpose in English: its own name where known, else its category and code."""
    text = normalise_code(code)
    resolved = _code_list_of(code_list, text)
    if resolved in ("rp2008", "kpa2008") and text in pbl2008_purpose_names_en():
        return pbl2008_purpose_names_en()[text]
    category = category_of(resolved, text)
    return f"{CATEGORY_LABELS.get(category, CATEGORY_LABELS['other'])[1]} (code {text})"


def building_type_en(code: str | None) -> str:
    """An NS 3457 building type in English, by its group (the first digit)."""
    return BUILDING_GROUPS_EN.get((code or "")[:1], "Building")
