"""Hostile input gets a 4xx with a clear message, never a 500: NUL bytes in every part of a
request, ids beyond PostgreSQL's integer range, unknown foreign ids, non-object JSON."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.planner.conftest import page_csrf
from tests.planner.test_sites import _headers

PUBLIC_WITH_NUL = [
    "/investor?tettsted=%00", "/en/investor?area_min=1%00", "/api/investor/sites?tettsted=%00",
    "/api/layers/sites/features?bbox=%00", "/investor/tomt/ASK-001%00", "/investor/sammenlign?sites=%00",
    "/investor/eksport.csv?tettsted=%00", "/finn-tomt?employees=%00", "/api/premises?site=%00",
    "/indikatorer?x=%00",
]


@pytest.mark.parametrize("path", PUBLIC_WITH_NUL)
def test_a_nul_byte_in_a_url_is_a_clear_400(planner_client: FlaskClient, path: str) -> None:
    response = planner_client.application.test_client().get(path)
    assert response.status_code == 400, path
    assert "NUL byte" in response.get_data(as_text=True)


def test_nul_bytes_in_forms_and_json_are_refused(planner_client: FlaskClient) -> None:
    public = planner_client.application.test_client()
    form = public.post("/investor/meld-interesse", data={"name": "Ola\x00", "email": "o@x.no"})
    assert form.status_code == 400 and "NUL byte" in form.get_data(as_text=True)
    api = planner_client.post("/api/planner/sites", headers=_headers(planner_client),
                              data='{"values": {"name": "Tomt\\u0000"}}',
                              content_type="application/json")
    assert api.status_code == 400 and api.get_json()["detail"].startswith("The request contains")


@pytest.mark.parametrize("body", ["[]", '"tomt"', "null", "{", "[1, 2]"])
def test_json_that_is_not_an_object_is_a_400(planner_client: FlaskClient, body: str) -> None:
    response = planner_client.post("/api/planner/sites", headers=_headers(planner_client),
                                   data=body, content_type="application/json")
    assert 400 <= response.status_code < 500, body
    assert response.get_json()["detail"]


def test_ids_beyond_integer_range_and_unknown_ids(planner_client: FlaskClient) -> None:
    huge = "9" * 30
    public = planner_client.application.test_client()
    assert public.get(f"/api/premises?site={huge}").status_code == 400
    assert planner_client.get(f"/planner/lokaler?rediger={huge}").status_code == 404
    token = page_csrf(planner_client, "/planner/lokaler")
    base = {"csrf_token": token, "address": "Torget 1", "floor_area_m2": "450", "use": "kontor"}
    for field, value, message in (("site_id", "2147483000", "finnes ikke"),
                                  ("building_number", "123456789012", "Fant ingen bygning"),
                                  ("site_id", huge, "heltall")):
        response = planner_client.post("/planner/lokaler", data={**base, field: value})
        assert response.status_code == 422, (field, value)
        assert message in response.get_data(as_text=True)
