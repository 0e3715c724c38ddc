"""Language of a request: bokmål at /, English under /en/."""

from __future__ import annotations

from flask import request

LANGUAGES = ("nb", "en")

UI_TEXT: dict[str, dict[str, str]] = {
    "site_title": {"nb": "Næringskart", "en": "Næringskart"},
    "tagline": {"nb": "Næringsarealer og senterstruktur", "en": "Business land and centres"},
    "fictional_notice": {
        "nb": "Demodata: alle næringsarealer, kontakter og tall merket fiktive er oppdiktet.",
        "en": "Demo data: all business sites, contacts and figures marked fictional are invented.",
    },
    "map_label": {"nb": "Kart over næringsarealer", "en": "Map of business sites"},
    "skip_to_map": {"nb": "Hopp til kartet", "en": "Skip to the map"},
    "basemap_offline": {
        "nb": "Bakgrunnskartet er ikke tilgjengelig; kartlagene vises likevel.",
        "en": "The basemap is unavailable; the map layers are still shown.",
    },
    "other_language": {"nb": "English", "en": "Norsk (bokmål)"},
    "layers_heading": {"nb": "Kartlag og kilder", "en": "Layers and sources"},
}


def current_language() -> str:
    """'en' under /en/, else 'nb'."""
    return "en" if request.path == "/en" or request.path.startswith("/en/") else "nb"


def text(key: str, lang: str) -> str:
    """A UI string in the given language."""
    return UI_TEXT[key][lang]
