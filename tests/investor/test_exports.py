"""Exports of the filtered catalogue parse back, hold public fields only, match the list."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyogrio
from flask.testing import FlaskClient

from tests.investor.test_catalogue import listed
from webmap.investor.exports import EXPORT_COLUMNS

FILTER = "?area_min=2000&ownership=privat&sort=area_desc"
INTERNAL = {"planner_note", "contact_name", "contact_email", "contact_phone", "published"}


def test_csv_has_bom_semicolons_and_the_listed_sites(investor_client: FlaskClient) -> None:
    response = investor_client.get("/investor/eksport.csv" + FILTER)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="')
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [r["site_key"] for r in rows] == listed(investor_client, "/investor" + FILTER)
    assert set(rows[0]) == set(EXPORT_COLUMNS) and not INTERNAL & set(rows[0])
    assert all(float(r["area_m2"].replace(",", ".")) >= 2000 for r in rows)
    assert rows[0]["url"].endswith("/investor/tomt/" + rows[0]["site_key"])
    assert "," in rows[0]["lat"]  # decimal comma for Norwegian Excel


def test_csv_neutralises_spreadsheet_formulas(investor_client: FlaskClient,
                                              investor_db_url: str) -> None:
    from tests.investor.conftest import query

    query(investor_db_url, "UPDATE site SET planned_use = '=HYPERLINK(\"x\")' WHERE site_key = 'ASK-001'")
    try:
        text = investor_client.get("/investor/eksport.csv").data.decode("utf-8-sig")
        assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text
    finally:
        query(investor_db_url, "UPDATE site SET planned_use = 'Kontor' WHERE site_key = 'ASK-001'")


def test_geojson_export_parses_back(investor_client: FlaskClient) -> None:
    response = investor_client.get("/en/investor/export.geojson" + FILTER)
    data = json.loads(response.data)
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == listed(investor_client, "/investor" + FILTER)
    first = data["features"][0]
    assert first["geometry"]["type"] == "MultiPolygon"
    assert not INTERNAL & set(first["properties"])
    assert first["properties"]["readiness_label"] in {"Available now", "Zoned",
                                                      "In the municipal plan – not yet zoned"}


def test_geopackage_export_reads_with_pyogrio(investor_client: FlaskClient, tmp_path: Path) -> None:
    response = investor_client.get("/investor/eksport.gpkg" + FILTER)
    assert response.mimetype == "application/geopackage+sqlite3"
    path = tmp_path / "sites.gpkg"
    path.write_bytes(response.data)
    frame = pyogrio.read_dataframe(path, layer="sites")
    assert list(frame["site_key"]) == listed(investor_client, "/investor" + FILTER)
    assert frame.crs.to_epsg() == 4326 and not INTERNAL & set(frame.columns)
    assert frame.geometry.is_valid.all()


def test_empty_geopackage_and_unknown_format(investor_client: FlaskClient, tmp_path: Path) -> None:
    path = tmp_path / "none.gpkg"
    path.write_bytes(investor_client.get("/investor/eksport.gpkg?area_min=999999999").data)
    assert len(pyogrio.read_dataframe(path)) == 0
    assert investor_client.get("/investor/eksport.xlsx").status_code == 404


def test_api_responses_match_the_openapi_document(investor_client: FlaskClient) -> None:
    from tests.openapi_check import assert_matches_spec, openapi_document

    document = openapi_document(investor_client)
    for path in ("/api/investor/sites", "/api/investor/sites?lang=en&sort=distance",
                 "/api/investor/sites?area_min=x", "/investor/eksport.geojson" + FILTER):
        assert_matches_spec(document, "get", path, investor_client.get(path))


def test_csv_content_type_names_one_charset(investor_client: FlaskClient) -> None:
    response = investor_client.get("/investor/eksport.csv" + FILTER)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_export_links_use_the_configured_public_url_not_the_host_header(
        investor_db_url: str) -> None:
    from tests.conftest import make_settings
    from webmap import create_app

    app = create_app(make_settings(investor_db_url, public_url="https://kart.asker.example/"))
    client = app.test_client()
    forged = {"Host": "evil.example"}
    text = client.get("/investor/eksport.csv" + FILTER, headers=forged).data.decode("utf-8-sig")
    urls = [row["url"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]
    assert urls and all(url.startswith("https://kart.asker.example/investor/") for url in urls)
    collection = json.loads(client.get("/investor/eksport.geojson" + FILTER, headers=forged).data)
    links = [feature["properties"]["url"] for feature in collection["features"]]
    assert links and all(url.startswith("https://kart.asker.example/") for url in links)
    assert "evil.example" not in text + json.dumps(collection)
