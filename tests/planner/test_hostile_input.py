"""Hostile input gets a 4xx with a clear message, never a 500: NUL bytes in every part of a
request, ids beyond PostgreSQL's integer range, unknown foreign ids, non-object JSON."""

from __future__ import annotations

import json

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
    # Pages answer in their language, the API in English as all its errors do.
    expected = "NUL byte" if path.startswith(("/api/", "/en/")) else "NUL-byte"
    assert expected in response.get_data(as_text=True), path


def test_nul_bytes_in_forms_and_json_are_refused(planner_client: FlaskClient) -> None:
    public = planner_client.application.test_client()
    form = public.post("/investor/meld-interesse", data={"name": "Ola\x00", "email": "o@x.no"})
    assert form.status_code == 400 and "inneholder en NUL-byte" in form.get_data(as_text=True)
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


def _polygon(*corner: float) -> dict[str, object]:
    west, south = corner
    return {"type": "Polygon", "coordinates": [[[west, south], [10.44, 59.83], [10.44, 59.84],
                                                [west, south]]]}


HOSTILE_GEOMETRIES = {
    "huge coordinates": _polygon(1e308, 1e308),
    "overflowing to infinity": '{"type": "Polygon", "coordinates": [[[1e309, 59.83], [10.44, 59.83], '
                               '[10.44, 59.84], [1e309, 59.83]]]}',
    "NaN literal": '{"type": "Polygon", "coordinates": [[[NaN, 59.83], [10.44, 59.83], '
                   '[10.44, 59.84], [NaN, 59.83]]]}',
    "outside lon/lat": _polygon(400.0, 59.83),
    "strings for numbers": {"type": "Polygon", "coordinates": [[["a", "b"], [10.44, 59.83],
                                                                [10.44, 59.84], ["a", "b"]]]},
    "a ring of one point": {"type": "Polygon", "coordinates": [[[10.43, 59.83]]]},
    "deeply nested": {"type": "Polygon", "coordinates": [[[[[[[10.43]]]]]]]},
    "an unknown type": {"type": "Sphere", "coordinates": [10.43, 59.83]},
    "a geometry of thousands of vertices out of range": {
        "type": "Polygon", "coordinates": [[[10.43 + i * 1e300, 59.83] for i in range(5000)]]},
}


@pytest.mark.parametrize("name", list(HOSTILE_GEOMETRIES))
def test_a_hostile_site_geometry_is_a_clear_4xx(planner_client: FlaskClient, name: str) -> None:
    geometry = HOSTILE_GEOMETRIES[name]
    raw = geometry if isinstance(geometry, str) else json.dumps(geometry)
    body = '{"values": {"name": "Tomt"}, "geometry": ' + raw + "}"
    response = planner_client.post("/api/planner/sites", headers=_headers(planner_client),
                                   data=body, content_type="application/json")
    assert 400 <= response.status_code < 500, (name, response.status_code)
    assert response.get_json()["detail"], name
    # Nothing was stored, and the planner's site list still answers.
    listing = planner_client.get("/api/planner/sites")
    assert listing.status_code == 200
    assert all(feature["properties"]["name"] != "Tomt"
               for feature in listing.get_json()["features"])


@pytest.mark.parametrize("bbox", ["1e308,1e308,1e309,1e309", "-1e308,-90,1e308,90",
                                  "nan,59,11,60", "10,59,inf,60", "10,59,11,60,12"])
def test_a_hostile_bbox_is_a_clear_400(planner_client: FlaskClient, bbox: str) -> None:
    public = planner_client.application.test_client()
    response = public.get(f"/api/layers/sites/features?bbox={bbox}")
    assert response.status_code == 400, bbox
    assert "bbox" in response.get_json()["detail"]


@pytest.mark.parametrize("path", ["/tiles/sites/99999999999999999999/0/0.mvt",
                                  "/tiles/sites/14/99999999999999999999/0.mvt",
                                  "/tiles/sites/14/-1/0.mvt", "/tiles/sites/14/0/16384.mvt",
                                  "/tiles/nosuchlayer/1/0/0.mvt", "/tiles/sites/1/0/0.png"])
def test_a_hostile_tile_address_is_a_4xx(planner_client: FlaskClient, path: str) -> None:
    response = planner_client.application.test_client().get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)


def test_a_signed_in_planner_posting_a_huge_json_body_gets_a_json_413(
        planner_client: FlaskClient) -> None:
    body = b'{"values": {"name": "' + b"x" * (2 * 1024 * 1024) + b'"}}'
    response = planner_client.post("/api/planner/sites", headers=_headers(planner_client),
                                   data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["detail"]
