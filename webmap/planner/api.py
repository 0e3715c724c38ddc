"""The planner JSON API used by the editing map (401 for anyone not signed in)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gis.planner.site_history import history
from gis.planner.site_rules import SiteError
from gis.planner.sites import (
    Conflict,
    SiteNotFound,
    archive_site,
    create_site,
    get_site,
    list_sites,
    merge_sites,
    restore_version,
    split_site,
    update_site,
    verify_site,
)
from webmap.auth import require_planner
from webmap.database import connection
from webmap.planner.blueprint import no_store
from webmap.planner.context import actor, rules
from webmap.planner.labels import labelled_diff
from webmap.planner.wording import all_words, words

bp = Blueprint("planner_api", __name__, url_prefix="/api/planner")
bp.before_request(require_planner)
bp.after_request(no_store)


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="a JSON object is expected")
    return data


def _version(data: dict[str, Any]) -> int:
    try:
        return int(data["version"])
    except (KeyError, TypeError, ValueError):
        abort(400, description="version (the version you started from) is required")


def _conflict(conflict: Conflict) -> tuple[Response, int]:
    return jsonify(
        {
            "status": 409,
            "title": "Conflict",
            "detail": words(conflict.message()),
            "current_version": conflict.current_version,
            "changed_by": conflict.changed_by,
            "changes": conflict.changes,
            "labelled_changes": labelled_diff(conflict.changes),
        }
    ), 409


def _problems(error: SiteError) -> tuple[Response, int]:
    problems = all_words(error.problems)
    return jsonify(
        {"status": 422, "title": "Unprocessable", "detail": "; ".join(problems), "problems": problems}
    ), 422


def _serialisable(site: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (
            value.isoformat()
            if hasattr(value, "isoformat")
            else float(value)
            if key in ("area_m2", "geom_area_m2") and value is not None
            else value
        )
        for key, value in site.items()
    }


@bp.get("/sites")
def sites() -> Response:
    """Every site in the register (published or not) as GeoJSON."""
    with connection() as conn:
        return jsonify(list_sites(conn, include_archived=request.args.get("archived") == "1"))


@bp.post("/sites")
def create() -> tuple[Response, int]:
    """A new site from a drawn polygon and its attributes."""
    data = _body()
    try:
        with connection() as conn:
            site_id = create_site(
                conn,
                actor(),
                data.get("values") or {},
                data.get("geometry") or {},
                rules(),
            )
            site = get_site(conn, site_id)
    except SiteError as error:
        return _problems(error)
    return jsonify(_serialisable(site)), 201


@bp.get("/sites/<int:site_id>")
def site(site_id: int) -> Response:
    """One site."""
    try:
        with connection() as conn:
            return jsonify(_serialisable(get_site(conn, site_id)))
    except SiteNotFound:
        abort(404, description=f"no site {site_id}")


def _write(site_id: int, action: Any) -> Response | tuple[Response, int]:
    try:
        with connection() as conn:
            action(conn)
            return jsonify(_serialisable(get_site(conn, site_id)))
    except SiteNotFound:
        abort(404, description=f"no site {site_id}")
    except Conflict as conflict:
        return _conflict(conflict)
    except SiteError as error:
        return _problems(error)


@bp.patch("/sites/<int:site_id>")
def update(site_id: int) -> Response | tuple[Response, int]:
    """Change attributes and/or the polygon; `version` guards against lost updates."""
    data = _body()
    version = _version(data)
    return _write(
        site_id,
        lambda conn: update_site(
            conn,
            actor(),
            site_id,
            version,
            data.get("values") or {},
            data.get("geometry"),
            rules(),
        ),
    )


@bp.post("/sites/<int:site_id>/verify")
def verify(site_id: int) -> Response | tuple[Response, int]:
    """Confirm the entry as correct today."""
    return _write(site_id, lambda conn: verify_site(conn, actor(), site_id))


@bp.post("/sites/<int:site_id>/archive")
def archive(site_id: int) -> Response | tuple[Response, int]:
    """Take the site out of the register (kept in the history)."""
    data = _body()
    version = _version(data)
    return _write(
        site_id,
        lambda conn: archive_site(conn, actor(), site_id, version, str(data.get("reason") or "arkivert")),
    )


@bp.post("/sites/<int:site_id>/restore")
def restore(site_id: int) -> Response | tuple[Response, int]:
    """Restore an earlier version as a new version."""
    data = _body()
    version = _version(data)
    try:
        target = int(data["restore"])
    except (KeyError, TypeError, ValueError):
        abort(400, description="restore (the version to bring back) is required")
    return _write(site_id, lambda conn: restore_version(conn, actor(), site_id, target, version))


@bp.get("/sites/<int:site_id>/history")
def site_history(site_id: int) -> Response:
    """Every version of the site, newest first."""
    with connection() as conn:
        rows = history(conn, site_id)
    if not rows:
        abort(404, description=f"no site {site_id}")
    return jsonify([{**row, "changed_at": row["changed_at"].isoformat()} for row in rows])


@bp.post("/sites/<int:site_id>/split")
def split(site_id: int) -> tuple[Response, int]:
    """Cut the site along a drawn line; returns the new sites' ids."""
    data = _body()
    version = _version(data)
    try:
        with connection() as conn:
            ids = split_site(
                conn,
                actor(),
                site_id,
                version,
                data.get("line") or {},
                part_name=_("%(name)s (del %(number)s)"),
                archived_as=_("delt i %(keys)s"),
            )
    except SiteNotFound:
        abort(404, description=f"no site {site_id}")
    except Conflict as conflict:
        return _conflict(conflict)
    except SiteError as error:
        return _problems(error)
    return jsonify({"ids": ids}), 201


