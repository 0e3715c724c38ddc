"""One vector tile's answer, the same for the Flask view and the WSGI fast path.

Tiles of a kilobyte or more are gzipped for clients that accept it (building tiles shrink to
about half). Finished tiles are kept in a bounded in-memory cache per process
(webmap.tiles.cache), checked against the data version on every request.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

import psycopg
from werkzeug.http import parse_accept_header, parse_etags

from gis import tiles as gistiles
from layers import Layer, TileSource, get_layer
from webmap.tiles.cache import CachedTile, TileCache
from webmap.tiles.pools import TilePool, read_tile_connection

MVT_MIMETYPE = "application/vnd.mapbox-vector-tile"
# A tile URL with the current data version never changes; without it, revalidate each time.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"

# Level 1: nearly the size of level 6 on MVT at a fraction of the time a tile request has.
GZIP_LEVEL = 1
# Below this, gzip saves about a hundred bytes (the tile fits one packet either way) for tens of
# microseconds of CPU per tile (measured on the bench's z16 tiles): such tiles go uncompressed.
GZIP_MIN_BYTES = 1024
STATUS_LINES = {200: "200 OK", 204: "204 NO CONTENT", 304: "304 NOT MODIFIED"}


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
    return next(
        (value for name, value in parse_qsl(query_string, keep_blank_values=True) if name == "v"), None
    )


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
        raise TileRequestError(
            404, f"layer {layer_id!r} has tiles at zoom {layer.min_zoom}..{layer.max_zoom} only"
        )
    return layer, source


class TileReply(NamedTuple):
    """A finished tile answer: status code, headers and body, ready for WSGI."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def tile_reply(
    pool: TilePool,
    cache: TileCache | None,
    layer: Layer,
    source: TileSource,
    z: int,
    x: int,
    y: int,
    *,
    if_none_match: str | None,
    accept_encoding: str | None,
    query_string: str,
    replicas: Sequence[TilePool] = (),
) -> TileReply:
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
            changed = gistiles.answer_tile_if_changed(
                conn, source, layer.id, z, x, y, layer.version_tables, cached.version
            )
            if changed is None:
                return cached.version, cached
            return changed.version, changed.data
        # One round trip: the data version and the tile together.
        answer = gistiles.answer_tile(conn, source, layer.id, z, x, y, layer.version_tables)
        return answer.version, answer.data

    version, found = read_tile_connection(cut, pool, replicas)
    etag = _etag(layer.id, version, z, x, y)
    headers = [
        ("Cache-Control", IMMUTABLE if version_param(query_string) == str(version) else REVALIDATE),
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
