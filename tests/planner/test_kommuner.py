"""One instance, two kommuner: each kommune's pages show its own sites under /k/NNNN/, and
planners work only in their kommuner (an access matrix)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from gis.accounts.users import add_account
from gis.cluster import OWNER_ROLE, LocalCluster
from gis.config import DEFAULT_KOMMUNE_FILE
from gis.db import libpq_dsn
from tests.conftest import make_settings
from tests.planner.conftest import PLANNER_PASSWORD, page_csrf, sign_in

# A second kommune for the tests: the name is real, its boundary and site are not.
SECOND_KOMMUNE = """kommunenummer = "3201"
name = "Bærum"
storage_srid = 25832

[map]
centre_lat = 59.89
centre_lon = 10.52
zoom = 11

[jordvern]
target_daa_per_year = 10.0
"""


@pytest.fixture
def kommune_dir(tmp_path: Path) -> Path:
    shutil.copy(DEFAULT_KOMMUNE_FILE, tmp_path / "3203-asker.toml")
    (tmp_path / "3201-baerum.toml").write_text(SECOND_KOMMUNE, encoding="utf-8")
    return tmp_path


@pytest.fixture
def two_kommuner(planner_db: str) -> dict[str, object]:
    """Asker (the demo boundary and sites) and a made-up 3201 east of it, with accounts."""
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        conn.execute(
            "INSERT INTO kommune (kommunenummer, name, geom) SELECT '3201', 'Bærum', "
            "ST_Multi(ST_MakeEnvelope(ST_XMax(geom) + 100, ST_YMin(geom), ST_XMax(geom) + 8100, "
            "ST_YMin(geom) + 8000, ST_SRID(geom))) FROM kommune WHERE kommunenummer = '3203'")
        square = conn.execute(
            "SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(ST_XMin(geom) + 1000, "
            "ST_YMin(geom) + 1000, ST_XMin(geom) + 1100, ST_YMin(geom) + 1100, ST_SRID(geom)), "
            "4326), 7)::json FROM kommune WHERE kommunenummer = '3201'").fetchone()
        assert square
        add_account(conn, "alle", PLANNER_PASSWORD, role="planner")
        add_account(conn, "asker", PLANNER_PASSWORD, role="planner", kommuner=["3203"])
        add_account(conn, "baerum", PLANNER_PASSWORD, role="planner", kommuner=["3201"])
    return {"url": planner_db, "square": square[0]}


@pytest.fixture
def app(two_kommuner: dict[str, object], kommune_dir: Path) -> Flask:
    from webmap import create_app

    application = create_app(make_settings(str(two_kommuner["url"]),
                                           kommune_file=kommune_dir / "3203-asker.toml"))
    application.config["TESTING"] = True
    return application


def _signed_in(app: Flask, username: str) -> Iterator[FlaskClient]:
    client = app.test_client()
    sign_in(client, username, PLANNER_PASSWORD)
    yield client


@pytest.fixture
def baerum_site(app: Flask, two_kommuner: dict[str, object]) -> str:
    """A site drawn by Bærum's planner on Bærum's pages, then published."""
    client = app.test_client()
    sign_in(client, "baerum", PLANNER_PASSWORD)
    created = client.post("/k/3201/api/planner/sites",
                          json={"values": {"name": "Testtomt i Bærum", "area_m2": 10000},
                                "geometry": two_kommuner["square"]},
                          headers={"X-CSRFToken": page_csrf(client, "/k/3201/planner/kart")})
    assert created.status_code == 201, created.get_data(as_text=True)
    with psycopg.connect(libpq_dsn(str(two_kommuner["url"]))) as conn:
        row = conn.execute("UPDATE site SET published = true, status = 'ledig' "
                           "WHERE name = 'Testtomt i Bærum' RETURNING site_key, kommunenummer"
                           ).fetchone()
    assert row is not None and row[1] == "3201"
    return str(row[0])


def test_each_kommune_lists_only_its_own_sites(app: Flask, baerum_site: str) -> None:
    public = app.test_client()
    asker = public.get("/investor").get_data(as_text=True)
    baerum = public.get("/k/3201/investor")
    assert baerum.status_code == 200
    page = baerum.get_data(as_text=True)
    assert "Testtomt i Bærum" in page and "Testtomt i Bærum" not in asker
    assert "ASK-" in asker and "ASK-" not in page
    # Links of a kommune's pages stay under its prefix.
    assert f'href="/k/3201/investor/tomt/{baerum_site}' in page
    assert public.get(f"/k/3201/investor/tomt/{baerum_site}").status_code == 200
    assert public.get(f"/investor/tomt/{baerum_site}").status_code == 404
    assert public.get("/k/3201/investor/tomt/ASK-001").status_code == 404
    assert "Bærum" in public.get("/k/3201/indikatorer").get_data(as_text=True)
    unknown = public.get("/k/9999/investor")
    assert unknown.status_code == 404 and "9999" in unknown.get_data(as_text=True)


@pytest.mark.parametrize(("user", "path", "status"), [
    ("alle", "/planner/", 200), ("alle", "/k/3201/planner/", 200),
    ("asker", "/planner/", 200), ("asker", "/k/3201/planner/", 403),
    ("baerum", "/planner/", 403), ("baerum", "/k/3201/planner/", 200),
    ("asker", "/k/3201/api/planner/sites", 403), ("baerum", "/api/planner/sites", 403),
])
def test_planners_work_only_in_their_kommuner(app: Flask, user: str, path: str,
                                              status: int) -> None:
    client = app.test_client()
    sign_in(client, user, PLANNER_PASSWORD)
    assert client.get(path).status_code == status


def test_a_planner_for_both_sees_each_kommunes_sites_on_its_pages(
        app: Flask, baerum_site: str) -> None:
    client = app.test_client()
    sign_in(client, "alle", PLANNER_PASSWORD)

    def names(path: str) -> set[str]:
        return {feature["properties"]["name"]
                for feature in client.get(path).get_json()["features"]}

    assert "Testtomt i Bærum" in names("/k/3201/api/planner/sites")
    assert "Testtomt i Bærum" not in names("/api/planner/sites")
    assert len(names("/api/planner/sites")) > 10


def test_the_map_layers_of_a_kommune_show_its_own_sites(app: Flask, baerum_site: str) -> None:
    public = app.test_client()

    def keys(prefix: str, layer: str) -> set[str]:
        response = public.get(f"{prefix}/api/layers/{layer}/features?bbox=9.5,59.0,11.5,60.5")
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return {feature["properties"].get("site_key") for feature in response.get_json()["features"]}

    assert baerum_site in keys("/k/3201", "sites")
    assert baerum_site not in keys("", "sites")
    assert not any(str(key).startswith("ASK-") for key in keys("/k/3201", "sites"))


def test_an_app_connected_as_the_tables_owner_is_scoped_too(
        two_kommuner: dict[str, object], kommune_dir: Path, baerum_site: str,
        cluster: LocalCluster) -> None:
    """A deployment with one role for everything (the owner) must not show every kommune's
    sites on each kommune's pages."""
    from sqlalchemy.engine import make_url

    from gis.config import load_settings
    from webmap import create_app

    owner_url = make_url(str(two_kommuner["url"])).set(
        username=OWNER_ROLE, password=cluster.passwords()[OWNER_ROLE])
    settings = load_settings(database_url=owner_url.render_as_string(hide_password=False),
                             env="test", secret_key="test-secret",
                             kommune_file=kommune_dir / "3203-asker.toml")
    page = create_app(settings).test_client().get("/k/3201/investor").get_data(as_text=True)
    assert "Testtomt i Bærum" in page and "ASK-" not in page


