"""Editing sites: validation in PostGIS, versions for every writer, conflicts, restore,
split and merge, nothing hard-deleted."""

from __future__ import annotations

from typing import Any

import psycopg
from flask.testing import FlaskClient
from sqlalchemy import create_engine

from etl.load import load_source
from gis.db import libpq_dsn
from tests.conftest import STORAGE_SRID
from tests.planner.conftest import page_csrf

# A square of about 100 × 100 m near Asker sentrum (lon/lat).
SQUARE = {"type": "Polygon", "coordinates": [[[10.4300, 59.8330], [10.4318, 59.8330],
                                              [10.4318, 59.8339], [10.4300, 59.8339],
                                              [10.4300, 59.8330]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[10.4300, 59.8330], [10.4318, 59.8339],
                                              [10.4318, 59.8330], [10.4300, 59.8339],
                                              [10.4300, 59.8330]]]}
IN_SWEDEN = {"type": "Polygon", "coordinates": [[[12.00, 59.00], [12.01, 59.00], [12.01, 59.01],
                                                 [12.00, 59.01], [12.00, 59.00]]]}


def _headers(client: FlaskClient) -> dict[str, str]:
    return {"X-CSRFToken": page_csrf(client, "/planner/kart")}


def _create(client: FlaskClient, geometry: dict[str, Any] = SQUARE, **values: Any) -> Any:
    return client.post("/api/planner/sites", json={"values": {"name": "Testtomt", **values},
                                                   "geometry": geometry},
                       headers=_headers(client))


def test_create_needs_csrf(planner_client: FlaskClient) -> None:
    response = planner_client.post("/api/planner/sites", json={"values": {"name": "x"},
                                                               "geometry": SQUARE})
    assert response.status_code == 400


def test_validation_messages(planner_client: FlaskClient) -> None:
    bowtie = _create(planner_client, BOWTIE)
    assert bowtie.status_code == 422
    assert "krysser seg selv" in bowtie.get_json()["problems"][0]
    outside = _create(planner_client, IN_SWEDEN)
    assert outside.status_code == 422
    assert "utenfor kommunen" in outside.get_json()["problems"][0]
    wrong_area = _create(planner_client, SQUARE, area_m2=50_000)
    assert wrong_area.status_code == 422
    assert "avviker fra tegnet areal" in wrong_area.get_json()["problems"][0]
    nameless = _create(planner_client, SQUARE, name=" ")
    assert nameless.status_code == 422 and "Navn" in nameless.get_json()["problems"][0]


def test_create_edit_history_restore(planner_client: FlaskClient, planner_db: str) -> None:
    created = _create(planner_client)
    assert created.status_code == 201, created.get_json()
    site = created.get_json()
    assert site["version"] == 1 and site["published"] is False
    assert 9000 < site["area_m2"] < 11000  # defaults to the drawn area
    site_id = site["id"]
    edited = planner_client.patch(f"/api/planner/sites/{site_id}", headers=_headers(planner_client),
                                  json={"version": 1, "values": {"name": "Nytt navn",
                                                                 "status": "reservert"}})
    assert edited.status_code == 200 and edited.get_json()["version"] == 2
    history = planner_client.get(f"/api/planner/sites/{site_id}/history").get_json()
    assert [v["version"] for v in history] == [2, 1]
    assert {c["field"] for c in history[0]["changes"]} == {"name", "status"}
    assert history[0]["changed_by"] == "kari"
    restored = planner_client.post(f"/api/planner/sites/{site_id}/restore",
                                   headers=_headers(planner_client),
                                   json={"version": 2, "restore": 1})
    assert restored.status_code == 200
    assert restored.get_json()["name"] == "Testtomt" and restored.get_json()["version"] == 3
    page = planner_client.get(f"/planner/arealer/{site_id}").get_data(as_text=True)
    assert "Versjon 3" in page and "Versjon 1 gjenopprettet" in page


