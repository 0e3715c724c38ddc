"""Available premises (shown to investors when published) and planned use."""

from __future__ import annotations

import psycopg
from flask.testing import FlaskClient

from gis.db import libpq_dsn
from tests.planner.conftest import page_csrf


def test_premises_are_public_only_when_published(planner_client: FlaskClient,
                                                 planner_db: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        site_id = conn.execute("SELECT min(id) FROM site").fetchone()[0]  # type: ignore[index]
    token = page_csrf(planner_client, "/planner/lokaler")
    base = {"csrf_token": token, "address": "Torget 1", "floor_area_m2": "450", "use": "kontor",
            "available_from": "2027-01-01", "rent_level": "1 800 kr/m²", "site_id": str(site_id)}
    assert planner_client.post("/planner/lokaler", data=base).status_code == 302
    assert planner_client.post("/planner/lokaler", data={**base, "address": "Torget 2",
                                                         "published": "on"}).status_code == 302
    public = planner_client.application.test_client().get(f"/api/premises?site={site_id}").get_json()
    assert [p["address"] for p in public["premises"]] == ["Torget 2"]
    assert public["premises"][0]["floor_area_m2"] == 450 and public["premises"][0]["lon"]
    bad = planner_client.post("/planner/lokaler", data={**base, "floor_area_m2": "mye"})
    assert bad.status_code == 422 and "Gulvareal må være et tall" in bad.get_data(as_text=True)


def test_planned_use_with_horizon(planner_client: FlaskClient) -> None:
    token = page_csrf(planner_client, "/planner/lokaler")
    saved = planner_client.post("/planner/planlagt-bruk", data={
        "csrf_token": token, "label": "Gamle rådhus", "planned_use": "Kontorhotell",
        "horizon_year": "2030", "site_id": "1"})
    assert saved.status_code == 302
    page = planner_client.get("/planner/lokaler").get_data(as_text=True)
    assert "Kontorhotell" in page and "2030" in page
    refused = planner_client.post("/planner/planlagt-bruk", data={
        "csrf_token": token, "label": "X", "planned_use": "Y", "horizon_year": "1990"})
    assert refused.status_code == 422 and "Velg en bygning eller et areal" in refused.get_data(as_text=True)
