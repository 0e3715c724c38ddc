"""Site pages: the editing map, one site's form and history, restore and verify."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gis.investor.categories import zoning_name
from gis.planner.site_history import history
from gis.planner.site_rules import TRANSITIONS, SiteError
from gis.planner.sites import (
    Conflict,
    SiteNotFound,
    archive_site,
    get_site,
    restore_version,
    update_site,
    verify_site,
)
from gis.sites import EDITABLE, STATUSES
from layers import get_layer
from webmap.database import connection, get_settings
from webmap.i18n import current_language
from webmap.investor.presenting import OWNERSHIP_LABELS, READINESS_LABELS
from webmap.map.builder import layer_options
from webmap.planner import planner_url
from webmap.planner.blueprint import bp
from webmap.planner.context import actor, rules
from webmap.planner.labels import (
    actor_label,
    labelled_diff,
    operation_label,
    readable_changes,
)
from webmap.planner.wording import all_words, words
from webmap.tiles.pools import with_tile_connection
from webmap.tiles.versions import layer_versions, tile_url_template


def status_label(status: str) -> str:
    """The status in the page's language."""
    labels = {"ledig": _("Ledig"), "reservert": _("Reservert"),
              "under_utbygging": _("Under utbygging"), "utbygd": _("Utbygd"),
              "trukket_tilbake": _("Trukket tilbake")}
    return labels.get(status, status)


@bp.app_template_filter("site_status")
def site_status_filter(status: str) -> str:
    """Jinja: {{ site.status|site_status }}."""
    return status_label(status)


# Drawn under the sites while editing: what the land is zoned for, farmland, buildings.
REFERENCE_LAYERS = ("zoning", "farmland", "buildings")


def reference_layers(lang: str) -> list[dict[str, Any]]:
    """The reference layers' options for static/js/naeringskart.js (vector tiles, no popups:
    a click on the map belongs to the drawing tools)."""
    versions = with_tile_connection(layer_versions)
    options = []
    for layer_id in REFERENCE_LAYERS:
        if layer_id not in versions:
            continue
        layer = get_layer(layer_id)
        options.append({**layer_options(layer, tile_url_template(layer_id, versions[layer_id]), lang),
                        "popup": [], "maxNativeZoom": min(layer.max_zoom, 18)})
    return options


@bp.get("/kart")
def editor() -> str:
    """The editing map (Leaflet-Geoman) over the reference layers."""
    kommune = get_settings().kommune
    transitions = {status: [status, *sorted(TRANSITIONS[status], key=STATUSES.index)]
                   for status in STATUSES}
    return render_template("planner/editor.html", kommune=kommune, statuses=STATUSES,
                           api_root=url_for("planner_api.sites"), transitions=transitions,
                           status_labels={s: status_label(s) for s in STATUSES},
                           reference_layers=reference_layers(current_language()))


def _site_page(site_id: int, *, status: int = 200, problems: list[str] | None = None,
               conflict: Conflict | None = None, form: dict[str, Any] | None = None
               ) -> tuple[str, int]:
    with connection() as conn:
        try:
            site = get_site(conn, site_id)
        except SiteNotFound:
            abort(404)
        versions = history(conn, site_id)
    for version in versions:
        version["readable"] = readable_changes(version["before"], version["after"])
        version["operation_label"] = operation_label(version["operation"])
        version["actor_label"] = actor_label(version["changed_by"])
    allowed = [site["status"], *sorted(TRANSITIONS[site["status"]], key=STATUSES.index)]
    return render_template("planner/site.html", site=site, versions=versions,
                           readiness_labels={k: str(v) for k, v in READINESS_LABELS.items()},
                           ownership_labels={k: str(v) for k, v in OWNERSHIP_LABELS.items()},
                           zoning_name=zoning_name(site["zoning_code"]),
                           site_actor=actor_label(site["updated_by"]),
                           allowed_statuses=allowed, problems=problems or [], conflict=conflict,
                           conflict_message=words(conflict.message()) if conflict else "",
                           form=form or {},
                           conflict_changes=labelled_diff(conflict.changes) if conflict else []
                           ), status


@bp.get("/arealer/<int:site_id>")
def site_page(site_id: int) -> tuple[str, int]:
    """A site's attributes (editable) and its whole history."""
    return _site_page(site_id)


def _expected_version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        abort(400, description="version missing")


@bp.post("/arealer/<int:site_id>")
def site_save(site_id: int) -> Response | tuple[str, int]:
    """Save the attribute form; refused when someone saved in between."""
    values: dict[str, Any] = {key: request.form.get(key) for key in EDITABLE if key in request.form}
    values["published"] = request.form.get("published") == "on"
    try:
        with connection() as conn:
            update_site(conn, actor(), site_id, _expected_version(), values, None, rules())
    except SiteNotFound:
        abort(404)
    except Conflict as conflict:
        return _site_page(site_id, status=409, conflict=conflict)
    except SiteError as error:
        return _site_page(site_id, status=422, problems=all_words(error.problems), form=values)
    flash(_("Endringene er lagret som en ny versjon."), "info")
    return redirect(planner_url("site_page", site_id=site_id))


@bp.post("/arealer/<int:site_id>/gjenopprett")
def site_restore(site_id: int) -> Response | tuple[str, int]:
    """Restore an earlier version (as a new version)."""
    try:
        version = int(request.form.get("restore", ""))
    except ValueError:
        abort(400, description="restore version missing")
    try:
        with connection() as conn:
            restore_version(conn, actor(), site_id, version, _expected_version())
    except SiteNotFound:
        abort(404)
    except Conflict as conflict:
        return _site_page(site_id, status=409, conflict=conflict)
    except SiteError as error:
        return _site_page(site_id, status=422, problems=all_words(error.problems))
    flash(_("Versjon %(version)s er gjenopprettet som en ny versjon.", version=version), "info")
    return redirect(planner_url("site_page", site_id=site_id))


@bp.post("/arealer/<int:site_id>/verifiser")
def site_verify(site_id: int) -> Response:
    """Confirm the entry as correct today."""
    try:
        with connection() as conn:
            verify_site(conn, actor(), site_id)
    except SiteNotFound:
        abort(404)
    flash(_("Arealet er merket som verifisert i dag."), "info")
    target = request.form.get("back")
    return redirect(planner_url("dashboard") if target == "dashboard"
                    else planner_url("site_page", site_id=site_id))


@bp.post("/arealer/<int:site_id>/arkiver")
def site_archive(site_id: int) -> Response | tuple[str, int]:
    """Take the site out of the register (kept in the history, restorable)."""
    try:
        with connection() as conn:
            archive_site(conn, actor(), site_id, _expected_version(),
                         request.form.get("reason") or _("arkivert av planlegger"))
    except SiteNotFound:
        abort(404)
    except Conflict as conflict:
        return _site_page(site_id, status=409, conflict=conflict)
    flash(_("Arealet er arkivert; det kan gjenopprettes fra historikken."), "info")
    return redirect(planner_url("site_page", site_id=site_id))
