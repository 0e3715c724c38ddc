"""A bare WSGI app that runs the tile endpoint's statement and returns the MVT: no Flask, no
headers beyond the two HTTP needs, no gzip — the least any gunicorn-served tile endpoint costs."""

import os
from collections.abc import Callable, Iterable
from typing import Any

from psycopg_pool import ConnectionPool

from gis import tiles as gistiles
from gis.db import libpq_dsn
from layers import get_layer

_POOLS: dict[int, ConnectionPool] = {}


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """/<layer>/<z>/<x>/<y>: the tile's bytes through gis.tiles.answer_tile."""
    pool = _POOLS.get(os.getpid())
    if pool is None:
        pool = _POOLS[os.getpid()] = ConnectionPool(
            libpq_dsn(os.environ["NAERINGSKART_DATABASE_URL"]), min_size=1, max_size=4,
            kwargs={"autocommit": True})
    _, layer_id, *zxy = environ["PATH_INFO"].split("/")
    if len(zxy) != 3:
        start_response("404 Not Found", [("Content-Length", "0")])
        return []
    z, x, y = (int(part) for part in zxy)
    layer = get_layer(layer_id)
    source = layer.tile_source(z)
    assert source is not None
    with pool.connection() as conn:
        data = gistiles.answer_tile(conn, source, layer.id, z, x, y, layer.version_tables).data
    start_response("200 OK", [("Content-Type", "application/vnd.mapbox-vector-tile"),
                              ("Content-Length", str(len(data)))])
    return [data]
