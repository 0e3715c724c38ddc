"""NaN, Infinity and numbers beyond float's range are refused by every writer of an area: the
planner API (JSON strings and JSON's own NaN literal), the site and premises forms, the ETL, and
the database itself. One such area once made every investor page answer 500."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine

from etl.errors import LoadError
from etl.load import load_source
from gis.db import libpq_dsn
from tests.conftest import STORAGE_SRID
from tests.planner.conftest import page_csrf
from tests.planner.test_sites import SQUARE, _create, _headers

NOT_FINITE = ["nan", "NaN", "Infinity", "-inf", "1e309", "1" + "0" * 400]


@pytest.mark.parametrize("area", NOT_FINITE)
def test_the_api_refuses_a_non_finite_area(planner_client: FlaskClient, planner_db: str,
                                           area: str) -> None:
    response = _create(planner_client, SQUARE, area_m2=area)
    assert response.status_code == 422
    assert "Arealet må være et tall" in response.get_json()["problems"][0]


def test_json_nan_literals_are_refused_and_pages_keep_working(planner_client: FlaskClient,
                                                              planner_db: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        before = conn.execute("SELECT count(*), sum(area_m2) FROM site").fetchone()
    for literal in ("NaN", "Infinity", "-Infinity", "1e309"):
        body = ('{"values": {"name": "Tomt", "area_m2": ' + literal + '}, "geometry": '
                + json.dumps(SQUARE) + "}")
        response = planner_client.post("/api/planner/sites", data=body,
                                       content_type="application/json",
                                       headers=_headers(planner_client))
        assert response.status_code == 422, (literal, response.get_data(as_text=True))
    site = _create(planner_client, SQUARE).get_json()
    edit = planner_client.patch(f"/api/planner/sites/{site['id']}", headers=_headers(planner_client),
                              data='{"version": 1, "values": {"area_m2": NaN}}',
                              content_type="application/json")
    assert edit.status_code == 422
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        after = conn.execute("SELECT count(*) - 1, sum(area_m2) - %s FROM site",
                             (site["area_m2"],)).fetchone()
    assert after == before
    public = planner_client.application.test_client()
    for page in ("/investor", "/api/investor/sites", "/investor/eksport.csv"):
        assert public.get(page).status_code == 200, page


@pytest.mark.parametrize("area", ["nan", "inf", "-Infinity", "1e309"])
def test_the_premises_form_refuses_a_non_finite_floor_area(planner_client: FlaskClient,
                                                           area: str) -> None:
    token = page_csrf(planner_client, "/planner/lokaler")
    response = planner_client.post("/planner/lokaler", data={
        "csrf_token": token, "address": "Torget 1", "floor_area_m2": area, "use": "kontor"})
    assert response.status_code == 422
    assert "Gulvareal må være et tall" in response.get_data(as_text=True)


def test_the_database_refuses_non_finite_numbers_from_any_writer(planner_db: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        for value in ("NaN", "Infinity", "-Infinity"):
            with pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
                conn.execute("UPDATE site SET area_m2 = %s::numeric WHERE id = "
                             "(SELECT min(id) FROM site)", (value,))
            with pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
                conn.execute("INSERT INTO statistic (source, table_id, indicator, region, year, "
                             "value) VALUES ('x', 'x', 'x', '3203', 2024, %s::numeric)", (value,))


def test_a_site_file_with_an_infinite_area_is_refused(planner_db: str, tmp_path: Path) -> None:
    path = tmp_path / "tomter.csv"
    path.write_text("site_id;name;area_m2;status;wkt\n"
                    "T-1;Tomt;Infinity;ledig;POLYGON ((580000 6630000, 580100 6630000, "
                    "580100 6630050, 580000 6630050, 580000 6630000))\n", encoding="utf-8")
    engine = create_engine(planner_db)
    try:
        with pytest.raises(LoadError, match="area_m2"):
            load_source(engine, "sites", path, storage_srid=STORAGE_SRID)
    finally:
        engine.dispose()
