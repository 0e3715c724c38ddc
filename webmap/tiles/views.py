"""/tiles/<layer>/<z>/<x>/<y>.mvt: the Flask view (for what the fast path hands on) and its
OpenAPI part."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, request
from werkzeug.wrappers import Response

from webmap.tiles.cache import tile_cache
from webmap.tiles.pools import replica_tile_pools, tile_pool
from webmap.tiles.reply import MVT_MIMETYPE, TileRequestError, find_source, tile_reply

bp = Blueprint("tiles", __name__, url_prefix="/tiles")


@bp.get("/<layer_id>/<int:z>/<int:x>/<int:y>.mvt")
def tile(layer_id: str, z: int, x: int, y: int) -> Response:
    """One vector tile (requests that the fast path (webmap.tiles.fastpath) did not answer come here)."""
    try:
        layer, source = find_source(layer_id, z, x, y)
    except TileRequestError as exc:
        abort(exc.status, description=exc.description)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    reply = tile_reply(
        tile_pool(),
        tile_cache(app),
        layer,
        source,
        z,
        x,
        y,
        if_none_match=request.headers.get("If-None-Match"),
        accept_encoding=request.headers.get("Accept-Encoding"),
        query_string=request.query_string.decode("latin-1"),
        replicas=replica_tile_pools(app),
    )
    response = Response(reply.body, status=reply.status, headers=reply.headers)
    if reply.status != 200:  # no body, so no type (werkzeug would add text/plain)
        del response.headers["Content-Type"]
    return response


_TILE_PARAMS: list[dict[str, Any]] = [
    {
        "name": "layer_id",
        "in": "path",
        "required": True,
        "description": "A layer with delivery `mvt` in /api/layers.",
        "schema": {"type": "string"},
    },
    {"name": "z", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
    {"name": "x", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
    {"name": "y", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
    {
        "name": "v",
        "in": "query",
        "required": False,
        "description": "The layer's data version "
        "(from /api/layers); with the current one the tile may be cached for a year.",
        "schema": {"type": "string"},
    },
]
_CACHE_HEADERS = {
    "ETag": {"schema": {"type": "string"}},
    "Cache-Control": {"schema": {"type": "string"}},
    "X-Data-Version": {
        "schema": {"type": "string"},
        "description": "Changes whenever the layer's data changes.",
    },
    "Vary": {"schema": {"type": "string"}, "description": "Accept-Encoding."},
    "X-Tile-Cache": {
        "schema": {"type": "string", "enum": ["hit", "miss"]},
        "description": "Whether the server's tile cache held this tile at the "
        "current data version (absent when the cache is off).",
    },
}
OPENAPI: dict[str, Any] = {
    "tags": [{"name": "tiles", "description": "Mapbox vector tiles (MVT) of the big layers."}],
    "paths": {
        "/tiles/{layer_id}/{z}/{x}/{y}.mvt": {
            "get": {
                "tags": ["tiles"],
                "summary": "One vector tile (EPSG:3857 tile grid, extent 4096)",
                "operationId": "getTile",
                "parameters": _TILE_PARAMS,
                "responses": {
                    "200": {
                        "description": "The tile; its MVT layer is named after the layer id.",
                        "headers": {
                            **_CACHE_HEADERS,
                            "Content-Encoding": {
                                "schema": {"type": "string", "enum": ["gzip"]},
                                "description": "gzip when the request accepts it and the "
                                "tile is 1 KB or more.",
                            },
                        },
                        "content": {MVT_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}},
                    },
                    "204": {"description": "No feature touches this tile.", "headers": _CACHE_HEADERS},
                    "304": {"description": "The browser's copy (If-None-Match) is current."},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "503": {
                        "description": "The database is unavailable; try again after Retry-After seconds.",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                    },
                },
            },
        },
    },
}
