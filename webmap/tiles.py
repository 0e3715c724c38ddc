"""Vector tiles: /tiles/<layer>/<z>/<x>/<y>.mvt from PostGIS, with ETag and a data version.

Tiles use their own psycopg_pool (autocommit, prepared statements) rather than the SQLAlchemy
engine: a tile is one short query, and the pool's overhead decides the throughput. Tiles of a
kilobyte or more are gzipped for clients that accept it (building tiles shrink to about half).
Finished tiles are kept in a bounded in-memory cache per process (webmap.tilecache), checked
against the data version on every request.
"""

from __future__ import annotations

import atexit
import gzip
import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar
from urllib.parse import parse_qsl

import psycopg
from flask import Blueprint, Flask, abort, current_app, request
from flask.sansio.blueprints import BlueprintSetupState
from psycopg_pool import ConnectionPool
from werkzeug.http import parse_accept_header, parse_etags
from werkzeug.wrappers import Response

from gis import tiles as gistiles
from gis.db import connect_timeout_args, database_url, libpq_dsn
from layers import Layer, TileSource, all_layers, get_layer
from webmap.database import get_settings, in_turn, is_resting, read_urls
from webmap.tilecache import CachedTile, TileCache

bp = Blueprint("tiles", __name__, url_prefix="/tiles")

MVT_MIMETYPE = "application/vnd.mapbox-vector-tile"
_POOLS: dict[tuple[int, str], TilePool] = {}
_POOLS_LOCK = threading.Lock()
_DSN_KEY = "naeringskart.tile_dsn"
_REPLICA_DSNS_KEY = "naeringskart.replica_tile_dsns"
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


class TilePool(ConnectionPool[psycopg.Connection[Any]]):
    """psycopg_pool's pool, plus whether the database accepted the last direct connection."""

    # Not known at first: the first request of a process connects directly (one connection), so
    # that a database that is down already fails it at once instead of after the pool's timeout.
    reachable = False
    # A replica's pool: when it last failed to connect (webmap.database.is_resting).
    failed_at: float | None = None

    def connect_directly(self) -> psycopg.Connection[Any]:
        """A new connection outside the pool, with the pool's settings; remembers the outcome."""
        conninfo = self.conninfo() if callable(self.conninfo) else self.conninfo
        kwargs = (self.kwargs() if callable(self.kwargs) else self.kwargs) or {}
        try:
            conn = psycopg.connect(conninfo, **kwargs)
        except psycopg.OperationalError:
            self.reachable = False
            raise
        self.reachable = True
        return conn


# The pool waits this long for a free connection; more only when the database stopped answering
# after the last direct connection succeeded (a gthread worker's threads never outnumber the pool).
POOL_TIMEOUT_SECONDS = 10.0
# Background reconnection gives up this soon and the pool shrinks; a later request grows it again
# at once. With psycopg_pool's default (5 minutes of backoff), a pool could wait a minute after
# the database came back before it tried again.
POOL_RECONNECT_SECONDS = 5.0


def tile_pool(dsn: str | None = None) -> TilePool:
    """The tile connection pool of this database, opened on first use in each process.

    Keyed by process id so that gunicorn workers never share a pool opened before the fork.
    """
    key = (os.getpid(), dsn or tile_dsn(current_app._get_current_object()))  # type: ignore[attr-defined]
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            # No check= on checkout: it costs a round trip per tile, as much as a small
            # tile's query. Dead connections are dealt with in `with_tile_connection`.
            pool = TilePool(key[1], min_size=1, max_size=4, open=True, name="tiles",
                            kwargs={"autocommit": True, **connect_timeout_args(key[1])},
                            timeout=POOL_TIMEOUT_SECONDS,
                            reconnect_timeout=POOL_RECONNECT_SECONDS)
            _POOLS[key] = pool
            atexit.register(pool.close)
    return pool


def with_tile_connection(work: Callable[[psycopg.Connection[Any]], T],
                         pool: TilePool | None = None) -> T:
    """Run `work` on a pooled connection; if the connection turns out dead, once more on a
    connection of its own.

    After the database restarted or a backend was terminated, idle pooled connections are
    broken. The first query on one fails with OperationalError before anything is read or
    written (tile work is read-only or an idempotent overview rebuild in its own transaction),
    so the pool drops it, `check()` drops every other broken idle connection (the pool opens
    new ones in the background), and the work runs again on a new direct connection. While the
    database is down, that connection is refused at once and the error (a 503 for the client,
    see webmap.errors) comes without waiting for the pool; later requests skip the pool and try
    a direct connection until one succeeds, then use the pool again. Costs nothing while
    connections are healthy.
    """
    pool = pool or tile_pool()
    if pool.reachable:
        try:
            with pool.connection() as conn:
                return work(conn)
        except psycopg.OperationalError:
            pool.check()
    with pool.connect_directly() as conn:
        return work(conn)


