"""Bulk upload pages: upload (with progress), preview, apply in one transaction."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, send_file
from flask_babel import gettext as _
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from etl.demo_data import DEMO_DIR
from gis.planner.bulk import UploadError, apply, discard, get_upload, preview, summary
from webmap.database import connection
from webmap.planner import planner_url
from webmap.planner.blueprint import bp
from webmap.planner.context import actor, rules
from webmap.planner.labels import FIELD_LABELS, value_label
from webmap.planner.upload_file import SHEET_SUFFIXES, VECTOR_SUFFIXES, read_upload
from webmap.planner.wording import stored_words, words

MAX_UPLOAD_BYTES = 50 << 20
# The spreadsheet template with the demo's example rows (the columns `naeringskart load sites` reads).
TEMPLATE_FILES = {"csv": DEMO_DIR / "sites_template.csv", "xlsx": DEMO_DIR / "sites_template.xlsx"}


@bp.app_template_filter("upload_reason")
def upload_reason_filter(stored: dict[str, object] | str) -> str:
    """Jinja: a preview row's rejection reason in the page's language."""
    return stored_words(stored)


@bp.app_template_filter("field_label")
def field_label_filter(field: str) -> str:
    """Jinja: a site column as the forms name it."""
    return str(FIELD_LABELS.get(field, field))


@bp.app_template_global("field_value")
def field_value(field: str, value: object) -> str:
    """Jinja: a site value as a planner reads it (code labels, Ja/Nei, m²)."""
    return value_label(field, value)


@bp.get("/opplasting/mal.<kind>")
def upload_template(kind: str) -> Response:
    """The spreadsheet template to fill in (mal.xlsx or mal.csv)."""
    if kind not in TEMPLATE_FILES:
        abort(404)
    return send_file(TEMPLATE_FILES[kind], as_attachment=True,
                     download_name=f"naeringsarealer-mal.{kind}")


def _wants_json() -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


@bp.get("/opplasting")
def upload_form() -> str:
    """The upload form."""
    return render_template("planner/upload.html", error="",
                           accept=",".join((*VECTOR_SUFFIXES, *SHEET_SUFFIXES)),
                           storage_srid=rules().storage_srid)


def without_server_paths(message: str, saved: Path, original: str) -> str:
    """The error as the planner should read it: their file's name, never our temp folder."""
    message = message.replace(str(saved), original)
    if message.startswith(f"{saved.name}:"):
        message = original + message[len(saved.name):]
    return message.replace(str(saved.parent), "").replace(tempfile.gettempdir(), "")


@bp.post("/opplasting")
def upload() -> Response | tuple[str, int] | tuple[Response, int]:
    """Read the file and store a preview; JSON for the page's script, a redirect otherwise."""
    if (request.content_length or 0) > MAX_UPLOAD_BYTES:
        abort(413, description="file too large (50 MB at most)")
    uploaded = request.files.get("file")
    error = ""
    preview_id = None
    if uploaded is None or not uploaded.filename:
        error = _("Velg en fil å laste opp.")
    else:
        name = secure_filename(uploaded.filename) or "opplasting"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            uploaded.save(path)
            try:
                geometry_rules = rules()
                epsg, rows = read_upload(path, geometry_rules.storage_srid)
                with connection() as conn:
                    preview_id = preview(conn, actor(), uploaded.filename, epsg, rows,
                                         geometry_rules)
            except UploadError as exc:
                error = without_server_paths(words(exc.message), path, uploaded.filename)
    if error:
        if _wants_json():
            return jsonify({"error": error}), 422
        return render_template("planner/upload.html", error=error,
                               accept=",".join((*VECTOR_SUFFIXES, *SHEET_SUFFIXES)),
                               storage_srid=rules().storage_srid), 422
    target = planner_url("upload_preview", upload_id=preview_id)
    if _wants_json():
        return jsonify({"preview_url": target})
    return redirect(target)


def preview_features(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The rows with a geometry as lon/lat GeoJSON for the preview map."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": row["geojson"],
         "properties": {"row": row["row"], "name": row.get("name") or row.get("site_key") or "",
                        "kind": row["kind"], "approximate": bool(row.get("approximate"))}}
        for row in rows if row.get("geojson")]}


@bp.get("/opplasting/<int:upload_id>")
def upload_preview(upload_id: int) -> str:
    """New, changed, unchanged and rejected rows, with reasons."""
    with connection() as conn:
        upload = get_upload(conn, upload_id)
    if upload is None:
        abort(404)
    return render_template("planner/upload_preview.html", upload=upload,
                           counts=summary(upload["rows"]), features=preview_features(upload["rows"]))


@bp.post("/opplasting/<int:upload_id>/bruk")
def upload_apply(upload_id: int) -> Response | tuple[str, int]:
    """Apply every row in one transaction, or nothing."""
    try:
        with connection() as conn:
            counts = apply(conn, actor(), upload_id)
    except UploadError as exc:
        with connection() as conn:
            upload = get_upload(conn, upload_id)
        if upload is None:
            abort(404)
        return render_template("planner/upload_preview.html", upload=upload,
                               counts=summary(upload["rows"]), error=words(exc.message),
                               features=preview_features(upload["rows"])), 409
    flash(_("Opplastingen er brukt: %(new)s nye og %(changed)s endrede arealer.",
            new=counts["new"], changed=counts["changed"]), "info")
    return redirect(planner_url("dashboard"))


@bp.post("/opplasting/<int:upload_id>/forkast")
def upload_discard(upload_id: int) -> Response:
    """Throw the preview away."""
    with connection() as conn:
        discard(conn, upload_id)
    flash(_("Forhåndsvisningen er forkastet."), "info")
    return redirect(planner_url("upload_form"))
