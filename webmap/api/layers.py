"""The public JSON API: layer list and features by bbox."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from werkzeug.wrappers import Response

from gis.features import Bbox, BboxError, features_in_bbox
from layers import Layer, Text, all_layers, get_layer
from webmap.database import get_settings, read_connection
from webmap.tiles.pools import with_read_tile_connection
from webmap.tiles.versions import layer_versions, tile_url_template

bp = Blueprint("api", __name__, url_prefix="/api")

_LAYER_ID = {
    "name": "layer_id",
    "in": "path",
    "required": True,
    "description": "A layer id from /api/layers.",
    "schema": {"type": "string"},
}
OPENAPI: dict[str, Any] = {
    "tags": [{"name": "layers", "description": "Map layers and their features."}],
    "paths": {
        "/api/layers": {
            "get": {
                "tags": ["layers"],
                "summary": "Every map layer with titles, source, delivery, zoom range and legend",
                "operationId": "listLayers",
                "responses": {
                    "200": {
                        "description": "The layer registry.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/LayerList"}}
                        },
                    }
                },
            },
        },
        "/api/layers/{layer_id}/features": {
            "get": {
                "tags": ["layers"],
                "summary": "GeoJSON features of a small layer inside a bounding box",
                "operationId": "layerFeatures",
                "parameters": [
                    _LAYER_ID,
                    {"$ref": "#/components/parameters/Bbox"},
                    {"$ref": "#/components/parameters/Limit"},
                ],
                "responses": {
                    "200": {
                        "description": "Features in EPSG:4326.",
                        "content": {
                            "application/geo+json": {
                                "schema": {"$ref": "#/components/schemas/FeatureCollection"}
                            }
                        },
                    },
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            },
        },
    },
    "components": {
        "schemas": {
            "LegendEntry": {
                "type": "object",
                "required": ["label", "fill"],
                "properties": {
                    "label": {"$ref": "#/components/schemas/Text"},
                    "fill": {"type": "string"},
                    "stroke": {"type": ["string", "null"]},
                    "pattern": {"type": ["string", "null"]},
                },
            },
            "Layer": {
                "type": "object",
                "required": ["id", "title", "source", "delivery", "properties", "min_zoom", "max_zoom"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"$ref": "#/components/schemas/Text"},
                    "source": {"$ref": "#/components/schemas/Text"},
                    "delivery": {"enum": ["geojson", "mvt"]},
                    "properties": {"type": "array", "items": {"type": "string"}},
                    "min_zoom": {"type": "integer", "minimum": 0, "maximum": 22},
                    "max_zoom": {"type": "integer", "minimum": 0, "maximum": 22},
                    "legend": {"type": "array", "items": {"$ref": "#/components/schemas/LegendEntry"}},
                    "tiles": {
                        "type": ["string", "null"],
                        "description": "Tile URL template with the current data version.",
                    },
                },
            },
            "LayerList": {
                "type": "object",
                "required": ["layers"],
                "properties": {"layers": {"type": "array", "items": {"$ref": "#/components/schemas/Layer"}}},
            },
        }
    },
}


@bp.get("/layers")
def list_layers() -> Response:
    """Every layer with its titles, delivery, legend and (for tiles) the versioned tile URL."""
    versions = with_read_tile_connection(layer_versions)
    return jsonify({"layers": [_describe(layer, versions.get(layer.id)) for layer in all_layers()]})


def _text(text: Text) -> dict[str, str]:
    return {"nb": text.nb, "en": text.en}


def _describe(layer: Layer, version: int | None) -> dict[str, Any]:
    return {
        "id": layer.id,
        "title": _text(layer.title),
        "source": _text(layer.credit(get_settings().kommune.name)),
        "delivery": layer.delivery,
        "properties": list(layer.properties),
        "min_zoom": layer.min_zoom,
        "max_zoom": layer.max_zoom,
        "legend": [
            {
                "label": _text(entry.label),
                "fill": entry.fill,
                "stroke": entry.stroke,
                "pattern": entry.pattern,
            }
            for entry in layer.legend
        ],
        "tiles": tile_url_template(layer.id, version) if version is not None else None,
    }


def _limit(max_features: int) -> int:
    raw = request.args.get("limit")
    if raw is None:
        return max_features
    try:
        value = int(raw)
    except ValueError:
        abort(400, description="limit must be a whole number")
    if value < 1:
        abort(400, description="limit must be at least 1")
    return min(value, max_features)


@bp.get("/layers/<layer_id>/features")
def layer_features(layer_id: str) -> Response:
    """GeoJSON of a small layer's features in a lon/lat bbox."""
    try:
        layer = get_layer(layer_id)
    except KeyError:
        abort(404, description=f"no layer {layer_id!r}")
    if layer.delivery != "geojson":
        abort(404, description=f"layer {layer_id!r} is served as vector tiles")
    try:
        bbox = Bbox.parse(request.args.get("bbox"))
    except BboxError as exc:
        abort(400, description=str(exc))
    settings = get_settings()
    with read_connection() as conn:
        collection = features_in_bbox(
            conn,
            table=layer.table,
            key_column=layer.key_column,
            properties=layer.properties,
            bbox=bbox,
            storage_srid=settings.kommune.storage_srid,
            limit=_limit(settings.max_features),
            public_filter=layer.public_filter,
        )
    response = jsonify(collection)
    response.mimetype = "application/geo+json"
    return response
