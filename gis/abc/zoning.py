"""Which zoning purposes suit which kind of business, for every code of all four code lists.

`zoning_compatibility.csv` beside this module has one row per code of PBL 2008 (kommuneplan
`kpa2008`, reguleringsplan `rp2008`) and PBL 1985 (reguleringsformål `rb1985`, kommuneplan
arealbruk `kp1985`), with a 1 in the column of each business type the purpose allows. It was
drawn up from the code names: a purpose suits a type when it names that use (1310 Kontor,
1350 Lager, 120 Område for forretning), names a combination that includes it (1825 Kontor/lager,
921 Forretning/Kontor/Industri), or is a general business or centre purpose that allows it
(1300 Næringsbebyggelse does not include retail in PBL 2008; 1130 Sentrumsformål does not
include warehouses or industry; 130 Erverv in a 1985 kommuneplan allows every business type).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from gis.abc.business import BUSINESS_TYPES

CODE_LISTS = ("kpa2008", "rp2008", "rb1985", "kp1985")


@dataclass(frozen=True)
class ZoningPurpose:
    """One code of one code list and the business types it allows."""

    code_list: str
    code: str
    name: str
    allows: frozenset[str]


@cache
def zoning_table() -> tuple[ZoningPurpose, ...]:
    """Every row of the compatibility table."""
    text = resources.files("gis.abc").joinpath("zoning_compatibility.csv").read_text("utf-8")
    rows = []
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        if row["code_list"] not in CODE_LISTS:
            raise ValueError(f"zoning_compatibility.csv line {line}: unknown code list "
                             f"{row['code_list']!r}")
        allows = frozenset(t for t in BUSINESS_TYPES if row[t].strip() == "1")
        rows.append(ZoningPurpose(row["code_list"], row["code"], row["name"], allows))
    return tuple(rows)


def _lists_for(code: str) -> tuple[str, ...]:
    """A bare code's lists, best first: 4 digits are PBL 2008, 3 digits PBL 1985 (a site
    register names the regulation purpose, so reguleringsplan lists come first)."""
    return ("rp2008", "kpa2008") if len(code) == 4 else ("rb1985", "kp1985")


@cache
def purpose_of(code: str) -> ZoningPurpose | None:
    """The purpose a bare zoning code (as in site.zoning_code) stands for, or None."""
    by_key = {(p.code_list, p.code): p for p in zoning_table()}
    for code_list in _lists_for(code.strip()):
        found = by_key.get((code_list, code.strip()))
        if found:
            return found
    return None


@cache
def compatible_codes(business_type: str) -> tuple[str, ...]:
    """The bare zoning codes a business type may be placed on, sorted."""
    if business_type not in BUSINESS_TYPES:
        raise KeyError(business_type)
    codes = {p.code for p in zoning_table()}
    return tuple(sorted(c for c in codes if (p := purpose_of(c)) and business_type in p.allows))
