"""Public JSON of published premises (ledige lokaler) for the investor pages."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from werkzeug.wrappers import Response

from webmap.database import connection
from webmap.planner.premises import published_premises

bp = Blueprint("premises_api", __name__, url_prefix="/api")


@bp.get("/premises")
def premises() -> Response:
    """Published premises; ?site=<id> for those on one site."""
    raw = request.args.get("site")
    try:
        site_id = int(raw) if raw else None
    except ValueError:
        abort(400, description="site must be a whole number")
    with connection() as conn:
        rows = published_premises(conn, site_id=site_id)
    for row in rows:
        if row["available_from"] is not None:
            row["available_from"] = row["available_from"].isoformat()
    return jsonify({"premises": rows})
