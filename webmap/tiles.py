"""Vector tiles: /tiles/<layer>/<z>/<x>/<y>.mvt from PostGIS, with ETag and a data version.

Tiles use their own psycopg_pool (autocommit, prepared statements) rather than the SQLAlchemy
engine: a tile is one short query, and the pool's overhead decides the throughput. Tiles are
gzipped for clients that accept it (building tiles shrink to about half).
"""

from __future__ import annotations

import atexit
import gzip
import hashlib
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from flask import Blueprint, Flask, abort, current_app, request
from flask.sansio.blueprints import BlueprintSetupState
from psycopg_pool import ConnectionPool
from werkzeug.wrappers import Request, Response

from gis import tiles as gistiles
from gis.db import database_url, libpq_dsn
from layers import Layer, TileSource, all_layers, get_layer
from webmap.database import get_settings

bp = Blueprint("tiles", __name__, url_prefix="/tiles")

MVT_MIMETYPE = "application/vnd.mapbox-vector-tile"
_POOLS: dict[tuple[int, str], ConnectionPool] = {}
_POOLS_LOCK = threading.Lock()
_DSN_KEY = "naeringskart.tile_dsn"
T = TypeVar("T")
# A tile URL with the current data version never changes; without it, revalidate each time.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"


def tile_dsn(app: Flask) -> str:
    """The libpq DSN of the app's database (parsed once per app)."""
    dsn: str | None = app.extensions.get(_DSN_KEY)
    if dsn is None:
        with app.app_context():
            dsn = app.extensions[_DSN_KEY] = libpq_dsn(database_url(get_settings()))
    return dsn


def tile_pool(dsn: str | None = None) -> ConnectionPool:
    """The tile connection pool of this database, opened on first use in each process.

    Keyed by process id so that gunicorn workers never share a pool opened before the fork.
    """
    key = (os.getpid(), dsn or tile_dsn(current_app._get_current_object()))  # type: ignore[attr-defined]
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            # No check= on checkout: it costs a round trip per tile, as much as a small
            # tile's query. Dead connections are dealt with in `with_tile_connection`.
            pool = ConnectionPool(key[1], min_size=1, max_size=4, open=True, name="tiles",
                                  kwargs={"autocommit": True})
            _POOLS[key] = pool
            atexit.register(pool.close)
    return pool


def with_tile_connection(work: Callable[[psycopg.Connection[Any]], T],
                         pool: ConnectionPool | None = None) -> T:
    """Run `work` on a pooled connection; if the connection turns out dead, once more.

    After the database restarted or a backend was terminated, idle pooled connections are
    broken. The first query on one fails with OperationalError before anything is read or
    written (tile work is read-only or an idempotent overview rebuild in its own transaction),
    so the pool drops it, `check()` replaces every other broken idle connection, and the work
    runs again on a live one. Costs nothing while connections are healthy.
    """
    pool = pool or tile_pool()
    try:
        with pool.connection() as conn:
            return work(conn)
    except psycopg.OperationalError:
        pool.check()
        with pool.connection() as conn:
            return work(conn)


def tile_layers() -> list[Layer]:
    """The registry layers delivered as vector tiles."""
    return [layer for layer in all_layers() if layer.delivery == "mvt"]


def layer_versions(conn: Any) -> dict[str, int]:
    """The current data version of every vector-tile layer."""
    return {layer.id: gistiles.data_version(conn, layer.version_tables) for layer in tile_layers()}


def tile_url_template(layer_id: str, version: int) -> str:
    """The Leaflet URL template of a layer's tiles at this data version."""
    return f"/tiles/{layer_id}/{{z}}/{{x}}/{{y}}.mvt?v={version}"


# Level 1: nearly the size of level 6 on MVT at a fraction of the time a tile request has.
GZIP_LEVEL = 1


def _etag(layer_id: str, version: int, z: int, x: int, y: int) -> str:
    return hashlib.blake2s(f"{layer_id}/{version}/{z}/{x}/{y}".encode(), digest_size=12).hexdigest()


def _gzip_etag(etag: str) -> str:
    """The gzipped representation has its own strong ETag (RFC 9110 8.8.3)."""
    return etag + "-gzip"


