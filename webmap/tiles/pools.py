"""The tiles' own database connections: a psycopg_pool per database and process, replicas first.

Tiles use their own psycopg_pool (autocommit, prepared statements) rather than the SQLAlchemy
engine: a tile is one short query, and the pool's overhead decides the throughput.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import psycopg
from flask import Flask, current_app
from psycopg_pool import ConnectionPool

from gis.db import connect_timeout_args, database_url, libpq_dsn
from webmap.database import get_settings, in_turn, is_resting, read_urls

_POOLS: dict[tuple[int, str], TilePool] = {}
_POOLS_LOCK = threading.Lock()
_DSN_KEY = "naeringskart.tile_dsn"
_REPLICA_DSNS_KEY = "naeringskart.replica_tile_dsns"
T = TypeVar("T")


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
            pool = TilePool(
                key[1],
                min_size=1,
                max_size=4,
                open=True,
                name="tiles",
                kwargs={"autocommit": True, **connect_timeout_args(key[1])},
                timeout=POOL_TIMEOUT_SECONDS,
                reconnect_timeout=POOL_RECONNECT_SECONDS,
            )
            _POOLS[key] = pool
            atexit.register(pool.close)
    return pool


def with_tile_connection(work: Callable[[psycopg.Connection[Any]], T], pool: TilePool | None = None) -> T:
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


def read_tile_connection(
    work: Callable[[psycopg.Connection[Any]], T], primary: TilePool, replicas: Sequence[TilePool] = ()
) -> T:
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
