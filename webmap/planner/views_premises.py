"""Pages for premises (ledige lokaler) and planned use."""

from __future__ import annotations

import math

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gis.numbers import record_id
from gis.planner.picker import (
    building_number_of,
    buildings_in,
    resolve_building,
    search_buildings,
    site_choices,
)
from gis.planner.premises import (
    PremisesError,
    add_planned_use,
    archive_premises,
    get_premises,
    list_planned_use,
    list_premises,
    save_premises,
    verify_premises,
)
from webmap.database import connection, get_settings
from webmap.planner import planner_url
from webmap.planner.blueprint import bp
from webmap.planner.context import actor
from webmap.planner.wording import all_words


def _page(status: int = 200, problems: list[str] | None = None, edit: dict | None = None,
          form: dict | None = None) -> tuple[str, int]:
    with connection() as conn:
        rows = list_premises(conn)
        planned = list_planned_use(conn)
        sites = site_choices(conn)
        if edit is not None:
            edit = {**edit, "building_number": building_number_of(conn, edit.get("building_id"))}
    return render_template("planner/premises.html", premises=rows, planned=planned,
                           problems=problems or [], edit=edit, form=form or {}, sites=sites,
                           sites_api=url_for("planner_api.sites"),
                           kommune=get_settings().kommune), status


@bp.get("/lokaler/bygninger")
def premises_buildings() -> Response | tuple[Response, int]:
    """Building points in the map's view (bbox=west,south,east,north in lon/lat)."""
    try:
        west, south, east, north = (float(v) for v in request.args.get("bbox", "").split(","))
    except ValueError:
        return jsonify({"error": "bbox=west,south,east,north"}), 400
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return jsonify({"error": "bbox=west,south,east,north"}), 400
    with connection() as conn:
        return jsonify(buildings_in(conn, (west, south, east, north)))


@bp.get("/lokaler/bygninger/sok")
def premises_building_search() -> Response:
    """Buildings whose bygningsnummer starts with q."""
    with connection() as conn:
        return jsonify(search_buildings(conn, request.args.get("q", "")[:40]))


@bp.get("/lokaler")
def premises() -> tuple[str, int]:
    """Premises and planned uses, with forms to add them."""
    edit = None
    wanted = request.args.get("rediger") or request.args.get("edit")
    if wanted:
        try:
            premises_id = record_id(wanted)
        except ValueError:
            abort(404)
        with connection() as conn:
            edit = get_premises(conn, premises_id)
    return _page(edit=edit)


@bp.post("/lokaler")
def premises_save() -> Response | tuple[str, int]:
    """Create or update premises."""
    raw_id = request.form.get("id")
    values = request.form.to_dict()
    try:
        with connection() as conn:
            problems = resolve_building(conn, values)
            if problems:
                raise PremisesError(problems)
            save_premises(conn, actor(), values, record_id(raw_id) if raw_id else None)
    except PremisesError as error:
        return _page(422, all_words(error.problems), form=request.form.to_dict())
    flash(_("Lokalet er lagret."), "info")
    return redirect(planner_url("premises"))


@bp.post("/lokaler/<int:premises_id>/verifiser")
def premises_verify(premises_id: int) -> Response:
    """Confirm premises as still available."""
    with connection() as conn:
        if not verify_premises(conn, premises_id):
            abort(404)
    flash(_("Lokalet er merket som verifisert i dag."), "info")
    return redirect(planner_url("dashboard") if request.form.get("back") == "dashboard"
                    else planner_url("premises"))


@bp.post("/lokaler/<int:premises_id>/arkiver")
def premises_archive(premises_id: int) -> Response:
    """Take premises off the list."""
    with connection() as conn:
        if not archive_premises(conn, premises_id):
            abort(404)
    flash(_("Lokalet er fjernet fra listen (det er ikke slettet)."), "info")
    return redirect(planner_url("premises"))


@bp.post("/planlagt-bruk")
def planned_use_add() -> Response | tuple[str, int]:
    """Mark a building or an area with planned use and a horizon."""
    values = request.form.to_dict()
    try:
        with connection() as conn:
            problems = resolve_building(conn, values)
            if problems:
                raise PremisesError(problems)
            add_planned_use(conn, actor(), values)
    except PremisesError as error:
        return _page(422, all_words(error.problems), form=request.form.to_dict())
    flash(_("Planlagt bruk er lagret."), "info")
    return redirect(planner_url("premises"))
