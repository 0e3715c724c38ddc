"""The investor tests' own database: demo sites and focus area plus a few known rows.

It is separate from the shared demo database because these tests write (interest requests,
unmet demand) and need plans, stations and statistics in known places.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine

from etl.load import load_source
from gis import db as gisdb
from gis.cluster import LocalCluster
from tests.browser import served
from tests.conftest import RUN_TAG, STORAGE_SRID, demo_file, make_settings

FIXTURES = Path(__file__).with_name("fixtures.sql")


@pytest.fixture(scope="session")
def investor_db_url(cluster: LocalCluster, migrated_template: str) -> Iterator[str]:
    """Demo kommune, sites and focus area, plus tests/investor/fixtures.sql."""
    url = cluster.url(f"nk_investor_{RUN_TAG}")
    gisdb.drop_database(url)
    gisdb.ensure_database(url, template=migrated_template)
    engine = create_engine(url)
    for source, name in (("kommune", "asker_kommune_3203_2024.geojson"),
                         ("sites", "sites.geojson"), ("focus_areas", "focus_areas.geojson")):
        load_source(engine, source, demo_file(name), storage_srid=STORAGE_SRID)
    engine.dispose()
    with psycopg.connect(gisdb.libpq_dsn(url)) as conn:
        conn.execute(FIXTURES.read_text(encoding="utf-8"))
    yield url
    gisdb.drop_database(url)


@pytest.fixture
def investor_app(investor_db_url: str) -> Flask:
    """The app on the investor database."""
    from webmap import create_app

    app = create_app(make_settings(investor_db_url))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def investor_client(investor_app: Flask) -> FlaskClient:
    """A test client on the investor database."""
    return investor_app.test_client()


@pytest.fixture(scope="session")
def investor_server(investor_db_url: str) -> Iterator[str]:
    """The app served over HTTP for the browser tests."""
    from webmap import create_app

    app = create_app(make_settings(investor_db_url))
    with served(app) as base_url:
        yield base_url


def query(url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Rows of one query on a test database."""
    with psycopg.connect(gisdb.libpq_dsn(url)) as conn:
        cursor = conn.execute(sql, params)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []
