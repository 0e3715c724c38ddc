"""What planners read instead of column names and codes: field labels, code labels and the
history's entries in the page's language."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from gis.investor.categories import zoning_name
from gis.planner.site_history import recorded_action
from webmap.investor.presenting import OWNERSHIP_LABELS, READINESS_LABELS, STATUS_LABELS

# The site's fields as the forms name them; a column missing here is bookkeeping (ids, keys,
# timestamps, derived classes) and stays out of the history.
FIELD_LABELS = {
    "name": _l("Navn"),
    "area_m2": _l("Areal (m²)"),
    "geom": _l("Omriss"),
    "status": _l("Status"),
    "readiness": _l("Byggeklar"),
    "planned_use": _l("Planlagt bruk"),
    "zoning_code": _l("Reguleringsformål"),
    "ownership": _l("Eierskap"),
    "tettsted": _l("Tettsted"),
    "contact_name": _l("Kontaktperson"),
    "contact_email": _l("E-post"),
    "contact_phone": _l("Telefon"),
    "contact_public": _l("Kontakt vises offentlig"),
    "description_nb": _l("Beskrivelse (bokmål)"),
    "description_en": _l("Beskrivelse (engelsk)"),
    "planner_note": _l("Intern merknad"),
    "published": _l("Publisert for investorer"),
    "last_verified": _l("Sist verifisert"),
    "archived_at": _l("Arkivert"),
    "archived_reason": _l("Grunn til arkivering"),
}
# Fields shown in this order in a history entry (the form's order).
FIELD_ORDER = tuple(FIELD_LABELS)


def code_label(labels: dict[str, Any], value: object) -> str:
    """A code's label, the code itself when unknown, an en dash when empty."""
    if value in (None, ""):
        return "–"
    return str(labels.get(str(value), value))


def zoning_label(code: object) -> str:
    """'1310 Kontor': the code and its official name (the code alone when unknown)."""
    if code in (None, ""):
        return "–"
    name = zoning_name(str(code))
    return f"{code} {name}" if name else str(code)


def value_label(field: str, value: object) -> str:
    """A field's value as a planner reads it."""
    if value is None or value == "":
        return "–"
    if field == "status":
        return code_label(STATUS_LABELS, value)
    if field == "readiness":
        return code_label(READINESS_LABELS, value)
    if field == "ownership":
        return code_label(OWNERSHIP_LABELS, value)
    if field == "zoning_code":
        return zoning_label(value)
    if isinstance(value, bool):
        return _("Ja") if value else _("Nei")
    if field == "area_m2":
        return f"{format_decimal(round(float(str(value))))} m²"
    if field == "archived_at":
        text = str(value)
        return text[:16].replace("T", " ") if isinstance(value, str) else text
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _outline(snapshot: dict[str, Any] | None) -> str:
    if not snapshot or snapshot.get("geom_area_m2") is None:
        return "–"
    return _("tegnet, %(area)s m²", area=format_decimal(round(float(snapshot["geom_area_m2"]))))


def readable_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, str]]:
    """The labelled fields that differ between two snapshots, in the form's order."""
    old, new = before or {}, after or {}
    rows = []
    for field in FIELD_ORDER:
        if old.get(field) == new.get(field):
            continue
        if field == "geom":
            shown = (_outline(before), _outline(after))
        else:
            shown = (value_label(field, old.get(field)), value_label(field, new.get(field)))
        if before is None and shown[1] == "–":
            continue
        rows.append(
            {"field": field, "label": str(FIELD_LABELS[field]), "before": shown[0], "after": shown[1]}
        )
    return rows



def operation_label(operation: str) -> str:
    """What happened in a version, in words (the trigger records SQL verbs for other writers)."""
    fixed = {
        "insert": _("Opprettet"),
        "opprettet": _("Opprettet"),
        "update": _("Endret"),
        "endret": _("Endret"),
        "delete": _("Slettet"),
        "verifisert": _("Verifisert"),
        "arkivert": _("Arkivert"),
        "innlasting": _("Endret ved innlasting"),
    }
    if operation in fixed:
        return fixed[operation]
    recorded = recorded_action(operation)
    if recorded is None:
        return operation
    kind, named = recorded
    if kind == "restored":
        return _("Versjon %(version)s gjenopprettet", version=named)
    if kind == "split":
        return _("Delt fra %(key)s", key=named)
    return _("Slått sammen av %(keys)s", keys=named)


_LOAD = re.compile(r"innlasting (\d+)$")


def actor_label(actor: str | None) -> str:
    """Who made a version: a planner's name, an import, or the database set-up."""
    if not actor:
        return "–"
    if match := _LOAD.match(actor):
        return _("innlasting %(run)s", run=match.group(1))
    if actor == "migrering":
        return _("databaseoppsett")
    return actor


def labelled_diff(changes: list[dict[str, Any]]) -> list[dict[str, str]]:
    """A raw field diff (a save conflict's) with labels; bookkeeping fields left out."""
    rows = []
    for change in changes:
        field = change["field"]
        if field not in FIELD_LABELS:
            continue
        if field == "geom":
            shown = (_("tidligere omriss"), _("nytt omriss"))
        else:
            shown = (value_label(field, change["before"]), value_label(field, change["after"]))
        rows.append(
            {"field": field, "label": str(FIELD_LABELS[field]), "before": shown[0], "after": shown[1]}
        )
    return sorted(rows, key=lambda row: FIELD_ORDER.index(row["field"]))
