"""Bulk upload pages: upload (with progress), preview, apply in one transaction."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import abort, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from webmap.database import connection
from webmap.planner import planner_url
from webmap.planner.blueprint import bp
from webmap.planner.bulk import (
    SHEET_SUFFIXES,
    VECTOR_SUFFIXES,
    UploadError,
    apply,
    discard,
    get_upload,
    preview,
    read_upload,
    summary,
)
from webmap.planner.context import actor, rules

MAX_UPLOAD_BYTES = 50 << 20


def _wants_json() -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


@bp.get("/opplasting")
def upload_form() -> str:
    """The upload form."""
    return render_template("planner/upload.html", error="",
                           accept=",".join((*VECTOR_SUFFIXES, *SHEET_SUFFIXES)))


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
                epsg, rows = read_upload(path)
                with connection() as conn:
                    preview_id = preview(conn, actor(), uploaded.filename, epsg, rows, rules())
            except UploadError as exc:
                error = without_server_paths(str(exc), path, uploaded.filename)
    if error:
        if _wants_json():
            return jsonify({"error": error}), 422
        return render_template("planner/upload.html", error=error,
                               accept=",".join((*VECTOR_SUFFIXES, *SHEET_SUFFIXES))), 422
    target = planner_url("upload_preview", upload_id=preview_id)
    if _wants_json():
        return jsonify({"preview_url": target})
    return redirect(target)


@bp.get("/opplasting/<int:upload_id>")
def upload_preview(upload_id: int) -> str:
    """New, changed, unchanged and rejected rows, with reasons."""
    with connection() as conn:
        upload = get_upload(conn, upload_id)
    if upload is None:
        abort(404)
    return render_template("planner/upload_preview.html", upload=upload,
                           counts=summary(upload["rows"]))


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
                               counts=summary(upload["rows"]), error=str(exc)), 409
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