def test_each_kommune_is_credited_for_its_own_data(app: Flask) -> None:
    """The layer credits name the kommune whose page it is, on the map and in the API."""
    public = app.test_client()
    for prefix, own, other in (("", "Asker kommune", "Bærum kommune"),
                               ("/k/3201", "Bærum kommune", "Asker kommune")):
        sources = [layer["source"] for layer in public.get(f"{prefix}/api/layers").get_json()["layers"]]
        credits = " ".join(f"{source['nb']} {source['en']}" for source in sources)
        assert own in credits and other not in credits and "{kommune}" not in credits, prefix
        page = public.get(f"{prefix}/en/").get_data(as_text=True)
        assert f"{own}, business land register" in page and other not in page, prefix


@pytest.mark.parametrize(("sign_in_path", "home", "signed_out"), [
    ("/k/3201/planner/logg-inn", "/k/3201/planner/", "/k/3201/planner/logg-inn?signed_out=1"),
    ("/k/3201/en/planner/sign-in", "/k/3201/en/planner/", "/k/3201/en/planner/sign-in?signed_out=1"),
])
def test_signing_in_and_out_stays_in_the_kommune(app: Flask, sign_in_path: str, home: str,
                                                 signed_out: str) -> None:
    client = app.test_client()
    form = client.get(sign_in_path).get_data(as_text=True)
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(sign_in_path, data={"username": "baerum", "password": PLANNER_PASSWORD,
                                               "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(home)
    page = client.get(home)
    assert page.status_code == 200
    out = client.post(home.replace("/planner/", "/planner/logg-ut" if "/en/" not in home
                                   else "/planner/sign-out"),
                      headers={"X-CSRFToken": page_csrf(client, home)})
    assert out.status_code == 302 and out.headers["Location"].endswith(signed_out)


def test_a_kommune_without_a_projection_shows_none(app: Flask) -> None:
    """Bærum's file has no [projection]: its indicator page shows no projection, and never
    Asker's assumptions."""
    public = app.test_client()
    asker = public.get("/en/indicators").get_data(as_text=True)
    assert "Projection to 2040" in asker and "37" in asker
    baerum = public.get("/k/3201/en/indicators")
    assert baerum.status_code == 200
    page = baerum.get_data(as_text=True)
    assert "Projection to" not in page and 'id="chart-projection' not in page
