"""The bbox GeoJSON endpoint on the demo data."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

ASKER = "10.2,59.4,10.8,60.0"


def test_features_inside_the_bbox_are_returned(client: FlaskClient) -> None:
    response = client.get(f"/api/layers/sites/features?bbox={ASKER}")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    data = response.get_json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) >= 25
    first = data["features"][0]
    assert first["geometry"]["type"] == "MultiPolygon"
    lon, lat = first["geometry"]["coordinates"][0][0][0]
    assert 10.2 < lon < 10.8 and 59.4 < lat < 60.0


def test_a_bbox_elsewhere_returns_nothing(client: FlaskClient) -> None:
    data = client.get("/api/layers/sites/features?bbox=5.0,60.0,5.5,60.5").get_json()
    assert data["features"] == []


def test_unpublished_sites_and_internal_fields_are_not_exposed(client: FlaskClient) -> None:
    data = client.get(f"/api/layers/sites/features?bbox={ASKER}").get_json()
    for feature in data["features"]:
        assert "planner_note" not in feature["properties"]
        assert "contact_email" not in feature["properties"]
    keys = {f["properties"]["site_key"] for f in data["features"]}
    assert keys, "no published sites"


@pytest.mark.parametrize("bbox", [
    "", "1,2,3", "a,b,c,d", "10,59,nan,60", "10,59,inf,60", "11,59,10,60", "10,60,11,59",
    "10,59,190,60", "10,-95,11,60", "10,59,10,60",
])
def test_malformed_bbox_gives_400(client: FlaskClient, bbox: str) -> None:
    response = client.get(f"/api/layers/sites/features?bbox={bbox}")
    assert response.status_code == 400
    assert response.get_json()["detail"]


def test_limit_is_capped_and_truncation_is_reported(client: FlaskClient) -> None:
    limited = client.get(f"/api/layers/sites/features?bbox={ASKER}&limit=3").get_json()
    assert len(limited["features"]) == 3 and limited["truncated"] is True
    huge = client.get(f"/api/layers/sites/features?bbox={ASKER}&limit=99999999").get_json()
    assert huge["truncated"] is False and len(huge["features"]) >= 25
    assert client.get(f"/api/layers/sites/features?bbox={ASKER}&limit=0").status_code == 400


def test_unknown_layer_is_404(client: FlaskClient) -> None:
    assert client.get(f"/api/layers/nope/features?bbox={ASKER}").status_code == 404


def test_layer_list_names_every_registry_layer(client: FlaskClient) -> None:
    from layers import all_layers

    ids = {layer["id"] for layer in client.get("/api/layers").get_json()["layers"]}
    assert ids == {layer.id for layer in all_layers()}


def test_every_geojson_layer_answers_a_bbox(client: FlaskClient) -> None:
    from layers import all_layers

    for layer in all_layers():
        if layer.delivery != "geojson":
            continue
        response = client.get(f"/api/layers/{layer.id}/features?bbox={ASKER}")
        assert response.status_code == 200, layer.id
        assert response.get_json()["type"] == "FeatureCollection"
        assert client.get(f"/api/layers/{layer.id}/features?bbox=10,59,nan,60").status_code == 400


def test_a_tile_layer_has_no_bbox_endpoint(client: FlaskClient) -> None:
    response = client.get(f"/api/layers/buildings/features?bbox={ASKER}")
    assert response.status_code == 404 and "vector tiles" in response.get_json()["detail"]
