"""Site pages: the editing map, one site's form and history, restore and verify."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from webmap.database import connection, get_settings
from webmap.planner import planner_url
from webmap.planner.blueprint import bp
from webmap.planner.context import actor, rules
from webmap.planner.labels import (
    actor_label,
    labelled_diff,
    operation_label,
    readable_changes,
)
from webmap.planner.sites import (
    EDITABLE,
    STATUSES,
    TRANSITIONS,
    Conflict,
    SiteError,
    SiteNotFound,
    archive_site,
    get_site,
    history,
    restore_version,
    update_site,
    verify_site,
)


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


@bp.get("/kart")
def editor() -> str:
    """The editing map (Leaflet-Geoman)."""
    kommune = get_settings().kommune
    return render_template("planner/editor.html", kommune=kommune, statuses=STATUSES,
                           api_root=url_for("planner_api.sites"))


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
                           allowed_statuses=allowed, problems=problems or [], conflict=conflict,
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
        return _site_page(site_id, status=422, problems=error.problems, form=values)
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
        return _site_page(site_id, status=422, problems=error.problems)
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
