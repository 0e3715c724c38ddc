"""The WSGI fast path for vector tiles: a plain tile GET skips Flask's request machinery.

A map asks for dozens of tiles per view, and a small tile costs PostGIS a fraction of a
millisecond, less than Flask's per-request work (request context, session, routing, the
after-request hooks of every extension) and werkzeug's Request/Response objects. This
middleware answers `GET /tiles/<layer>/<z>/<x>/<y>.mvt` with the same code as the Flask view
(webmap.tiles.reply.tile_reply), reading the three headers it needs from the environ and writing the
status line and header list itself; anything else — another path, another method, a tile
request that is an error (400/404) — goes to Flask unchanged, so error pages, CSRF, sessions
and the security headers of pages stay where they are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from webmap.security import DATA_HEADERS, STRICT_TRANSPORT_SECURITY
from webmap.tiles.cache import TileCache, tile_cache
from webmap.tiles.pools import TilePool, replica_tile_pools, tile_dsn, tile_pool
from webmap.tiles.reply import STATUS_LINES, TileRequestError, find_source, tile_reply

TILE_PATH = re.compile(
    r"/tiles/(?P<layer>[A-Za-z0-9_]+)/(?P<z>\d{1,2})/(?P<x>\d{1,8})/"
    r"(?P<y>\d{1,8})\.mvt"
)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class TileFastPath:
    """Answers plain tile GETs itself and hands every other request to the Flask app."""

    def __init__(self, app: Flask, wsgi_app: WsgiApp) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self._pid = 0  # the process the pool and cache below belong to
        self._pool: TilePool | None = None
        self._replicas: list[TilePool] = []
        self._cache: TileCache | None = None
        self._headers: tuple[tuple[str, str], ...] = DATA_HEADERS

    def _resources(self) -> tuple[TilePool, list[TilePool], TileCache | None]:
        """This process's pools (primary, replicas) and cache (looked up once per process, not
        per tile)."""
        if self._pool is None or self._pid != os.getpid():
            self._cache = tile_cache(self.app)
            self._pool = tile_pool(tile_dsn(self.app))
            self._replicas = replica_tile_pools(self.app)
            self._pid = os.getpid()
            if self.app.config.get("SESSION_COOKIE_SECURE"):  # production: HTTPS only
                self._headers = (*DATA_HEADERS, STRICT_TRANSPORT_SECURITY)
        return self._pool, self._replicas, self._cache

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        match = None
        if environ.get("REQUEST_METHOD") == "GET":
            match = TILE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return self.wsgi_app(environ, start_response)
        z, x, y = int(match["z"]), int(match["x"]), int(match["y"])
        try:
            layer, source = find_source(match["layer"], z, x, y)
        except TileRequestError:
            return self.wsgi_app(environ, start_response)  # Flask writes the error answer
        try:
            pool, replicas, cache = self._resources()
            reply = tile_reply(
                pool,
                cache,
                layer,
                source,
                z,
                x,
                y,
                if_none_match=environ.get("HTTP_IF_NONE_MATCH"),
                accept_encoding=environ.get("HTTP_ACCEPT_ENCODING"),
                query_string=environ.get("QUERY_STRING", ""),
                replicas=replicas,
            )
        except Exception:  # Flask tries again, then logs and answers the error.
            return self.wsgi_app(environ, start_response)
        reply.headers.extend(self._headers)
        start_response(STATUS_LINES[reply.status], reply.headers)
        return [reply.body] if reply.body else []


def install(app: Flask) -> None:
    """Put the fast path in front of the app (once)."""
    if not isinstance(app.wsgi_app, TileFastPath):
        app.wsgi_app = TileFastPath(app, app.wsgi_app)  # type: ignore[method-assign]
