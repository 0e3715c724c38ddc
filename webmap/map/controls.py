"""The configuration of the map's controls: translated strings, legend and search endpoints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import pgettext

from gis.config import KommuneConfig
from layers import Layer

ADDRESS_SEARCH_URL = "https://ws.geonorge.no/adresser/v1/sok"
PLACE_SEARCH_URL = "https://ws.geonorge.no/stedsnavn/v1/navn"


def control_strings() -> dict[str, str]:
    """Every text the controls show, in the request's language."""
    return {
        "legend": _("Tegnforklaring"),
        "layers": _("Kartlag"),
        # With a context: the planner's "Søk" (a count of searches) is another word in English.
        "search": pgettext("kartsøk", "Søk"),
        "searchLabel": _("Søk etter adresse eller stedsnavn"),
        "searchPlaceholder": _("Adresse eller sted"),
        "searchResults": _("Søkeresultater"),
        "searching": _("Søker …"),
        "searchFound": _("{n} treff"),
        "searchNone": _("Ingen treff. Prøv et annet navn eller en annen adresse."),
        "searchTooShort": _("Skriv minst to tegn."),
        "searchFailed": _("Søket er ikke tilgjengelig akkurat nå."),
        "kindAddress": _("adresse"),
        "kindPlace": _("stedsnavn"),
        "kindSite": _("næringsareal"),
        "kindCentre": _("senter"),
        "kindTettsted": _("tettsted"),
        "kindStop": _("stasjon eller holdeplass"),
        "kindFocusArea": _("fokusområde"),
        "searchNationalFailed": _(
            "Kartverkets adresse- og stedsnavnsøk svarer ikke; treffene er fra kartets egne data."
        ),
        "fullscreen": _("Fullskjerm"),
        "fullscreenExit": _("Avslutt fullskjerm"),
        "locate": _("Vis min posisjon"),
        "locatePopup": _("Du er innenfor {distance} {unit} fra dette punktet"),
        "measureOn": _("Mål avstand"),
        "measureOff": _("Avslutt måling"),
        "measureClear": _("Fjern målinger"),
    }


def legend(layers: Sequence[Layer], lang: str) -> list[dict[str, Any]]:
    """Per layer: its title, legend rows (label, fill, stroke, pattern) and zoom range note."""
    rows = []
    for layer in layers:
        if not layer.legend:
            continue
        note = ""
        if layer.min_zoom > 0:
            note = _("Vises fra zoomnivå %(zoom)s.", zoom=layer.min_zoom)
        rows.append(
            {
                "id": layer.id,
                "title": layer.title(lang),
                "zoomNote": note,
                "entries": [
                    {
                        "label": entry.label(lang),
                        "fill": entry.fill,
                        "stroke": entry.stroke,
                        "pattern": entry.pattern,
                    }
                    for entry in layer.legend
                ],
            }
        )
    return rows


def controls_config(layers: Sequence[Layer], lang: str, kommune: KommuneConfig) -> dict[str, Any]:
    """What Naeringskart.controls needs."""
    return {
        "lang": lang,
        "strings": control_strings(),
        "legend": legend(layers, lang),
        "search": {
            "addressUrl": ADDRESS_SEARCH_URL,
            "placeUrl": PLACE_SEARCH_URL,
            "ownUrl": url_for("search.search"),
            "kommunenummer": kommune.kommunenummer,
        },
        "siteLayer": "sites",
        "siteKey": "site_key",
    }
