"""Public JSON of published premises (ledige lokaler) for the investor pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from werkzeug.wrappers import Response

from gis.numbers import record_id
from gis.planner.premises import published_premises
from webmap.database import connection

bp = Blueprint("premises_api", __name__, url_prefix="/api")


@bp.get("/premises")
def premises() -> Response:
    """Published premises; ?site=<id> for those on one site."""
    raw = request.args.get("site")
    try:
        site_id = record_id(raw) if raw else None
    except ValueError:
        abort(400, description="site must be a whole number")
    with connection() as conn:
        rows = published_premises(conn, site_id=site_id)
    for row in rows:
        if row["available_from"] is not None:
            row["available_from"] = row["available_from"].isoformat()
    return jsonify({"premises": rows})


OPENAPI: dict[str, Any] = {
    "tags": [{"name": "premises", "description": "Available premises (ledige lokaler) in buildings."}],
    "paths": {
        "/api/premises": {
            "get": {
                "tags": ["premises"],
                "summary": "Published available premises, optionally those on one site",
                "operationId": "listPremises",
                "parameters": [{"name": "site", "in": "query", "required": False,
                                "schema": {"type": "integer"}}],
                "responses": {
                    "200": {"description": "Premises.", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["premises"],
                        "properties": {"premises": {"type": "array", "items": {
                            "type": "object",
                            "required": ["id", "address", "floor_area_m2", "use"],
                            "properties": {
                                "id": {"type": "integer"}, "address": {"type": "string"},
                                "floor_area_m2": {"type": "number"}, "use": {"type": "string"},
                                "available_from": {"type": ["string", "null"], "format": "date"},
                                "rent_level": {"type": ["string", "null"]},
                                "contact_name": {"type": ["string", "null"]},
                                "contact_email": {"type": ["string", "null"]},
                                "contact_phone": {"type": ["string", "null"]},
                                "site_id": {"type": ["integer", "null"]},
                                "building_id": {"type": ["integer", "null"]},
                                "lon": {"type": ["number", "null"]},
                                "lat": {"type": ["number", "null"]},
                            }}}}}}}},
                    "400": {"description": "Bad site id.", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Problem"}}}},
                },
            },
        },
    },
}
