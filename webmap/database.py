"""The app's database engines: created once per app, disposed with it.

Writes, planner pages and sign-in use `connection()`, on the primary. Reads that may lag the
primary by a moment — tiles, the catalogue, the fact sheets and feature GETs — use
`read_connection()`, which goes to a hot standby (NAERINGSKART_REPLICA_URLS, or the local
replica of `db up --replica`) when one answers and to the primary otherwise.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, TypeVar

import psycopg
import sqlalchemy.exc
from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.pool import PoolProxiedConnection

from gis.config import Settings
from gis.db import create_pooled_engine, make_engine, raw_connection
from gis.replica import replica_urls

_ENGINE_KEY = "naeringskart.engine"
_REPLICA_URLS_KEY = "naeringskart.replica_urls"
_REPLICAS_KEY = "naeringskart.replicas"
# A replica that refused a connection is left alone this long: meanwhile reads go straight to
# the primary instead of first trying the replica on every request.
REPLICA_RETRY_SECONDS = 10.0
_turns = itertools.count()
T = TypeVar("T")


def init_app(app: Flask, settings: Settings) -> None:
    """Create the engines lazily on first use (no connection at start-up)."""
    app.extensions[_ENGINE_KEY] = None
    app.extensions[_REPLICAS_KEY] = None
    app.extensions["naeringskart.settings"] = settings


def get_engine() -> Engine:
    """The current app's engine (the primary)."""
    engine = current_app.extensions.get(_ENGINE_KEY)
    if engine is None:
        settings = get_settings()
        # The app serves one kommune: its connections see that kommune's rows only.
        engine = make_engine(settings, kommune_scope=settings.kommune.kommunenummer)
        current_app.extensions[_ENGINE_KEY] = engine
    return engine


def get_settings() -> Settings:
    """The current app's settings."""
    settings: Settings = current_app.extensions["naeringskart.settings"]
    return settings


class Resting(Protocol):
    """A replica's connection source that remembers when it last refused a connection."""

    failed_at: float | None


def is_resting(source: Resting) -> bool:
    """Whether a replica refused a connection less than REPLICA_RETRY_SECONDS ago."""
    return source.failed_at is not None and time.monotonic() - source.failed_at < REPLICA_RETRY_SECONDS


def in_turn(items: Sequence[T]) -> list[T]:
    """The items, starting with the next one each call (reads spread over the replicas)."""
    if len(items) < 2:
        return list(items)
    start = next(_turns) % len(items)
    return [*items[start:], *items[:start]]


def read_urls(app: Flask) -> list[str]:
    """The replica URLs of the app (looked up once per app)."""
    urls: list[str] | None = app.extensions.get(_REPLICA_URLS_KEY)
    if urls is None:
        with app.app_context():
            urls = app.extensions[_REPLICA_URLS_KEY] = replica_urls(get_settings())
    return urls


@dataclass
class Replica:
    """A hot standby's engine."""

    url: str
    engine: Engine
    failed_at: float | None = None


def get_replicas() -> list[Replica]:
    """The current app's replica engines (none when no replica is configured or running)."""
    replicas: list[Replica] | None = current_app.extensions.get(_REPLICAS_KEY)
    if replicas is None:
        urls = read_urls(current_app._get_current_object())  # type: ignore[attr-defined]
        # Scoped to the app's kommune like the primary's engine (row-level security).
        scope = get_settings().kommune.kommunenummer
        replicas = [Replica(url, create_pooled_engine(url, kommune_scope=scope)) for url in urls]
        current_app.extensions[_REPLICAS_KEY] = replicas
    return replicas


def _replica_connection() -> PoolProxiedConnection | None:
    """A pooled connection to the next replica that answers, or None."""
    for replica in in_turn(get_replicas()):
        if is_resting(replica):
            continue
        try:
            pooled = replica.engine.raw_connection()
        # psycopg's own error when a pooled connection found broken cannot be replaced.
        except (sqlalchemy.exc.OperationalError, psycopg.OperationalError):
            replica.failed_at = time.monotonic()
            continue
        replica.failed_at = None
        return pooled
    return None


@contextmanager
def _committed(driver: object) -> Iterator[psycopg.Connection]:
    assert isinstance(driver, psycopg.Connection)
    try:
        yield driver
        driver.commit()
    except BaseException:
        driver.rollback()
        raise


@contextmanager
def connection() -> Iterator[psycopg.Connection]:
    """A pooled psycopg connection to the primary for one request's queries, committed or
    rolled back after."""
    with raw_connection(get_engine()) as driver, _committed(driver) as conn:
        yield conn


@contextmanager
def read_connection() -> Iterator[psycopg.Connection]:
    """A connection for reads that may lag the primary by a moment (tiles, the catalogue,
    feature GETs): a replica's when one is configured and answers, else the primary's."""
    pooled = _replica_connection()
    if pooled is None:
        with connection() as conn:
            yield conn
        return
    try:
        with _committed(pooled.driver_connection) as conn:
            yield conn
    finally:
        pooled.close()
