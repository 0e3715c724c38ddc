"""Fixtures for the planner workspace: a fresh database with the kommune and demo sites,
accounts, and signed-in test clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine

from etl.load import load_source
from gis.accounts.users import add_account
from gis.cluster import LocalCluster
from gis.db import drop_database, ensure_database, libpq_dsn
from tests.browser import served
from tests.conftest import RUN_TAG, STORAGE_SRID, demo_file, make_settings

PLANNER_PASSWORD = "blåbærsyltetøy-2026"
ADMIN_PASSWORD = "tyttebær-og-multer-77"


@dataclass(frozen=True)
class Accounts:
    """The test accounts."""

    planner: str
    admin: str
    admin_totp: str


def load_kommune_and_sites(url: str) -> None:
    """The kommune boundary and the demo sites, as the ETL loads them."""
    engine = create_engine(url)
    try:
        load_source(engine, "kommune", demo_file("asker_kommune_3203_2024.geojson"),
                    storage_srid=STORAGE_SRID)
        load_source(engine, "sites", demo_file("sites.geojson"), storage_srid=STORAGE_SRID)
    finally:
        engine.dispose()


@contextmanager
def planner_app_served(cluster: LocalCluster, migrated_template: str, name: str) -> Iterator[str]:
    """The app on a database of its own (browser tests change data) with the kommune, the demo
    sites and the planner "kari", served over HTTP; the database is dropped afterwards."""
    from webmap import create_app

    url = cluster.url(f"{name}_{RUN_TAG}")
    drop_database(url)
    ensure_database(url, template=migrated_template)
    load_kommune_and_sites(url)
    with psycopg.connect(libpq_dsn(url)) as conn:
        add_account(conn, "kari", PLANNER_PASSWORD, role="planner", display_name="Kari Planlegger")
    app = create_app(make_settings(url))
    try:
        with served(app) as base_url:
            yield base_url
    finally:
        engine = app.extensions.get("naeringskart.engine")
        if engine is not None:
            engine.dispose()
        drop_database(url)


@pytest.fixture
def planner_db(db_url: str) -> str:
    """A fresh migrated database with the kommune and the demo sites."""
    load_kommune_and_sites(db_url)
    return db_url


@pytest.fixture
def accounts(planner_db: str) -> Accounts:
    """A planner and an admin (with TOTP)."""
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        add_account(conn, "kari", PLANNER_PASSWORD, role="planner", display_name="Kari Planlegger")
        admin = add_account(conn, "ola", ADMIN_PASSWORD, role="admin", display_name="Ola Admin")
    assert admin.totp_secret
    return Accounts("kari", "ola", admin.totp_secret)


@pytest.fixture
def app(planner_db: str, accounts: Accounts) -> Flask:
    """The app on the planner database."""
    from webmap import create_app

    application = create_app(make_settings(planner_db))
    application.config["TESTING"] = True
    return application


def csrf_token(client: FlaskClient, path: str = "/planner/logg-inn") -> str:
    """The CSRF token of the client's session, read from a form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no csrf token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str, code: str = "",
            expect: int = 302) -> None:
    """Sign in through the form (with its CSRF token)."""
    token = csrf_token(client)
    response = client.post("/planner/logg-inn", data={"username": username, "password": password,
                                                      "code": code, "csrf_token": token})
    assert response.status_code == expect, response.get_data(as_text=True)[:500]


@pytest.fixture
def planner_client(app: Flask, accounts: Accounts) -> Iterator[FlaskClient]:
    """A client signed in as the planner."""
    client = app.test_client()
    sign_in(client, accounts.planner, PLANNER_PASSWORD)
    yield client


@pytest.fixture
def admin_client(app: Flask, accounts: Accounts) -> Iterator[FlaskClient]:
    """A client signed in as the admin (password and TOTP)."""
    client = app.test_client()
    sign_in(client, accounts.admin, ADMIN_PASSWORD, pyotp.TOTP(accounts.admin_totp).now())
    yield client


def page_csrf(client: FlaskClient, path: str) -> str:
    """The CSRF token from a signed-in page."""
    return csrf_token(client, path)
