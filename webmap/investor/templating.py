"""Template filters of the investor pages: dates, numbers, distances, utnytting."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from gis.investor.sources import source_title as _source_title
from webmap.i18n import current_language
from webmap.investor import bp
from webmap.investor.presenting import CENTRE_LEVEL_LABELS, label, metres


@bp.app_template_filter("format_date_nk")
def format_date_nk(value: date) -> str:
    """A date in the page's language, e.g. 13. juni 2026."""
    return str(format_date(value, format="long"))


@bp.app_template_filter("number_nk")
def number_nk(value: float | int) -> str:
    """A whole number with thousands separators."""
    return str(format_decimal(round(value)))


@bp.app_template_filter("metres_nk")
def metres_nk(value: float | int | None) -> str:
    """A distance for people."""
    return metres(value)


@bp.app_template_global()
def utnytting_label(kind: int | None, value: float) -> str:
    """Utnytting as planners write it: %-BYA = 60 %, BRA = 4 000 m²."""
    number = format_decimal(value)
    # English readers get the measure's meaning beside the Norwegian abbreviation.
    built, floor = (" (built-up area)", " (floor area)") if current_language() == "en" else ("", "")
    if kind == 15:
        return f"BYA{built} = {number} m²"
    if kind == 16:
        return f"%-BYA{built} = {number} %"
    if kind == 17:
        return f"BRA{floor} = {number} m²"
    if kind == 18:
        return f"%-BRA{floor} = {number} %"
    return _("utnyttingstype %(kind)s: %(value)s", kind=kind if kind is not None else "?", value=number)


@bp.app_template_global()
def centre_level(level: str | None) -> str:
    """A centre's level in the page's language."""
    return label(CENTRE_LEVEL_LABELS, level)


@bp.app_template_global()
def source_title(source: str, lang: str) -> str:
    """A loaded source's name for investors (never its file name)."""
    return _source_title(source, lang)
