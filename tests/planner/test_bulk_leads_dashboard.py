"""Bulk upload (preview, apply in one transaction, a rejected row changes nothing), the leads
inbox (read, assign, answer, export, delete, automatic purge) and the arealregnskap."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import psycopg
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from shapely.geometry import Polygon

from gis.db import libpq_dsn
from tests.planner.conftest import page_csrf
from webmap.cli import main


def _site_state(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(libpq_dsn(url)) as conn:
        return conn.execute("SELECT id, version, name, status, area_m2, ST_AsEWKB(geom) FROM site "
                            "ORDER BY id").fetchall()


def _geopackage(tmp_path: Path, planner_db: str, *, bad_row: bool) -> Path:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        key, name = conn.execute("SELECT site_key, name FROM site ORDER BY id LIMIT 1").fetchone()  # type: ignore[misc]
        key2, name2, area2 = conn.execute(  # type: ignore[misc]
            "SELECT site_key, name, area_m2 FROM site ORDER BY id OFFSET 1 LIMIT 1").fetchone()
        geom_row = conn.execute("SELECT ST_AsText(ST_Transform(geom, 25832)) FROM site "
                                "ORDER BY id LIMIT 2").fetchall()
    from shapely import wkt

    square = Polygon([(580000, 6633000), (580100, 6633000), (580100, 6633100), (580000, 6633100)])
    bowtie = Polygon([(580300, 6633000), (580400, 6633100), (580400, 6633000), (580300, 6633100)])
    rows = [
        {"site_key": "NY-1", "name": "Ny tomt fra fil", "area_m2": 10000.0, "status": "ledig",
         "geometry": square},
        {"site_key": key, "name": name + " (oppdatert)", "area_m2": None, "status": None,
         "geometry": wkt.loads(geom_row[0][0]).geoms[0]},
        {"site_key": key2, "name": name2, "area_m2": float(area2), "status": None,
         "geometry": wkt.loads(geom_row[1][0]).geoms[0]},
    ]
    if bad_row:
        rows.append({"site_key": "NY-2", "name": "Sløyfe", "area_m2": 5000.0, "status": "ledig",
                     "geometry": bowtie})
    path = tmp_path / ("med_feil.gpkg" if bad_row else "arealer.gpkg")
    gpd.GeoDataFrame(rows, crs=25832).to_file(path, layer="sites", driver="GPKG")
    return path


def _upload(client: FlaskClient, path: Path) -> str:
    token = page_csrf(client, "/planner/opplasting")
    with path.open("rb") as handle:
        response = client.post("/planner/opplasting", data={"csrf_token": token,
                                                            "file": (handle, path.name)},
                               content_type="multipart/form-data",
                               headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return str(response.get_json()["preview_url"])


def test_upload_preview_and_apply(planner_client: FlaskClient, planner_db: str,
                                  tmp_path: Path) -> None:
    before = _site_state(planner_db)
    preview_url = _upload(planner_client, _geopackage(tmp_path, planner_db, bad_row=False))
    page = planner_client.get(preview_url).get_data(as_text=True)
    counts = re.findall(r"<strong>(\d+)</strong>", page)
    assert counts == ["1", "1", "1", "0"]  # new, changed, unchanged, rejected
    assert _site_state(planner_db) == before  # a preview changes nothing
    token = page_csrf(planner_client, preview_url)
    applied = planner_client.post(preview_url + "/bruk", data={"csrf_token": token})
    assert applied.status_code == 302
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        new = conn.execute("SELECT name, version, published FROM site WHERE site_key = 'NY-1'").fetchone()
        changed = conn.execute("SELECT name, version, updated_by FROM site WHERE name LIKE "
                               "'%(oppdatert)'").fetchone()
        operation = conn.execute("SELECT operation FROM site_version ORDER BY id DESC LIMIT 1").fetchone()
    assert new == ("Ny tomt fra fil", 1, False)
    assert changed and changed[1] == 2 and changed[2] == "kari"
    assert operation and operation[0] == "opplasting arealer.gpkg"
    again = planner_client.post(preview_url + "/bruk", data={"csrf_token": token})
    assert again.status_code == 409  # applied once only


def test_a_site_added_by_upload_gets_its_abc_profile(planner_client: FlaskClient, planner_db: str,
                                                     tmp_path: Path) -> None:
    """The catalogue filters on the stored ABC profile: a bulk-added site must have one at once,
    as a site drawn in the editor or loaded by the ETL has."""
    preview_url = _upload(planner_client, _geopackage(tmp_path, planner_db, bad_row=False))
    token = page_csrf(planner_client, preview_url)
    assert planner_client.post(preview_url + "/bruk", data={"csrf_token": token}).status_code == 302
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        profile = conn.execute(
            "SELECT a.reasons IS NOT NULL, a.computed_at > now() - interval '1 minute' "
            "FROM site s JOIN site_accessibility a ON a.site_id = s.id "
            "WHERE s.site_key = 'NY-1'").fetchone()
    assert profile == (True, True)


def test_a_rejected_row_leaves_everything_unchanged(planner_client: FlaskClient, planner_db: str,
                                                    tmp_path: Path) -> None:
    before = _site_state(planner_db)
    preview_url = _upload(planner_client, _geopackage(tmp_path, planner_db, bad_row=True))
    page = planner_client.get(preview_url).get_data(as_text=True)
    assert "polygonet krysser seg selv" in page
    assert re.findall(r"<strong>(\d+)</strong>", page)[-1] == "1"
    token = page_csrf(planner_client, preview_url)
    refused = planner_client.post(preview_url + "/bruk", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "1 rader er avvist" in refused.get_data(as_text=True)
    assert _site_state(planner_db) == before


def test_spreadsheet_template_and_a_bad_file(planner_client: FlaskClient, tmp_path: Path) -> None:
    from tests.conftest import demo_file

    preview_url = _upload(planner_client, demo_file("sites_template.csv"))
    assert "Forhåndsvisning av sites_template.csv" in planner_client.get(preview_url).get_data(as_text=True)
    bad = tmp_path / "tull.txt"
    bad.write_text("ikke en fil vi kan lese")
    token = page_csrf(planner_client, "/planner/opplasting")
    with bad.open("rb") as handle:
        response = planner_client.post("/planner/opplasting", data={"csrf_token": token,
                                                                   "file": (handle, bad.name)},
                                       content_type="multipart/form-data")
    assert response.status_code == 422 and "filtypen støttes ikke" in response.get_data(as_text=True)


def test_a_broken_file_is_named_as_uploaded_never_by_its_server_path(
        planner_client: FlaskClient) -> None:
    token = page_csrf(planner_client, "/planner/opplasting")
    response = planner_client.post(
        "/planner/opplasting", data={"csrf_token": token,
                                     "file": (io.BytesIO(b"not a geopackage"), "Tomter mai.gpkg")},
        content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tomter mai.gpkg" in text and "cannot be read" in text
    assert tempfile.gettempdir() not in text and "Tomter_mai.gpkg" not in text


def _add_lead(url: str, name: str, days_old: int = 0) -> int:
    with psycopg.connect(libpq_dsn(url)) as conn:
        row = conn.execute(
            "INSERT INTO interest_request (site_id, name, email, message, consent, created_at) "
            "VALUES ((SELECT min(id) FROM site), %s, %s, %s, true, now() - make_interval(days => %s)) "
            "RETURNING id", (name, name.lower() + "@example.no", "=HYPERLINK(\"x\")", days_old)).fetchone()
    assert row
    return int(row[0])


def test_leads_inbox(planner_client: FlaskClient, planner_db: str) -> None:
    lead_id = _add_lead(planner_db, "Investor")
    old_id = _add_lead(planner_db, "Gammel", days_old=400)
    inbox = planner_client.get("/planner/henvendelser").get_data(as_text=True)
    assert "Investor" in inbox and "Gammel" not in inbox and "ulest" in inbox  # purged on access
    assert planner_client.get(f"/planner/henvendelser/{old_id}").status_code == 404
    page = f"/planner/henvendelser/{lead_id}"
    lead_page = planner_client.get(page).get_data(as_text=True)
    assert "investor@example.no" in lead_page
    assert f"NK-{lead_id:06d}" in lead_page  # the reference the investor's receipt gave
    token = page_csrf(planner_client, page)
    planner_client.post(page + "/tildel", data={"csrf_token": token, "assigned_to": "kari"})
    planner_client.post(page + "/besvart", data={"csrf_token": token})
    assert "besvart" in planner_client.get(page).get_data(as_text=True)
    exported = planner_client.get("/planner/henvendelser.csv")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0]["assigned_to"] == "kari" and rows[0]["answered_by"] == "kari"
    assert rows[0]["message"].startswith("'=")  # no formula injection
    planner_client.post(page + "/slett", data={"csrf_token": token})
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        assert conn.execute("SELECT count(*) FROM interest_request").fetchone() == (0,)


def test_leads_purge_command(planner_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_lead(planner_db, "Ny")
    _add_lead(planner_db, "Gammel", days_old=40)
    monkeypatch.setenv("NAERINGSKART_DATABASE_URL", planner_db)
    monkeypatch.setenv("NAERINGSKART_PLANNER_LEADS_RETENTION_DAYS", "30")
    result = CliRunner().invoke(main, ["leads", "purge"])
    assert result.exit_code == 0 and "deleted 1 request(s) older than 30 days" in result.output
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        assert conn.execute("SELECT name FROM interest_request").fetchall() == [("Ny",)]


def test_dashboard_accounting_and_stale_entries(planner_client: FlaskClient, planner_db: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        available = conn.execute("SELECT count(*), sum(area_m2) FROM site WHERE status IN "
                                 "('ledig', 'reservert')").fetchone()
        site_id, area = conn.execute("SELECT id, area_m2 FROM site WHERE status = 'reservert' "  # type: ignore[misc]
                                     "ORDER BY id LIMIT 1").fetchone()
        conn.execute("UPDATE site SET status = 'under_utbygging' WHERE id = %s", (site_id,))
        conn.execute("UPDATE site SET last_verified = current_date - 400 WHERE id = %s", (site_id,))
        conn.execute("INSERT INTO unmet_demand (area_min_m2, area_max_m2, category, tettsted, "
                     "signature, searches) VALUES (20000, 50000, 'logistikk', 'Asker', 'a', 1), "
                     "(20000, 50000, 'logistikk', 'Asker', 'b', 1)")
    assert available
    html = planner_client.get("/planner/").get_data(as_text=True)
    expected = round(float(available[1]) - float(area))
    shown = html.split('id="available-m2">')[1].split("m²")[0]
    assert int(re.sub(r"\D", "", shown)) == expected
    # Each language groups thousands its own way: 761 302 in bokmål, 761,302 in English.
    english = planner_client.get("/en/planner/").get_data(as_text=True)
    assert f"{expected:,}" in english.split('id="available-m2">')[1].split("m²")[0]
    assert "logistikk" in html and ">2<" in html.split('id="unmet-demand"')[1]
    stale = html.split('id="stale"')[1]
    token = page_csrf(planner_client, "/planner/")
    verify = planner_client.post(f"/planner/arealer/{site_id}/verifiser",
                                 data={"csrf_token": token, "back": "dashboard"})
    assert verify.status_code == 302 and f"/planner/arealer/{site_id}" in stale
    after = planner_client.get("/planner/").get_data(as_text=True).split("Ikke verifisert")[1]
    assert f"/planner/arealer/{site_id}\"" not in after
    exported = planner_client.get("/planner/arealregnskap.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported)))
    taken = [r for r in rows if r[0] == "taken_up"]
    assert taken and int(taken[-1][3]) == round(float(area))
    assert any(r[0] == "years_of_reserve" and r[3] for r in rows)


HOSTILE_ROWS = [
    # (site_id, name, area_m2, wkt, lat, lon)
    ("X-NAN", "Ikke et tall", "NaN", "", "59.84", "10.45"),
    ("X-INF", "Uendelig", "1e309", "", "59.84", "10.45"),
    ("X-HUGE", "Enorme koordinater", "1000",
     "POLYGON ((1e308 1e308, 1e308 -1e308, -1e308 -1e308, 1e308 1e308))", "", ""),
    ("X-LATNAN", "Breddegrad NaN", "1000", "", "nan", "10.45"),
    ("X-FAR", "Utenfor kloden", "1000", "", "95", "400"),
    ("X-HTML", "<img src=x onerror=alert(1)>", "1000", "", "59.84", "10.45"),
    ("X-FORMULA", "=HYPERLINK(\"http://evil.example\")", "1000", "", "59.84", "10.45"),
]


def test_a_hostile_spreadsheet_is_previewed_with_reasons_and_never_applied(
        planner_client: FlaskClient, planner_db: str, tmp_path: Path) -> None:
    before = _site_state(planner_db)
    path = tmp_path / "fiendtlig.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["site_id", "name", "area_m2", "status", "wkt", "lat", "lon"])
        for site_id, name, area, wkt, lat, lon in HOSTILE_ROWS:
            writer.writerow([site_id, name, area, "ledig", wkt, lat, lon])
    token = page_csrf(planner_client, "/planner/opplasting")
    with path.open("rb") as handle:
        response = planner_client.post("/planner/opplasting", data={"csrf_token": token,
                                                                   "file": (handle, path.name)},
                                       content_type="multipart/form-data")
    assert response.status_code == 302, response.status_code
    preview_url = response.headers["Location"]
    page = planner_client.get(preview_url).get_data(as_text=True)
    # Every bad row is named with its column and reason, in the page's language.
    for reason in ("«NaN» er ikke et tall", "«1e309» er ikke et tall",
                   "kolonne wkt (E): posisjonen ligger ikke i Norge", "«nan» er ikke et tall",
                   "kolonne lat (F): posisjonen ligger ikke i Norge"):
        assert reason in page, reason
    assert re.findall(r"Avviste: (\d+)", re.sub(r"<[^>]+>", "", page)) == ["5"]
    assert "&lt;img src=x" in page
    refused = planner_client.post(preview_url + "/bruk",
                                  data={"csrf_token": page_csrf(planner_client, preview_url)})
    assert refused.status_code == 409
    assert "<img src=x" not in page
    assert _site_state(planner_db) == before
