"""A plan file's features with normalised attribute names, the plan they belong to and the
land-use code (and code list) of a plan area, whatever the format."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from etl.errors import LoadError
from gis import codes

# Object types that carry the plan itself (its boundary) and the areas with a code.
PLAN_OBJECTS = {"rpomrade", "kpomrade", "kpplanomrade", "rbomrade", "arealplan", "kpomr",
                "planomrade"}
AREA_CODE_LISTS = {"rparealformalomrade": "rp2008", "kparealformalomrade": "kpa2008",
                   "rbformalomrade": "rb1985", "kparealbrukomrade": "kp1985"}
# Attribute names as written in SOSI, GML or flat files, normalised (see norm).
_NAMES = {
    "kommunenummer": ("komm", "kommunenummer", "kommunenr"),
    "planidentifikasjon": ("planid", "planidentifikasjon", "planidenti"),
    "plannavn": ("plannavn",),
    "plantype": ("plantype",),
    "planstatus": ("planstat", "planstatus"),
    "ikrafttredelsesdato": ("ikraft", "ikrafttredelsesdato", "ikrafttred"),
    "vedtaksdato": ("vedtakendeligplan", "vedtakendeligplandato", "vedtaksdato"),
    "arealbruksstatus": ("arealst", "arealbruksstatus", "arealbruks"),
    "feltnavn": ("feltnavn", "feltbetegnelse"),
    "eierform": ("eierform",),
    "utnytting_type": ("utntyp", "utnyttingstype", "utnytting_type"),
    "utnytting_tall": ("utntall", "utnyttingstall", "utnytting_tall"),
    "objtype": ("objtype", "objekttype"),
    "code_list": ("code_list", "kodeliste"),
}
# Which attribute holds the code, and the code list it implies (None: decided by plan type).
_CODE_ATTRIBUTES = (("rparealformal", "rp2008"), ("kparealformal", "kpa2008"),
                    ("reguleringsformal", "rb1985"), ("rbformal", "rb1985"),
                    ("kparealbruk", "kp1985"), ("arealbruk", "kp1985"), ("arealformal", None),
                    # Shapefile cuts column names to 10 characters.
                    ("rparealfor", "rp2008"), ("kparealfor", "kpa2008"),
                    ("regulering", "rb1985"), ("arealforma", None))
# Plan types of a kommuneplan (arealdel, kommunedelplan): their arealformål is the KPA list.
KOMMUNEPLAN_TYPES = {20, 21, 22}
# The attributes a plan has once, which its areas inherit when they lack them.
PLAN_LEVEL = ("kommunenummer", "planidentifikasjon", "plannavn", "plantype", "planstatus",
               "ikrafttredelsesdato", "vedtaksdato")


def norm(name: str) -> str:
    """'RPAREALFORMÅL', 'arealformål', 'arealformal' → 'rparealformal' / 'arealformal'."""
    text = name.lower().replace("å", "a").replace("ø", "o").replace("æ", "ae")
    return "".join(ch for ch in text if ch.isalnum() or ch == "_")


@dataclass
class RawFeature:
    """One feature of a plan file with normalised attribute names."""

    where: str  # "<file>: feature 12" or "<file>:<line>"
    fid: int
    attributes: dict[str, Any]
    geometry: BaseGeometry | None
    layer: str = ""

    def get(self, logical: str) -> Any:
        """The first present attribute among the names a logical field may have."""
        for name in _NAMES[logical]:
            value = self.attributes.get(name)
            if value is not None and not (isinstance(value, float) and math.isnan(value)) \
                    and str(value).strip() != "":
                return value
        return None


@dataclass
class PlanRecord:
    """Plan-level attributes gathered from the plan object and its areas."""

    values: dict[str, Any] = field(default_factory=dict)

    def absorb(self, feature: RawFeature) -> None:
        """Fill attributes not known yet from this feature."""
        for logical in ("plannavn", "plantype", "planstatus", "ikrafttredelsesdato",
                        "vedtaksdato"):
            if self.values.get(logical) is None:
                self.values[logical] = feature.get(logical)


_PLAN_ID_OPTION = re.compile(r"^(\d{4})/(\S+)$")


def parse_plan_id(text: str) -> dict[str, str]:
    """'3203/2024001' (--plan-id) → kommunenummer and planidentifikasjon."""
    match = _PLAN_ID_OPTION.match(text.strip())
    if not match:
        raise LoadError(f"--plan-id {text!r}: expected KOMMUNENUMMER/PLANIDENTIFIKASJON, "
                        "e.g. 3203/2024001 (four-digit kommunenummer)")
    return {"kommunenummer": match.group(1), "planidentifikasjon": match.group(2)}


def object_type_of(feature: RawFeature) -> str:
    value = feature.get("objtype")
    return norm(str(value)) if value is not None else feature.layer


def plan_key_of(feature: RawFeature) -> str:
    """'kommunenummer|planidentifikasjon' (the stage keeps the parts apart)."""
    kommune = feature.get("kommunenummer")
    plan = feature.get("planidentifikasjon")
    if kommune is None or plan is None:
        raise LoadError(f"{feature.where}: no NasjonalArealplanId (kommunenummer and "
                        "planidentifikasjon are required)")
    kommune_text = code_text(kommune)
    if not kommune_text.isdigit() or len(kommune_text) > 4:
        raise LoadError(f"{feature.where}: kommunenummer {kommune!r} is not a kommune number")
    return kommune_text.zfill(4) + "|" + code_text(plan)


def code_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def area_code(feature: RawFeature, plantype: Any) -> tuple[str, str] | None:
    """(code, code list) of an area, or None when the feature is no plan area."""
    object_type = object_type_of(feature)
    explicit = feature.get("code_list")
    for attribute, implied in _CODE_ATTRIBUTES:
        value = feature.attributes.get(attribute)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        code_list = (str(explicit) if explicit in codes.CODE_LISTS
                     else AREA_CODE_LISTS.get(object_type) or implied)
        if code_list is None:
            kommuneplan = as_int(plantype) in KOMMUNEPLAN_TYPES or object_type.startswith("kp")
            code_list = "kpa2008" if kommuneplan else "rp2008"
        return code_text(value), code_list
    if object_type in AREA_CODE_LISTS:
        raise LoadError(f"{feature.where}: {object_type} has no land-use code")
    return None


def as_int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None