def replica_tile_pools(app: Flask) -> list[TilePool]:
    """The tile pools of the app's replicas (none when no replica is configured or running)."""
    dsns: list[str] | None = app.extensions.get(_REPLICA_DSNS_KEY)
    if dsns is None:  # parsed once per app, like tile_dsn
        dsns = app.extensions[_REPLICA_DSNS_KEY] = [libpq_dsn(url) for url in read_urls(app)]
    return [tile_pool(dsn) for dsn in dsns]


def read_tile_connection(work: Callable[[psycopg.Connection[Any]], T], primary: TilePool,
                         replicas: Sequence[TilePool] = ()) -> T:
    """Run read-only tile `work` on a replica when one answers, else on the primary.

    A replica that does not connect is left alone for a while (is_resting). A replica whose
    overview is older than its data cannot rebuild it (a standby is read-only): the primary
    answers and rebuilds it, and the replica receives the rebuilt overview by replication.
    """
    for pool in in_turn(replicas):
        if is_resting(pool):
            continue
        try:
            answer = with_tile_connection(work, pool)
        except psycopg.errors.ReadOnlySqlTransaction:
            break
        except psycopg.OperationalError:
            pool.failed_at = time.monotonic()
            continue
        pool.failed_at = None
        return answer
    return with_tile_connection(work, primary)


def with_read_tile_connection(work: Callable[[psycopg.Connection[Any]], T]) -> T:
    """read_tile_connection with the current app's pools."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return read_tile_connection(work, tile_pool(), replica_tile_pools(app))


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
# Below this, gzip saves about a hundred bytes (the tile fits one packet either way) for tens of
# microseconds of CPU per tile (measured on the bench's z16 tiles): such tiles go uncompressed.
GZIP_MIN_BYTES = 1024
STATUS_LINES = {200: "200 OK", 204: "204 NO CONTENT", 304: "304 NOT MODIFIED"}
_CACHE_KEY = "naeringskart.tile_cache"


def _etag(layer_id: str, version: int, z: int, x: int, y: int) -> str:
    return hashlib.blake2s(f"{layer_id}/{version}/{z}/{x}/{y}".encode(), digest_size=12).hexdigest()


def _gzip_etag(etag: str) -> str:
    """The gzipped representation has its own strong ETag (RFC 9110 8.8.3)."""
    return etag + "-gzip"


@lru_cache(maxsize=256)
def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (browsers send a handful of values)."""
    return parse_accept_header(accept_encoding)["gzip"] > 0


@lru_cache(maxsize=256)
def version_param(query_string: str) -> str | None:
    """The first `v` of a query string (tile URLs carry the layer's data version there)."""
    return next((value for name, value in parse_qsl(query_string, keep_blank_values=True)
                 if name == "v"), None)


def tile_cache(app: Flask) -> TileCache | None:
    """This process's tile cache of the app (None when NAERINGSKART_TILE_CACHE_MB is 0)."""
    found: tuple[int, TileCache | None] | None = app.extensions.get(_CACHE_KEY)
    if found is None or found[0] != os.getpid():  # a forked worker starts its own
        with app.app_context():
            megabytes = get_settings().tile_cache_mb
        found = (os.getpid(), TileCache(megabytes * 1024 * 1024) if megabytes > 0 else None)
        app.extensions[_CACHE_KEY] = found
    return found[1]


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


