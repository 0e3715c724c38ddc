"""405 answers say which methods the resource takes (RFC 9110: Allow is required)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/layers"),
    ("delete", "/api/openapi.json"),
    ("post", "/tiles/zoning/12/2170/1190.mvt"),
    ("put", "/"),
])
def test_405_names_the_allowed_methods(client: FlaskClient, method: str, path: str) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 405
    allowed = {part.strip() for part in response.headers.get("Allow", "").split(",")}
    assert "GET" in allowed


def test_405_under_the_api_stays_a_json_problem(client: FlaskClient) -> None:
    response = client.post("/api/layers")
    assert response.status_code == 405 and response.is_json
    assert response.get_json()["status"] == 405
