"""Test fixtures: a real PostGIS (the project-local cluster), fresh databases, a live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from etl.demo_data import load_demo
from gis import db as gisdb
from gis import migrate
from gis.cluster import APP_ROLE, OWNER_ROLE, LocalCluster
from gis.config import PROJECT_ROOT, Settings, load_settings
from gis.roles import Role, secure_database
from tests.browser import launch, served

STORAGE_SRID = 25832
RUN_TAG = f"{os.getpid()}"


SESSION_CLUSTER = LocalCluster(PROJECT_ROOT / "var" / "pg")


@pytest.fixture(scope="session")
def cluster() -> LocalCluster:
    """The project-local cluster, started if needed. A missing PostGIS fails, never skips."""
    SESSION_CLUSTER.up()
    return SESSION_CLUSTER


def _fresh_database(cluster: LocalCluster, name: str, template: str | None = None) -> str:
    url = cluster.url(name)
    gisdb.drop_database(url)
    gisdb.ensure_database(url, template=template)
    return url


@pytest.fixture(scope="session")
def migrated_template(cluster: LocalCluster) -> Iterator[str]:
    """A migrated, empty database that per-test databases are copied from."""
    name = f"nk_template_{RUN_TAG}"
    url = _fresh_database(cluster, name)
    # As `db up` does it: the owner role migrates, the app role gets the rows; databases copied
    # from this template keep both.
    passwords = cluster.passwords()
    secure_database(url, Role(OWNER_ROLE, passwords[OWNER_ROLE]), Role(APP_ROLE, passwords[APP_ROLE]))
    engine = create_engine(cluster.url(name, OWNER_ROLE))
    migrate.upgrade(engine, STORAGE_SRID)
    engine.dispose()
    yield name
    gisdb.drop_database(url)


@pytest.fixture
def empty_db_url(cluster: LocalCluster) -> Iterator[str]:
    """A database with PostGIS and no tables."""
    url = _fresh_database(cluster, f"nk_empty_{RUN_TAG}")
    yield url
    gisdb.drop_database(url)


@pytest.fixture
def db_url(cluster: LocalCluster, migrated_template: str) -> Iterator[str]:
    """A fresh migrated database for one test."""
    url = _fresh_database(cluster, f"nk_test_{RUN_TAG}", template=migrated_template)
    yield url
    gisdb.drop_database(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the test's fresh database."""
    eng = create_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo_db_url(cluster: LocalCluster, migrated_template: str) -> Iterator[str]:
    """A database with the whole demo data set loaded (shared; tests must not change it)."""
    url = _fresh_database(cluster, f"nk_demo_{RUN_TAG}", template=migrated_template)
    engine = create_engine(url)
    load_demo(engine, STORAGE_SRID)
    engine.dispose()
    yield url
    gisdb.drop_database(url)


def make_settings(url: str, **overrides: object) -> Settings:
    """Settings for a test app on this database: on the session's cluster the app connects as
    the app role, as a served app does, and administrative commands as the given URL's role."""
    return load_settings(database_url=as_app_role(url), owner_database_url=url, env="test",
                         secret_key="test-secret", **overrides)


def as_app_role(url: str) -> str:
    """The same database on the session's cluster, signed in as the app role."""
    parsed = make_url(url)
    if SESSION_CLUSTER.port is None or parsed.port != SESSION_CLUSTER.port:
        return url
    password = SESSION_CLUSTER.passwords()[APP_ROLE]
    return parsed.set(username=APP_ROLE, password=password).render_as_string(hide_password=False)


@pytest.fixture
def demo_app(demo_db_url: str):  # type: ignore[no-untyped-def]
    """The app on the demo database."""
    from webmap import create_app

    app = create_app(make_settings(demo_db_url))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(demo_app):  # type: ignore[no-untyped-def]
    """A test client on the demo database."""
    return demo_app.test_client()


@pytest.fixture(scope="session")
def live_server(demo_db_url: str) -> Iterator[str]:
    """The app served over HTTP on 127.0.0.1 for the browser tests."""
    from webmap import create_app

    app = create_app(make_settings(demo_db_url))
    with served(app) as base_url:
        yield base_url


def demo_file(name: str) -> Path:
    """A file of the committed demo data set."""
    return PROJECT_ROOT / "etl" / "demo" / name


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium through Playwright, one per test module."""
    with launch() as running:
        yield running