class TileReply(NamedTuple):
    """A finished tile answer: status code, headers and body, ready for WSGI."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def tile_reply(pool: TilePool, cache: TileCache | None, layer: Layer, source: TileSource,
               z: int, x: int, y: int, *, if_none_match: str | None,
               accept_encoding: str | None, query_string: str,
               replicas: Sequence[TilePool] = ()) -> TileReply:
    """One vector tile; 204 when empty, 304 when the client's copy is current, gzipped when
    the client accepts it and the tile is big enough to gain from it.

    With a cache, a tile cut before is sent again when the data version the database reports
    (in the one statement that would otherwise cut it) is still the one it was cut from.
    """
    gzip_ok = accepts_gzip(accept_encoding) if accept_encoding else False
    key = (layer.id, z, x, y, gzip_ok)
    cached = cache.get(key) if cache is not None else None
    etags = parse_etags(if_none_match) if if_none_match else None

    def cut(conn: psycopg.Connection[Any]) -> tuple[int, bytes | CachedTile | None]:
        if etags:
            # Revalidation: compare versions first and cut the tile only when it changed.
            version, _built = gistiles.tile_state(conn, layer.version_tables, source.table)
            etag = _etag(layer.id, version, z, x, y)
            if etag in etags or _gzip_etag(etag) in etags:
                return version, None
        if cached is not None:
            changed = gistiles.answer_tile_if_changed(conn, source, layer.id, z, x, y,
                                                      layer.version_tables, cached.version)
            if changed is None:
                return cached.version, cached
            return changed.version, changed.data
        # One round trip: the data version and the tile together.
        answer = gistiles.answer_tile(conn, source, layer.id, z, x, y, layer.version_tables)
        return answer.version, answer.data

    version, found = read_tile_connection(cut, pool, replicas)
    etag = _etag(layer.id, version, z, x, y)
    headers = [
        ("Cache-Control", IMMUTABLE if version_param(query_string) == str(version)
         else REVALIDATE),
        ("Vary", "Accept-Encoding"),
        ("X-Data-Version", str(version)),
    ]
    if found is None:
        assert etags is not None
        # Answer with the representation the client holds.
        gz_etag = _gzip_etag(etag)
        held = gz_etag if gz_etag in etags and (gzip_ok or etag not in etags) else etag
        headers.append(("ETag", f'"{held}"'))
        return TileReply(304, headers, b"")
    if cache is not None:
        headers.append(("X-Tile-Cache", "hit" if isinstance(found, CachedTile) else "miss"))
    if isinstance(found, CachedTile):
        body, gzipped = found.body, found.gzipped
    else:
        gzipped = gzip_ok and len(found) >= GZIP_MIN_BYTES
        body = gzip.compress(found, compresslevel=GZIP_LEVEL, mtime=0) if gzipped else found
        if cache is not None:
            cache.put(key, CachedTile(version, body, gzipped))
    headers.append(("ETag", f'"{_gzip_etag(etag)}"' if gzipped else f'"{etag}"'))
    if not body:
        return TileReply(204, headers, b"")
    headers.append(("Content-Type", MVT_MIMETYPE))
    headers.append(("Content-Length", str(len(body))))
    if gzipped:
        headers.append(("Content-Encoding", "gzip"))
    return TileReply(200, headers, body)


@bp.get("/<layer_id>/<int:z>/<int:x>/<int:y>.mvt")
def tile(layer_id: str, z: int, x: int, y: int) -> Response:
    """One vector tile (requests that webmap.tilefast did not answer come here)."""
    try:
        layer, source = find_source(layer_id, z, x, y)
    except TileRequestError as exc:
        abort(exc.status, description=exc.description)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    reply = tile_reply(tile_pool(), tile_cache(app), layer, source, z, x, y,
                       if_none_match=request.headers.get("If-None-Match"),
                       accept_encoding=request.headers.get("Accept-Encoding"),
                       query_string=request.query_string.decode("latin-1"),
                       replicas=replica_tile_pools(app))
    response = Response(reply.body, status=reply.status, headers=reply.headers)
    if reply.status != 200:  # no body, so no type (werkzeug would add text/plain)
        del response.headers["Content-Type"]
    return response


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
    "X-Tile-Cache": {"schema": {"type": "string", "enum": ["hit", "miss"]},
                     "description": "Whether the server's tile cache held this tile at the "
                                    "current data version (absent when the cache is off)."},
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
                                "description": "gzip when the request accepts it and the "
                                               "tile is 1 KB or more."}},
                            "content": {MVT_MIMETYPE: {"schema": {"type": "string",
                                                                  "format": "binary"}}}},
                    "204": {"description": "No feature touches this tile.",
                            "headers": _CACHE_HEADERS},
                    "304": {"description": "The browser's copy (If-None-Match) is current."},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "503": {"description": "The database is unavailable; try again after "
                                           "Retry-After seconds.",
                            "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
                },
            },
        },
    },
}
