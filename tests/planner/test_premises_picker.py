"""Premises and planned use name their building by bygningsnummer and their site by name: no
internal ids in the form; unknown numbers are refused with a message; a number search."""

from __future__ import annotations

import re

import psycopg
from flask.testing import FlaskClient

from gis.db import libpq_dsn
from tests.planner.conftest import page_csrf

NUMBER = "300123456"


def _building(planner_db: str) -> int:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        conn.execute(
            "INSERT INTO building (id, bygningsnummer, bygningstype, geom) VALUES (9001, %s, '311', "
            "ST_Transform(ST_SetSRID(ST_MakePoint(10.4309, 59.8335), 4326), 25832))",
            (NUMBER,),
        )
    return 9001


def test_form_offers_names_and_numbers_not_ids(planner_client: FlaskClient, planner_db: str) -> None:
    html = planner_client.get("/planner/lokaler").get_data(as_text=True)
    assert "(id" not in html and 'name="building_id"' not in html
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        site_id, name = conn.execute("SELECT id, name FROM site ORDER BY name LIMIT 1").fetchone()  # type: ignore[misc]
    assert re.search(rf'<option value="{site_id}" >{re.escape(name)} \(', html)


def test_premises_saved_with_the_building_number(planner_client: FlaskClient, planner_db: str) -> None:
    building_id = _building(planner_db)
    token = page_csrf(planner_client, "/planner/lokaler")
    base = {"csrf_token": token, "address": "Torget 3", "floor_area_m2": "300", "use": "kontor"}
    saved = planner_client.post("/planner/lokaler", data={**base, "building_number": NUMBER})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        premises_id, stored = conn.execute(  # type: ignore[misc]
            "SELECT id, building_id FROM premises WHERE address = 'Torget 3'"
        ).fetchone()
    assert stored == building_id
    edit = planner_client.get(f"/planner/lokaler?rediger={premises_id}").get_data(as_text=True)
    assert f'value="{NUMBER}"' in edit
    unknown = planner_client.post("/planner/lokaler", data={**base, "building_number": "999"})
    assert unknown.status_code == 422
    assert "Fant ingen bygning med bygningsnummer 999" in unknown.get_data(as_text=True)
    found = planner_client.get("/planner/lokaler/bygninger/sok?q=3001").get_json()
    assert [b["number"] for b in found] == [NUMBER] and found[0]["label"].startswith(f"{NUMBER} – ")


def test_planned_use_by_building_number(planner_client: FlaskClient, planner_db: str) -> None:
    _building(planner_db)
    token = page_csrf(planner_client, "/planner/lokaler")
    saved = planner_client.post(
        "/planner/planlagt-bruk",
        data={"csrf_token": token, "label": "Gamle rådhus", "planned_use": "Kontorhotell",
              "horizon_year": "2030", "building_number": NUMBER},
    )  # fmt: skip
    assert saved.status_code == 302
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        assert conn.execute("SELECT building_id FROM planned_use").fetchone() == (9001,)
