"""Engine and connection lifecycle; nothing connects at import time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from gis.cluster import APP_ROLE, OWNER_ROLE, SUPERUSER, LocalCluster
from gis.config import Settings
from gis.roles import Role, secure_database

# Seconds to wait for a new connection when the database host does not answer at all (libpq's
# default is to wait forever); a stopped server on a reachable host refuses at once anyway.
CONNECT_TIMEOUT_SECONDS = 5


def database_url(settings: Settings) -> str:
    """The web app's URL: the configured one, or the project-local cluster's app role."""
    if settings.database_url:
        return settings.database_url
    return LocalCluster(settings.cluster_dir).url(settings.database_name, APP_ROLE)


def owner_database_url(settings: Settings) -> str:
    """The URL migrations and loads use: configured, or the local cluster's owner role."""
    if settings.owner_database_url:
        return settings.owner_database_url
    if settings.database_url:
        return settings.database_url
    return LocalCluster(settings.cluster_dir).url(settings.database_name, OWNER_ROLE)


def provision_local_database(cluster: LocalCluster, database: str) -> None:
    """Create the database in the local cluster with its owner and app roles (idempotent)."""
    provision_database(cluster.url(database, SUPERUSER), cluster.url(database, OWNER_ROLE),
                       cluster.url(database, APP_ROLE))


def provision_database(superuser_url: str, owner_url: str, app_url: str) -> None:
    """Create the database and the two roles named (with their passwords) by the URLs."""
    owner, app = make_url(owner_url), make_url(app_url)
    if owner.username == app.username:
        raise ValueError("the owner and the app need different roles: the app must not be able "
                         "to change the schema")
    ensure_database(superuser_url)
    secure_database(superuser_url, Role(owner.username or "", owner.password or ""),
                    Role(app.username or "", app.password or ""))


def make_engine(settings: Settings, *, owner: bool = False,
                kommune_scope: str | None = None) -> Engine:
    """A pooled SQLAlchemy engine on psycopg 3, as the app role (or the owner, for migrations
    and loads); pooled connections are pinged before use, so connections broken by a database
    restart are replaced instead of failing a request.

    With `kommune_scope`, every connection sets `naeringskart.kommune`: the row-level security
    policies then show the app role only that kommune's sites and enquiries."""
    url = owner_database_url(settings) if owner else database_url(settings)
    return create_pooled_engine(url, kommune_scope=kommune_scope)


def create_pooled_engine(url: str, *, kommune_scope: str | None = None) -> Engine:
    """make_engine's engine for any URL (a replica's, too)."""
    connect_args: dict[str, object] = {**connect_timeout_args(url)}
    if kommune_scope is not None:
        if not re.fullmatch(r"\d{4}", kommune_scope):
            raise ValueError(f"not a kommunenummer: {kommune_scope!r}")
        connect_args["options"] = f"-c naeringskart.kommune={kommune_scope}"
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                         connect_args=connect_args)


def connect_timeout_args(url: str) -> dict[str, int]:
    """psycopg.connect arguments bounding the connection wait, unless the URL sets its own."""
    if "connect_timeout" in make_url(url).query:
        return {}
    return {"connect_timeout": CONNECT_TIMEOUT_SECONDS}


def libpq_dsn(url: str) -> str:
    """A libpq connection string for psycopg from a SQLAlchemy URL."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def raw_connection(engine: Engine) -> Iterator[psycopg.Connection]:
    """The psycopg connection under a pooled SQLAlchemy connection (for COPY)."""
    pooled = engine.raw_connection()
    try:
        driver = pooled.driver_connection
        assert isinstance(driver, psycopg.Connection)
        yield driver
    finally:
        pooled.close()


def ensure_database(url: str, template: str | None = None) -> bool:
    """Create the database with PostGIS if it is missing; True when it was created."""
    target = make_url(url)
    name = target.database
    if not name:
        raise ValueError(f"no database name in {url}")
    admin = libpq_dsn(target.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            created = False
        else:
            statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template))
            conn.execute(statement)
            created = True
    with psycopg.connect(libpq_dsn(url), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return created


def drop_database(url: str) -> None:
    """Drop a database (tests use this for their throwaway copies)."""
    target = make_url(url)
    admin = libpq_dsn(target.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(target.database or "")))