class TileRequestError(Exception):
    """A tile request that names no tile: the status and the reason."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def find_source(layer_id: str, z: int, x: int, y: int) -> tuple[Layer, TileSource]:
    """The layer and its tile source for this tile, or TileRequestError (404/400)."""
    try:
        layer = get_layer(layer_id)
    except KeyError:
        raise TileRequestError(404, f"no layer {layer_id!r}") from None
    if layer.delivery != "mvt":
        raise TileRequestError(404, f"layer {layer_id!r} is not served as vector tiles")
    try:
        gistiles.check_tile(z, x, y)
    except gistiles.TileError as exc:
        raise TileRequestError(400, str(exc)) from None
    source = layer.tile_source(z)
    if source is None:
        raise TileRequestError(404, f"layer {layer_id!r} has tiles at zoom "
                                    f"{layer.min_zoom}..{layer.max_zoom} only")
    return layer, source


def tile_response(pool: ConnectionPool, layer: Layer, source: TileSource, z: int, x: int,
                  y: int, req: Request) -> Response:
    """One vector tile; 204 when empty, 304 when the client's copy is current, gzipped when
    the client accepts it."""
    if_none_match = req.if_none_match

    def cut(conn: psycopg.Connection[Any]) -> tuple[int, bytes | None]:
        if if_none_match:
            # Revalidation: compare versions first and cut the tile only when it changed.
            version, _built = gistiles.tile_state(conn, layer.version_tables, source.table)
            etag = _etag(layer.id, version, z, x, y)
            if etag in if_none_match or _gzip_etag(etag) in if_none_match:
                return version, None
        # One round trip: the data version and the tile together.
        answer = gistiles.answer_tile(conn, source, layer.id, z, x, y, layer.version_tables)
        return answer.version, answer.data

    version, data = with_tile_connection(cut, pool)
    etag = _etag(layer.id, version, z, x, y)
    cache_control = IMMUTABLE if req.args.get("v") == str(version) else REVALIDATE
    compress = req.accept_encodings["gzip"] > 0
    if data is None:
        response = Response(status=304)
    elif not data:
        response = Response(status=204)
    else:
        if compress:
            data = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
        response = Response(data, status=200, mimetype=MVT_MIMETYPE)
        if compress:
            response.headers["Content-Encoding"] = "gzip"
    # An empty tile has no body to encode, but caches still key every tile on the encoding.
    response.set_etag(_gzip_etag(etag) if compress and data != b"" else etag)
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Data-Version"] = str(version)
    return response


@bp.get("/<layer_id>/<int:z>/<int:x>/<int:y>.mvt")
def tile(layer_id: str, z: int, x: int, y: int) -> Response:
    """One vector tile (requests that webmap.tilefast did not answer come here)."""
    try:
        layer, source = find_source(layer_id, z, x, y)
    except TileRequestError as exc:
        abort(exc.status, description=exc.description)
    return tile_response(tile_pool(), layer, source, z, x, y, request)


@bp.record_once
def _install_fast_path(state: BlueprintSetupState) -> None:
    from webmap import tilefast

    if isinstance(state.app, Flask):
        tilefast.install(state.app)


_TILE_PARAMS: list[dict[str, Any]] = [
    {"name": "layer_id", "in": "path", "required": True, "description": "A layer with "
     "delivery `mvt` in /api/layers.", "schema": {"type": "string"}},
    {"name": "z", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
    {"name": "x", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
    {"name": "y", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
    {"name": "v", "in": "query", "required": False, "description": "The layer's data version "
     "(from /api/layers); with the current one the tile may be cached for a year.",
     "schema": {"type": "string"}},
]
_CACHE_HEADERS = {
    "ETag": {"schema": {"type": "string"}},
    "Cache-Control": {"schema": {"type": "string"}},
    "X-Data-Version": {"schema": {"type": "string"},
                       "description": "Changes whenever the layer's data changes."},
    "Vary": {"schema": {"type": "string"}, "description": "Accept-Encoding."},
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
                    "200": {"description": "The tile; its MVT layer is named after the layer id.",
                            "headers": {**_CACHE_HEADERS, "Content-Encoding": {
                                "schema": {"type": "string", "enum": ["gzip"]},
                                "description": "gzip when the request accepts it."}},
                            "content": {MVT_MIMETYPE: {"schema": {"type": "string",
                                                                  "format": "binary"}}}},
                    "204": {"description": "No feature touches this tile.",
                            "headers": _CACHE_HEADERS},
                    "304": {"description": "The browser's copy (If-None-Match) is current."},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            },
        },
    },
}
