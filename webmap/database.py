"""The app's database engine: created once per app, disposed with it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from flask import Flask, current_app
from sqlalchemy import Engine

from gis.config import Settings
from gis.db import make_engine, raw_connection

_ENGINE_KEY = "naeringskart.engine"


def init_app(app: Flask, settings: Settings) -> None:
    """Create the engine lazily on first use (no connection at start-up)."""
    app.extensions[_ENGINE_KEY] = None
    app.extensions["naeringskart.settings"] = settings


def get_engine() -> Engine:
    """The current app's engine."""
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


@contextmanager
def connection() -> Iterator[psycopg.Connection]:
    """A pooled psycopg connection for one request's queries, committed or rolled back after."""
    with raw_connection(get_engine()) as conn:
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