def test_status_workflow_refuses_jumps(planner_client: FlaskClient) -> None:
    site = _create(planner_client).get_json()
    jump = planner_client.patch(f"/api/planner/sites/{site['id']}", headers=_headers(planner_client),
                                json={"version": 1, "values": {"status": "utbygd"}})
    assert jump.status_code == 422 and "Status kan ikke gå fra" in jump.get_json()["problems"][0]


def test_second_save_from_an_old_version_is_a_conflict(planner_client: FlaskClient,
                                                        admin_client: FlaskClient) -> None:
    site = _create(planner_client).get_json()
    url = f"/api/planner/sites/{site['id']}"
    first = admin_client.patch(url, headers=_headers(admin_client),
                               json={"version": 1, "values": {"planned_use": "Lager"}})
    assert first.status_code == 200
    second = planner_client.patch(url, headers=_headers(planner_client),
                                  json={"version": 1, "values": {"name": "Mitt navn"}})
    assert second.status_code == 409
    body = second.get_json()
    assert body["changed_by"] == "ola" and body["current_version"] == 2
    assert body["changes"] == [{"field": "planned_use", "before": None, "after": "Lager"}]
    assert "ble endret av ola" in body["detail"]
    assert planner_client.get(url).get_json()["name"] == "Testtomt"  # no lost update


def test_conflict_on_the_form_page(planner_client: FlaskClient, admin_client: FlaskClient) -> None:
    site = _create(planner_client).get_json()
    page = f"/planner/arealer/{site['id']}"
    token_a = page_csrf(planner_client, page)
    token_b = page_csrf(admin_client, page)
    form = {"version": "1", "name": "A", "area_m2": str(site["area_m2"]), "status": "ledig"}
    assert admin_client.post(page, data={**form, "name": "B", "csrf_token": token_b}).status_code == 302
    response = planner_client.post(page, data={**form, "csrf_token": token_a})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "ble endret av ola" in html and 'id="conflict"' in html


