"""Public values of a site, ready to show: labels in the page's language, numbers formatted.

Only the columns listed in PUBLIC_FIELDS ever leave the server (planner notes and contact
people do not).
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from gis.investor.categories import get_category, planned_use_en
from webmap.investor import link

PUBLIC_FIELDS = (
    "site_key",
    "name",
    "area_m2",
    "status",
    "readiness",
    "planned_use",
    "zoning_code",
    "zoning_name",
    "uses",
    "ownership",
    "tettsted",
    "rail_name",
    "rail_distance_m",
    "road_junction_name",
    "road_vegnummer",
    "road_distance_m",
    "port_name",
    "port_distance_m",
    "abc_class",
    "transit_class",
    "last_verified",
    "fictional",
)

READINESS_LABELS = {
    "ledig_naa": _l("Ledig nå"),
    "regulert": _l("Regulert"),
    "kommuneplan": _l("I kommuneplan – ikke regulert"),
}
STATUS_LABELS = {
    "ledig": _l("Ledig"),
    "reservert": _l("Reservert"),
    "under_utbygging": _l("Under utbygging"),
    "utbygd": _l("Utbygd"),
    "trukket_tilbake": _l("Trukket tilbake"),
}
# A site that is taken or being built on is ready to build, but not available: its readiness
# must not say "Ledig nå" beside a status that says otherwise.
READY_TO_BUILD_LABEL = _l("Byggeklar")
OWNERSHIP_LABELS = {"kommunal": _l("Kommunal"), "privat": _l("Privat")}
CENTRE_LEVEL_LABELS = {
    "regionsenter": _l("regionsenter"),
    "kommunedelsenter": _l("kommunedelsenter"),
    "lokalsenter": _l("lokalsenter"),
    "nærsenter": _l("nærsenter"),
}


def label(labels: dict[str, Any], value: str | None) -> str:
    """The label of a code, or the code itself when unknown, or an en dash when empty."""
    if not value:
        return "–"
    return str(labels.get(value, value))


def metres(value: float | int | None) -> str:
    """A distance for people: 850 m, 1,2 km."""
    if value is None:
        return "–"
    if value < 1000:
        return f"{format_decimal(round(value))} m"
    return f"{format_decimal(round(value / 1000, 1), format='#,##0.0')} km"


def square_metres(value: float | int | None) -> str:
    """An area with thousands separators."""
    return "–" if value is None else f"{format_decimal(round(value))} m²"


def road_access_label(site: dict[str, Any]) -> str | None:
    """The nearest main-road junction in words: 'E18 Drengsrud, 1,0 km'; None when unknown."""
    if not site.get("road_junction_name"):
        return None
    name, number = str(site["road_junction_name"]), site.get("road_vegnummer")
    # Junction names often start with their road ("E18 Asker"): the number is said once.
    road = f"{number} " if number and not name.startswith(f"{number} ") else ""
    return f"{road}{name}, {metres(site.get('road_distance_m'))}"


def readiness_label(readiness: str | None, status: str | None) -> str:
    """The readiness in words, never claiming availability for a site that is not available."""
    if readiness == "ledig_naa" and status != "ledig":
        return str(READY_TO_BUILD_LABEL)
    return label(READINESS_LABELS, readiness)


def public_site(site: dict[str, Any], lang: str) -> dict[str, Any]:
    """The site's public fields plus display labels (raw codes stay for filters and tests)."""
    uses = [c for c in (get_category(key) for key in site.get("uses") or []) if c]
    shown = {key: site.get(key) for key in PUBLIC_FIELDS}
    shown.update(
        # An English page never falls back to the bokmål text.
        description=site.get("description_en" if lang == "en" else "description_nb"),
        zoning_name=site.get("zoning_name_en") if lang == "en" else site.get("zoning_name"),
        # Free text has no English; an English page leaves out what it cannot translate.
        planned_use=planned_use_en(site.get("planned_use")) if lang == "en" else site.get("planned_use"),
        readiness_label=readiness_label(site.get("readiness"), site.get("status")),
        status_label=label(STATUS_LABELS, site.get("status")),
        ownership_label=label(OWNERSHIP_LABELS, site.get("ownership")),
        uses_label=", ".join(c.label(lang) for c in uses) or "–",
        area_label=square_metres(site.get("area_m2")),
        rail_label=metres(site.get("rail_distance_m")),
        road_label=road_access_label(site),
        port_label=(
            f"{site['port_name']}, {metres(site.get('port_distance_m'))}" if site.get("port_name") else None
        ),
        focus_areas=[
            {"id": f["id"], "name": f["name_en" if lang == "en" else "name_nb"]}
            for f in site.get("focus_areas") or []
        ],
        lon=site.get("lon"),
        lat=site.get("lat"),
        url=link("site", lang, site_key=site["site_key"]),
    )
    return shown


def site_feature(site: dict[str, Any], lang: str) -> dict[str, Any]:
    """A GeoJSON feature with the public fields and display labels."""
    shown = public_site(site, lang)
    properties = {key: shown[key] for key in PUBLIC_FIELDS}
    properties["last_verified"] = shown["last_verified"].isoformat() if shown["last_verified"] else None
    properties.update(
        {
            key: shown[key]
            for key in (
                "readiness_label",
                "status_label",
                "area_label",
                "rail_label",
                "road_label",
                "port_label",
                "uses_label",
                "url",
            )
        }
    )
    properties["focus_areas"] = [f["name"] for f in shown["focus_areas"]]
    return {
        "type": "Feature",
        "id": site["site_key"],
        "geometry": site.get("geometry"),
        "properties": properties,
    }