@bp.post("/sites/merge")
def merge() -> tuple[Response, int]:
    """Join adjoining sites ({"sites": {"id": version, ...}}) into one new site."""
    data = _body()
    try:
        versions = {int(k): int(v) for k, v in (data.get("sites") or {}).items()}
    except (TypeError, ValueError, AttributeError):
        abort(400, description="sites must map site ids to the versions you started from")
    try:
        with connection() as conn:
            new_id = merge_sites(conn, actor(), versions, archived_as=_("slått sammen til %(id)s"))
    except SiteNotFound as missing:
        abort(404, description=f"no site {missing}")
    except Conflict as conflict:
        return _conflict(conflict)
    except SiteError as error:
        return _problems(error)
    return jsonify({"id": new_id}), 201


def _operation(
    summary: str,
    operation_id: str,
    ok: str,
    *,
    body: bool = False,
    write: bool = False,
    site: bool = True,
    status: str = "200",
) -> dict[str, Any]:
    problem = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    operation: dict[str, Any] = {
        "tags": ["planner"],
        "summary": summary,
        "operationId": operation_id,
        "security": [{"plannerSession": []}],
        "responses": {
            status: {
                "description": ok,
                "content": {"application/json": {"schema": {"type": ["object", "array"]}}},
            },
            "401": {"description": "Not signed in.", **problem},
        },
    }
    if site:
        operation["parameters"] = [
            {"name": "site_id", "in": "path", "required": True, "schema": {"type": "integer"}}
        ]
        operation["responses"]["404"] = {"description": "No such site.", **problem}
    if body or write:
        # Every write is CSRF-checked (400 without a valid token); bodies are checked too.
        operation["responses"]["400"] = {
            "description": "Missing or invalid CSRF token, or a body that is not the expected "
            "JSON object; `detail` says which.",
            **problem,
        }
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
        operation["responses"]["409"] = {"description": "Someone saved first (conflict).", **problem}
        operation["responses"]["422"] = {"description": "Validation problems.", **problem}
    return operation


OPENAPI: dict[str, Any] = {
    "tags": [
        {
            "name": "planner",
            "description": "The planners' register editing API (sign-in "
            "required; CSRF token in X-CSRFToken).",
        }
    ],
    "paths": {
        "/api/planner/sites": {
            "get": _operation(
                "Every site (published or not) as GeoJSON",
                "plannerListSites",
                "FeatureCollection.",
                site=False,
            ),
            "post": _operation(
                "Create a site from a polygon",
                "plannerCreateSite",
                "The site.",
                body=True,
                site=False,
                status="201",
            ),
        },
        "/api/planner/sites/merge": {
            "post": _operation(
                "Merge adjoining sites into one new site",
                "plannerMergeSites",
                "The new site's id.",
                body=True,
                site=False,
                status="201",
            ),
        },
        "/api/planner/sites/{site_id}": {
            "get": _operation("One site", "plannerGetSite", "The site."),
            "patch": _operation(
                "Change attributes and/or the polygon (optimistic locking)",
                "plannerUpdateSite",
                "The saved site.",
                body=True,
            ),
        },
        "/api/planner/sites/{site_id}/history": {
            "get": _operation("Every version of the site", "plannerSiteHistory", "Versions."),
        },
        "/api/planner/sites/{site_id}/verify": {
            "post": _operation(
                "Confirm the entry as correct today", "plannerVerifySite", "The site.", write=True
            ),
        },
        "/api/planner/sites/{site_id}/archive": {
            "post": _operation(
                "Archive the site (kept in the history)", "plannerArchiveSite", "The site.", body=True
            ),
        },
        "/api/planner/sites/{site_id}/restore": {
            "post": _operation(
                "Restore an earlier version as a new version", "plannerRestoreSite", "The site.", body=True
            ),
        },
        "/api/planner/sites/{site_id}/split": {
            "post": _operation(
                "Split the site along a line",
                "plannerSplitSite",
                "The new sites' ids.",
                body=True,
                status="201",
            ),
        },
    },
    "components": {
        "securitySchemes": {
            "plannerSession": {"type": "apiKey", "in": "cookie", "name": "naeringskart_session"}
        }
    },
}
