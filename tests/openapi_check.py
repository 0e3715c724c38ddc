"""Validate real responses against the served OpenAPI document (for every feature's tests)."""

from __future__ import annotations

import json
import re
from typing import Any

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from werkzeug.test import TestResponse


def openapi_document(client: FlaskClient) -> dict[str, Any]:
    """The document the app serves."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.get_json()
    return document


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def path_template_for(document: dict[str, Any], path: str) -> str:
    """The documented path template that a concrete path matches; AssertionError when none."""
    for template in document["paths"]:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not described in /api/openapi.json")


def assert_matches_spec(document: dict[str, Any], method: str, path: str,
                        response: TestResponse) -> None:
    """The response's status, content type and (for JSON) body are as documented."""
    template = path_template_for(document, path.split("?")[0])
    operation = document["paths"][template].get(method.lower())
    assert operation, f"{method.upper()} {template} is not documented"
    responses = operation["responses"]
    status = str(response.status_code)
    assert status in responses, f"{method.upper()} {path}: status {status} is not documented"
    documented = _resolve(document, responses[status])
    content = documented.get("content")
    if not content:
        assert not response.data, f"{method.upper()} {path}: undocumented body"
        return
    mimetype = response.mimetype
    assert mimetype in content, (
        f"{method.upper()} {path}: content type {mimetype} not in {sorted(content)}")
    schema = content[mimetype].get("schema")
    if schema is None or not (mimetype == "application/json" or mimetype.endswith("+json")):
        return
    # Local $refs resolve against the document's components, carried along at the root.
    rooted = {**schema, "components": document["components"]}
    body = json.loads(response.get_data(as_text=True))
    errors = sorted(Draft202012Validator(rooted).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{method.upper()} {path}: " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5])
