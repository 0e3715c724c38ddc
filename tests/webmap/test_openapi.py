"""The OpenAPI document is valid, complete, and true of real responses."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from tests.openapi_check import assert_matches_spec, openapi_document

ASKER = "10.2,59.4,10.8,60.0"


def test_the_document_is_valid_openapi(client: FlaskClient) -> None:
    validate(openapi_document(client))


def test_every_public_endpoint_is_described(client: FlaskClient, demo_app: Flask) -> None:
    paths = openapi_document(client)["paths"]
    for rule in demo_app.url_map.iter_rules():
        if not rule.rule.startswith(("/api/", "/tiles/")):
            continue
        template = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        assert template in paths, f"{rule.rule} is missing from /api/openapi.json"
        for method in rule.methods or set():
            if method in {"HEAD", "OPTIONS"}:
                continue
            assert method.lower() in paths[template], f"{method} {template} is not documented"


@pytest.mark.parametrize("path", [
    "/api/openapi.json",
    "/api/layers",
    f"/api/layers/sites/features?bbox={ASKER}",
    f"/api/layers/sites/features?bbox={ASKER}&limit=2",
    "/api/layers/sites/features?bbox=11,59,10,60",
    f"/api/layers/nope/features?bbox={ASKER}",
])
def test_real_responses_match_the_document(client: FlaskClient, path: str) -> None:
    document = openapi_document(client)
    assert_matches_spec(document, "get", path, client.get(path))


def test_a_wrong_response_is_caught(client: FlaskClient) -> None:
    document = openapi_document(client)
    response = client.get(f"/api/layers/sites/features?bbox={ASKER}")
    response.set_data(b'{"type": "FeatureCollection", "features": [{"type": "Point"}]}')
    with pytest.raises(AssertionError, match="features"):
        assert_matches_spec(document, "get", "/api/layers/sites/features", response)


def test_every_operation_that_can_answer_400_documents_it(client: FlaskClient) -> None:
    """Writes are CSRF-checked, bodies and required query parameters validated: all can be 400
    (the catalogue's optional filters are dropped when invalid, never 400)."""
    missing = []
    for path, item in openapi_document(client)["paths"].items():
        for method, operation in item.items():
            can_be_bad = (method != "get" or "requestBody" in operation
                          or any((p.get("in") == "query" and p.get("required"))
                                 or p.get("$ref") == "#/components/parameters/Bbox"
                                 for p in operation.get("parameters", [])))
            if can_be_bad and "400" not in operation["responses"]:
                missing.append(f"{method.upper()} {path}")
    assert missing == []
