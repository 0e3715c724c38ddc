"""A real PostgreSQL restart: pages and APIs answer 503 quickly while the database is down, and
work again once it is back, with the same app object (no restart of the web app).

The cluster is a dedicated one (stopping the session's shared cluster would break other tests).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from flask import Flask
from sqlalchemy import create_engine

from gis import db as gisdb
from gis import migrate
from gis.accounts.users import add_account
from gis.cluster import LocalCluster
from gis.config import PROJECT_ROOT
from tests.browser import served
from tests.conftest import STORAGE_SRID, make_settings
from tests.openapi_check import assert_matches_spec, openapi_document
from tests.planner.conftest import PLANNER_PASSWORD, load_kommune_and_sites
from tests.tile_data import CENTRE, add_tile_data, tile_of

ASKER = "10.2,59.4,10.8,60.0"
# What "quickly" means for one request while the database is down.
QUICK_SECONDS = 5.0
TILE = "/tiles/zoning/{}/{}/{}.mvt".format(*tile_of(*CENTRE, 14))
# Path -> what it answers: an HTML page, JSON, or a tile.
ENDPOINTS = {
    "/": "html",
    "/investor": "html",
    "/en/investor": "html",
    "/api/layers": "json",
    f"/api/layers/sites/features?bbox={ASKER}": "json",
    TILE: "tile",
    "/investor/eksport.csv": "html",  # a download, but a person clicked the link
    "/planner/": "html",  # signed in: the session is looked up in the database
}


@dataclass(frozen=True)
class Answer:
    """One HTTP answer and how long it took."""

    status: int
    content_type: str
    retry_after: str | None
    body: bytes
    seconds: float


@pytest.fixture(scope="module")
def restartable() -> Iterator[tuple[LocalCluster, str]]:
    """A cluster of its own with a migrated database: the kommune, demo sites, tile data and
    the planner "kari"."""
    root = PROJECT_ROOT / "var" / "test-clusters" / f"restart-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    cluster = LocalCluster(root)
    try:
        cluster.up()
        url = cluster.url("nk_restart")
        gisdb.ensure_database(url)
        engine = create_engine(url)
        migrate.upgrade(engine, STORAGE_SRID)
        engine.dispose()
        load_kommune_and_sites(url)
        add_tile_data(url)
        with psycopg.connect(gisdb.libpq_dsn(url)) as conn:
            add_account(conn, "kari", PLANNER_PASSWORD, role="planner", display_name="Kari")
        yield cluster, url
    finally:
        cluster.down()
        shutil.rmtree(root.resolve(), ignore_errors=True)
        if root.is_symlink():
            root.unlink()


class Browser:
    """A urllib client with cookies (the planner's session), timing every request."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path: str, data: dict[str, str] | None = None) -> Answer:
        """GET (or POST a form) and read the answer, whatever its status."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.monotonic()
        try:
            response = self.opener.open(self.base_url + path, data=body, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            content = response.read()
            return Answer(response.status, response.headers.get_content_type()
                          if response.headers.get("Content-Type") else "",
                          response.headers.get("Retry-After"), content,
                          time.monotonic() - started)

    def sign_in(self, username: str, password: str) -> None:
        """Through the sign-in form, with its CSRF token."""
        form = self.request("/planner/logg-inn").body.decode()
        match = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert match, "no CSRF token on the sign-in page"
        answer = self.request("/planner/logg-inn", {"username": username, "password": password,
                                                    "code": "", "csrf_token": match.group(1)})
        assert answer.status == 200 and b"Kari" in answer.body, answer.body[:300]


def _table(answers: dict[str, Answer]) -> str:
    return "; ".join(f"{path} -> {answer.status} in {answer.seconds:.2f} s"
                     for path, answer in answers.items())


def _all(browser: Browser) -> dict[str, Answer]:
    return {path: browser.request(path) for path in ENDPOINTS}


def _assert_unavailable(path: str, kind: str, answer: Answer) -> None:
    """A 503 with Retry-After and the body its kind of client can use."""
    assert answer.status == 503, f"{path}: {answer.status} {answer.body[:300]!r}"
    assert answer.seconds < QUICK_SECONDS, f"{path} took {answer.seconds:.1f} s"
    assert answer.retry_after and answer.retry_after.isdigit(), path
    if kind == "tile":
        assert answer.body == b"" and answer.content_type == "", path
    elif kind == "json":
        assert answer.content_type == "application/json", path
        problem = json.loads(answer.body)
        assert problem["status"] == 503 and "database" in problem["detail"], problem
    else:
        page = answer.body.decode()
        assert answer.content_type == "text/html", path
        assert "Traceback" not in page
        if path.startswith("/en/"):
            assert '<html lang="en">' in page and "temporarily unavailable" in page, page
        else:
            assert '<html lang="nb">' in page and "midlertidig utilgjengelig" in page, page


def test_every_endpoint_answers_503_while_the_database_is_down_and_recovers(
        restartable: tuple[LocalCluster, str], caplog: pytest.LogCaptureFixture) -> None:
    from webmap import create_app

    cluster, url = restartable
    app: Flask = create_app(make_settings(url))
    with served(app) as base_url:
        browser = Browser(base_url)
        browser.sign_in("kari", PLANNER_PASSWORD)
        # Twice, so that every pool holds connections that the stop will break.
        for _ in range(2):
            before = _all(browser)
            assert all(answer.status == 200 for answer in before.values()), _table(before)

        cluster.down()
        try:
            # The first round meets broken pooled connections, the second empty pools.
            caplog.clear()
            for _ in range(2):
                during = _all(browser)
                for path, answer in during.items():
                    _assert_unavailable(path, ENDPOINTS[path], answer)
            # One line per request in the server log, no traceback.
            logged = [record.getMessage() for record in caplog.records
                      if record.getMessage().startswith("database unavailable: GET /")]
            assert len(logged) >= 2 * len(ENDPOINTS), logged
            assert not [record for record in caplog.records if record.exc_info]
            client = app.test_client()
            document = openapi_document(client)
            for path in ENDPOINTS:
                if path.startswith(("/api/", "/tiles/", "/investor/eksport")):  # documented
                    assert_matches_spec(document, "get", path, client.get(path))
        finally:
            cluster.up()

        # Back: the same app answers again after at most a few tries per endpoint.
        _assert_recovers(browser, list(ENDPOINTS))
        assert b"Kari" in browser.request("/planner/").body  # still signed in


def test_an_app_started_while_the_database_is_down_answers_503_then_recovers(
        restartable: tuple[LocalCluster, str]) -> None:
    from webmap import create_app

    cluster, url = restartable
    public = [path for path in ENDPOINTS if not path.startswith("/planner/")]
    cluster.down()
    try:
        app = create_app(make_settings(url))
        with served(app) as base_url:
            browser = Browser(base_url)
            for path in public:
                _assert_unavailable(path, ENDPOINTS[path], browser.request(path))
            cluster.up()
            _assert_recovers(browser, public)
    finally:
        cluster.up()


def _assert_recovers(browser: Browser, paths: list[str]) -> None:
    """Each path answers 200 within three quick tries, a second apart."""
    for path in paths:
        tries = [browser.request(path)]
        while tries[-1].status != 200 and len(tries) < 3:
            time.sleep(1)
            tries.append(browser.request(path))
        table = _table({f"{path} #{n}": answer for n, answer in enumerate(tries)})
        assert tries[-1].status == 200, table
        assert all(answer.seconds < QUICK_SECONDS for answer in tries), table