def test_etl_loads_leave_versions_too(planner_db: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        before = conn.execute("SELECT count(*) FROM site_version").fetchone()
        row = conn.execute("SELECT id, version FROM site ORDER BY id LIMIT 1").fetchone()
    assert before and row and before[0] > 0 and row[1] == 1
    # Loading the same data again changes nothing and adds no versions.
    engine = create_engine(planner_db)
    from tests.conftest import demo_file

    load_source(engine, "sites", demo_file("sites_template.csv"), storage_srid=STORAGE_SRID)
    engine.dispose()
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        conn.execute("UPDATE site SET name = name || ' (endret)' WHERE id = %s", (row[0],))
        versions = conn.execute("SELECT version, changed_by, before->>'name', after->>'name' "
                                "FROM site_version WHERE site_id = %s ORDER BY version DESC",
                                (row[0],)).fetchall()
    assert versions[0][0] == versions[1][0] + 1
    assert versions[0][3].endswith("(endret)") and versions[0][2] == versions[1][3]


def test_hard_delete_by_another_writer_is_still_in_the_history(planner_db: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        site_id = conn.execute("SELECT min(id) FROM site").fetchone()[0]  # type: ignore[index]
        conn.execute("DELETE FROM site WHERE id = %s", (site_id,))
        last = conn.execute("SELECT operation, before->>'name', after FROM site_version "
                            "WHERE site_id = %s ORDER BY version DESC LIMIT 1", (site_id,)).fetchone()
    assert last and last[0] == "delete" and last[1] and last[2] is None


def test_split_and_merge(planner_client: FlaskClient) -> None:
    site = _create(planner_client).get_json()
    line = {"type": "LineString", "coordinates": [[10.4309, 59.8325], [10.4309, 59.8345]]}
    split = planner_client.post(f"/api/planner/sites/{site['id']}/split",
                                headers=_headers(planner_client), json={"version": 1, "line": line})
    assert split.status_code == 201, split.get_json()
    parts = split.get_json()["ids"]
    assert len(parts) == 2
    original = planner_client.get(f"/api/planner/sites/{site['id']}").get_json()
    assert original["archived_at"] and original["published"] is False
    merged = planner_client.post("/api/planner/sites/merge", headers=_headers(planner_client),
                                 json={"sites": {str(parts[0]): 1, str(parts[1]): 1}})
    assert merged.status_code == 201, merged.get_json()
    new = planner_client.get(f"/api/planner/sites/{merged.get_json()['id']}").get_json()
    assert abs(new["geom_area_m2"] - original["geom_area_m2"]) < 5
    ids = {f["id"] for f in planner_client.get("/api/planner/sites").get_json()["features"]}
    assert new["id"] in ids and site["id"] not in ids and not set(parts) & ids


def test_archived_sites_are_not_public(planner_client: FlaskClient, planner_db: str) -> None:
    site = _create(planner_client, published=True).get_json()
    archived = planner_client.post(f"/api/planner/sites/{site['id']}/archive",
                                   headers=_headers(planner_client),
                                   json={"version": site["version"], "reason": "solgt"})
    assert archived.status_code == 200 and archived.get_json()["published"] is False
    with psycopg.connect(libpq_dsn(planner_db)) as conn:  # e.g. the ETL reloading an old file
        conn.execute("UPDATE site SET published = true WHERE id = %s", (site["id"],))
        row = conn.execute("SELECT published FROM site WHERE id = %s", (site["id"],)).fetchone()
    assert row == (False,)


def test_drawn_and_moved_sites_are_classified_at_once(planner_client: FlaskClient,
                                                      planner_db: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        conn.execute("INSERT INTO centre (name, level, geom) VALUES ('Testsenter', 'lokalsenter', "
                     "ST_Transform(ST_SetSRID(ST_MakePoint(10.4309, 59.8335), 4326), %s))",
                     (STORAGE_SRID,))
    created = _create(planner_client)
    assert created.status_code == 201, created.get_json()
    site_id = created.get_json()["id"]

    def centre() -> tuple[Any, ...] | None:
        with psycopg.connect(libpq_dsn(planner_db)) as conn:
            return conn.execute("SELECT centre_name, centre_distance_m FROM site_accessibility "
                                "WHERE site_id = %s", (site_id,)).fetchone()

    before = centre()
    assert before is not None and before[0] == "Testsenter" and float(before[1]) == 0
    moved = {"type": "Polygon", "coordinates": [[[10.4500, 59.8330], [10.4518, 59.8330],
                                                 [10.4518, 59.8339], [10.4500, 59.8339],
                                                 [10.4500, 59.8330]]]}
    edited = planner_client.patch(f"/api/planner/sites/{site_id}", headers=_headers(planner_client),
                                  json={"version": 1, "values": {}, "geometry": moved})
    assert edited.status_code == 200, edited.get_json()
    after = centre()
    assert after is not None and float(after[1]) > 900


def test_sites_made_by_split_and_merge_get_their_abc_profile(planner_client: FlaskClient,
                                                             planner_db: str) -> None:
    """The catalogue filters on the stored ABC profile: the parts of a split and the site a
    merge makes have one at once, as a site drawn in the editor has."""
    site = _create(planner_client).get_json()
    line = {"type": "LineString", "coordinates": [[10.4309, 59.8325], [10.4309, 59.8345]]}
    parts = planner_client.post(f"/api/planner/sites/{site['id']}/split", headers=_headers(planner_client),
                                json={"version": 1, "line": line}).get_json()["ids"]
    merged = planner_client.post("/api/planner/sites/merge", headers=_headers(planner_client),
                                 json={"sites": {str(parts[0]): 1, str(parts[1]): 1}}).get_json()["id"]
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        profiled = conn.execute(
            "SELECT count(*) FROM site_accessibility WHERE site_id = ANY(%s) AND reasons IS NOT NULL",
            ([*parts, merged],)).fetchone()
    assert profiled == (3,)
