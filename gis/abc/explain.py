"""Explanations in bokmål and English: what fits, what does not, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from gis.abc.business import BUSINESS_TYPES
from gis.abc.settings import AbcRules
from gis.abc.zoning import purpose_of

Kind = Literal["fit", "misfit", "info"]

_DECIDING = {
    "workplace": ("arbeidsplassintensiteten din", "your workplace intensity"),
    "visitor": ("besøksintensiteten din", "your visitor intensity"),
    "goods": ("godstrafikken din", "your goods traffic"),
}
_READINESS = {
    "ledig_naa": ("Klar til bruk nå", "Ready now"),
    "regulert": ("Regulert, ikke byggeklar", "Zoned, not yet ready to build"),
    "kommuneplan": ("Avsatt i kommuneplanen, ikke regulert",
                    "In the municipal master plan, not yet zoned"),
}


@dataclass(frozen=True)
class Explanation:
    """One line of a result's explanation."""

    kind: Kind
    code: str
    nb: str
    en: str

    def text(self, lang: str) -> str:
        """The line in the reader's language."""
        return self.en if lang == "en" else self.nb

    def as_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"kind": self.kind, "code": self.code, "text": {"nb": self.nb, "en": self.en}}


def number(value: float, lang: str, decimals: int = 0) -> str:
    """1 234,5 in bokmål, 1,234.5 in English."""
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def distance(metres: float, lang: str) -> str:
    """Rounded to 10 m below a kilometre, to 0.1 km above."""
    if metres < 1000:
        return f"{number(round(metres / 10) * 10, lang)}\u00a0m"
    return f"{number(metres / 1000, lang, 1)}\u00a0km"


def area(square_metres: float, lang: str) -> str:
    """48 000 m² / 48,000 m²."""
    return f"{number(square_metres, lang)}\u00a0m²"


def _both(fn: Any, *args: Any) -> tuple[str, str]:
    return fn(*args, "nb"), fn(*args, "en")


def zoning_line(code: str | None, business_type: str, readiness: str | None = None) -> Explanation:
    """Why the land-use purpose fits; a site only set aside in the kommuneplan is not "zoned"."""
    purpose = purpose_of(code or "")
    name = f"{code} {purpose.name}" if purpose else str(code)
    type_nb, type_en = BUSINESS_TYPES[business_type]
    if readiness == "kommuneplan":
        return Explanation(
            "fit", "zoning",
            f"Avsatt i kommuneplanen til {name}, som tillater {type_nb.lower()}",
            f"Set aside in the municipal master plan for {name}, which allows {type_en.lower()}")
    return Explanation("fit", "zoning", f"Regulert til {name}, som tillater {type_nb.lower()}",
                       f"Zoned {name}, which allows {type_en.lower()}")


def area_line(site_area: float, needed: float) -> Explanation:
    """Why the area fits."""
    nb, en = _both(area, site_area)
    need_nb, need_en = _both(area, needed)
    return Explanation("fit", "area", f"{nb} – du trenger minst {need_nb}",
                       f"{en} – you need at least {need_en}")


def _transit_evidence(row: dict[str, Any], lang: str) -> str:
    """'1,4 km til Asker stasjon (luftlinje × 1,3)': the nearest rail station, else the nearest
    stop, with how that very distance was measured."""
    if row.get("nearest_rail_name") and row.get("nearest_rail_distance_m") is not None:
        name, metres = row["nearest_rail_name"], row["nearest_rail_distance_m"]
        method = row.get("nearest_rail_method")
    else:
        name, metres = row.get("nearest_stop_name"), row.get("nearest_stop_distance_m")
        method = row.get("nearest_stop_method")
    if name is None or metres is None:
        return "ingen holdeplass i nærheten" if lang != "en" else "no stop nearby"
    return (f"{distance(float(metres), lang)} {'to' if lang == 'en' else 'til'} {name} "
            f"({walking_method(row, lang, method)})")


def _why_no_class(row: dict[str, Any], rules: AbcRules) -> tuple[str, str]:
    """Which rule each of B and C misses, with the site's own transit class and road distance,
    so the line agrees with the transit line beside it (a transit class C is not a C site)."""
    transit = row.get("transit_class")
    road_m = row.get("road_distance_m")
    b_classes = "/".join(rules.b_transit_classes)
    if transit is None:
        b_nb = "ingen holdeplass med god nok frekvens i gangavstand"
        b_en = "no stop with frequent enough service within walking distance"
    elif transit not in rules.b_transit_classes:
        b_nb = f"kollektivklasse {transit} er svakere enn en B-tomt krever ({b_classes})"
        b_en = f"public-transport class {transit} is weaker than a B-site needs ({b_classes})"
    else:
        b_nb = (f"kollektivklasse {transit}, men over {distance(rules.b_road_max_m, 'nb')} "
                "til hovedvegnettet, som en B-tomt krever")
        b_en = (f"public-transport class {transit}, but more than "
                f"{distance(rules.b_road_max_m, 'en')} from the main road network a B-site needs")
    if road_m is None:
        c_nb, c_en = "ingen kryss på hovedvegnettet er lastet", "no main-road junction is loaded"
    else:
        c_nb = (f"{distance(float(road_m), 'nb')} til hovedvegnettet er lenger enn "
                f"{distance(rules.c_road_max_m, 'nb')} for en C-tomt")
        c_en = (f"{distance(float(road_m), 'en')} to the main road network is more than "
                f"{distance(rules.c_road_max_m, 'en')} for a C-site")
    return f"{b_nb}; {c_nb}", f"{b_en}; {c_en}"


