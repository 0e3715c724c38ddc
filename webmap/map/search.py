"""/api/search: the app's own places by name, for the map's search (which also asks
Kartverket's address and place-name services from the browser)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.wrappers import Response

from gis.placesearch import MAX_HITS, search_places
from webmap.database import read_connection

bp = Blueprint("search", __name__, url_prefix="/api")

OPENAPI: dict[str, Any] = {
    "tags": [{"name": "search", "description": "The app's own places by name."}],
    "paths": {
        "/api/search": {
            "get": {
                "tags": ["search"],
                "summary": "Published sites, centres, tettsteder, stops and focus areas by name",
                "operationId": "searchPlaces",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": False,
                        "description": "Part of a name (or a site key); fewer than two characters "
                        "find nothing.",
                        "schema": {"type": "string", "maxLength": 200},
                    }
                ],
                "responses": {
                    "200": {
                        "description": f"At most {MAX_HITS} places, best first.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/PlaceHits"}}
                        },
                    }
                },
            },
        },
    },
    "components": {
        "schemas": {
            "PlaceHits": {
                "type": "object",
                "required": ["hits"],
                "properties": {
                    "hits": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["kind", "label", "lat", "lon"],
                            "properties": {
                                "kind": {"enum": ["site", "centre", "tettsted", "stop", "focus_area"]},
                                "label": {"type": "string"},
                                "lat": {"type": "number"},
                                "lon": {"type": "number"},
                                "site_key": {"type": ["string", "null"]},
                            },
                        },
                    }
                },
            },
        }
    },
}


@bp.get("/search")
def search() -> Response:
    """Places in our own data whose name contains `q`."""
    query = request.args.get("q", "")[:200]
    with read_connection() as conn:
        hits = search_places(conn, query)
    return jsonify(
        {
            "hits": [
                {"kind": h.kind, "label": h.label, "lat": h.lat, "lon": h.lon, "site_key": h.site_key}
                for h in hits
            ]
        }
    )
