"""The public API's OpenAPI 3.1 document, assembled from what each blueprint module declares.

A feature documents its own endpoints: the module that defines a blueprint sets a module-level
`OPENAPI = {"paths": {...}, "components": {...}}`; this module merges every registered
blueprint's part with the shared components below. Nothing central is edited per feature.
"""

from __future__ import annotations

import copy
import sys
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify
from werkzeug.wrappers import Response

bp = Blueprint("openapi", __name__, url_prefix="/api")

OPENAPI_VERSION = "3.1.0"

# Components every feature may refer to with {"$ref": "#/components/..."}.
SHARED_COMPONENTS: dict[str, Any] = {
    "schemas": {
        "Problem": {
            "type": "object",
            "description": "An error (RFC 9457 problem details).",
            "required": ["status", "title", "detail"],
            "properties": {
                "status": {"type": "integer"},
                "title": {"type": "string"},
                "detail": {"type": "string"},
            },
        },
        "Text": {
            "type": "object",
            "description": "A text in bokmål and English.",
            "required": ["nb", "en"],
            "properties": {"nb": {"type": "string"}, "en": {"type": "string"}},
        },
        "Geometry": {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {
                    "enum": [
                        "Point",
                        "MultiPoint",
                        "LineString",
                        "MultiLineString",
                        "Polygon",
                        "MultiPolygon",
                    ]
                },
                "coordinates": {"type": "array"},
            },
        },
        "Feature": {
            "type": "object",
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"const": "Feature"},
                "id": {"type": ["string", "integer"]},
                "geometry": {"anyOf": [{"$ref": "#/components/schemas/Geometry"}, {"type": "null"}]},
                "properties": {"type": "object"},
            },
        },
        "FeatureCollection": {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"const": "FeatureCollection"},
                "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
                "numberReturned": {"type": "integer", "minimum": 0},
                "truncated": {
                    "type": "boolean",
                    "description": "True when more features matched than `limit`.",
                },
            },
        },
    },
    "parameters": {
        "Bbox": {
            "name": "bbox",
            "in": "query",
            "required": True,
            "description": "minlon,minlat,maxlon,maxlat in EPSG:4326; NaN, inverted or "
            "out-of-range boxes give 400.",
            "schema": {"type": "string", "examples": ["10.2,59.4,10.8,60.0"]},
        },
        "Limit": {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "Most features to return; values above the server's maximum are lowered to it.",
            "schema": {"type": "integer", "minimum": 1},
        },
        "Lang": {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "Language of texts: nb (default) or en.",
            "schema": {"enum": ["nb", "en"]},
        },
    },
    "responses": {
        "BadRequest": {
            "description": "Malformed parameters; `detail` says which and why.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
        "NotFound": {
            "description": "No such resource.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
        "ServiceUnavailable": {
            "description": "The database is unavailable (e.g. restarting); try again after "
            "Retry-After seconds.",
            "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 0}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
        "ServiceUnavailablePage": {
            "description": "The database is unavailable (e.g. restarting): a short page in the "
            "request's language; try again after Retry-After seconds.",
            "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 0}}},
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
    },
}
# Every operation may answer 503 while the database is down (webmap.errors): JSON under /api/,
# a page elsewhere. Not these, which need no database; an operation that answers 503 otherwise
# declares its own.
WITHOUT_DATABASE = {("/api/openapi.json", "get")}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class OpenApiConflict(ValueError):
    """Two blueprints describe the same path and method, or the same component differently."""


def _merge_component(target: dict[str, Any], kind: str, name: str, value: Any, origin: str) -> None:
    section = target.setdefault(kind, {})
    if name in section and section[name] != value:
        raise OpenApiConflict(f"{origin}: component {kind}/{name} is already defined differently")
    section[name] = value


def _merge_paths(target: dict[str, Any], paths: dict[str, Any], origin: str) -> None:
    for path, item in paths.items():
        existing = target.setdefault(path, {})
        for method, operation in item.items():
            if method in existing:
                raise OpenApiConflict(f"{origin}: {method.upper()} {path} is described twice")
            existing[method] = operation


def blueprint_parts(app: Flask) -> list[tuple[str, dict[str, Any]]]:
    """Each registered blueprint module's OPENAPI part, in registration order."""
    parts = []
    seen: set[str] = set()
    for blueprint in app.blueprints.values():
        module = sys.modules.get(blueprint.import_name)
        part = getattr(module, "OPENAPI", None)
        if part and blueprint.import_name not in seen:
            seen.add(blueprint.import_name)
            parts.append((blueprint.import_name, part))
    return parts


def build_document(app: Flask) -> dict[str, Any]:
    """The whole OpenAPI document for this app."""
    components = copy.deepcopy(SHARED_COMPONENTS)
    paths: dict[str, Any] = {}
    tags: list[dict[str, str]] = []
    for origin, part in blueprint_parts(app):
        _merge_paths(paths, copy.deepcopy(part.get("paths", {})), origin)
        for kind, entries in part.get("components", {}).items():
            for name, value in entries.items():
                _merge_component(components, kind, name, copy.deepcopy(value), origin)
        tags.extend(tag for tag in part.get("tags", []) if tag not in tags)
    for path, item in paths.items():
        for method, operation in item.items():
            if method in HTTP_METHODS and (path, method) not in WITHOUT_DATABASE:
                unavailable = "ServiceUnavailable" if path.startswith("/api/") else "ServiceUnavailablePage"
                operation.setdefault("responses", {}).setdefault(
                    "503", {"$ref": f"#/components/responses/{unavailable}"}
                )
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Næringskart public API",
            "version": "1",
            "description": "Layers, features by bounding box, vector tiles, business sites and "
            "exports. Demo data is fictional.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/"}],
        "tags": tags,
        "paths": dict(sorted(paths.items())),
        "components": components,
    }


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of the public API."""
    response = jsonify(build_document(current_app._get_current_object()))  # type: ignore[attr-defined]
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


OPENAPI: dict[str, Any] = {
    "tags": [{"name": "meta", "description": "About the API itself."}],
    "paths": {
        "/api/openapi.json": {
            "get": {
                "tags": ["meta"],
                "summary": "This document",
                "operationId": "getOpenApi",
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "required": ["openapi", "paths"]}
                            }
                        },
                    }
                },
            },
        },
    },
}