def abc_line(row: dict[str, Any], need: str, deciding: str, stops_loaded: bool,
             rules: AbcRules | None = None) -> Explanation:
    """How the site's ABC class meets the profile's need."""
    site_class = row.get("abc_class")
    factor_nb, factor_en = _DECIDING[deciding]
    if not stops_loaded:
        return Explanation("info", "abc_unknown",
                           "ABC-klassen er ikke beregnet: ingen holdeplasser er lastet",
                           "The ABC class is not computed: no public-transport stops are loaded")
    if site_class is None:
        why_nb, why_en = _why_no_class(row, rules or AbcRules())
        return Explanation(
            "misfit", "abc_none",
            f"Ingen ABC-klasse ({why_nb}), men {factor_nb} krever {need}: "
            f"{_transit_evidence(row, 'nb')}",
            f"No ABC class ({why_en}), but {factor_en} asks for {need}: "
            f"{_transit_evidence(row, 'en')}")
    if site_class == need:
        return Explanation("fit", "abc_match", f"{site_class}-tomt, slik profilen din krever",
                           f"{site_class}-site, as your profile needs")
    if site_class > need:
        return Explanation(
            "misfit", "abc_weaker",
            f"{site_class}-tomt, men {factor_nb} krever {need}: {_transit_evidence(row, 'nb')}",
            f"{site_class}-site, but {factor_en} asks for {need}: "
            f"{_transit_evidence(row, 'en')}")
    if need == "C":
        return Explanation(
            "misfit", "abc_too_central",
            f"{site_class}-tomt, men {factor_nb} hører hjemme på en C-tomt ved hovedvegnettet",
            f"{site_class}-site, but {factor_en} belongs on a C-site by the main road network")
    return Explanation("fit", "abc_better",
                       f"{site_class}-tomt: bedre kollektivdekning enn profilen din krever ({need})",
                       f"{site_class}-site: better public transport than your profile needs "
                       f"({need})")


def walking_method(row: dict[str, Any], lang: str, method: str | None = None) -> str:
    """How a walking distance was measured: along the network, or straight line × detour.

    `method` is that distance's own method; without it, the site's class-giving stop's."""
    if method is None:
        method = row.get("transit_stop_method") or row.get("distance_method")
    if method == "network":
        return ("walking distance along the path network" if lang == "en"
                else "gangavstand langs vegnettet")
    factor = row.get("detour_factor")
    text = f"{float(factor):g}" if factor is not None else "?"
    if lang == "en":
        return f"straight line × {text}"
    return f"luftlinje × {text.replace('.', ',')}"


def transit_line(row: dict[str, Any]) -> Explanation | None:
    """The transit class, the stop that gives it, and how that walk was measured."""
    if row.get("transit_class") is None or row.get("transit_stop_name") is None:
        return None
    metres = float(row["transit_stop_distance_m"])
    return Explanation(
        "info", "transit",
        f"Kollektivklasse {row['transit_class']}: {row['transit_stop_name']} "
        f"{distance(metres, 'nb')} å gå ({walking_method(row, 'nb')})",
        f"Public-transport class {row['transit_class']}: {row['transit_stop_name']} "
        f"{distance(metres, 'en')} walk ({walking_method(row, 'en')})")


def road_line(row: dict[str, Any], need: str) -> Explanation | None:
    """Distance to the main road network."""
    if row.get("road_junction_name") is None:
        return None
    metres = float(row["road_distance_m"])
    kind: Kind = "fit" if need == "C" and metres <= 3000 else "info"
    return Explanation(kind, "road",
                       f"{distance(metres, 'nb')} til {row['road_junction_name']}",
                       f"{distance(metres, 'en')} to {row['road_junction_name']}")


def readiness_line(readiness: str | None) -> Explanation | None:
    """How soon the site can be built on."""
    if readiness not in _READINESS:
        return None
    nb, en = _READINESS[readiness]
    return Explanation("fit" if readiness == "ledig_naa" else "info", "readiness", nb, en)


def centre_line(row: dict[str, Any], preferred: str | None) -> Explanation | None:
    """Distance to the preferred centre."""
    if preferred is None or row.get("preferred_distance_m") is None:
        return None
    metres = float(row["preferred_distance_m"])
    if metres == 0:
        return Explanation("fit", "centre", f"I {preferred}", f"In {preferred}")
    return Explanation("info", "centre", f"{distance(metres, 'nb')} til {preferred}",
                       f"{distance(metres, 'en')} to {preferred}")
