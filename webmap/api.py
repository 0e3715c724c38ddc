"""The public JSON API: layer list and features by bbox."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from werkzeug.wrappers import Response

from gis.features import Bbox, BboxError, features_in_bbox
from layers import all_layers, get_layer
from webmap.database import connection, get_settings

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/layers")
def list_layers() -> Response:
    """Every layer with its titles, delivery and legend."""
    return jsonify({"layers": [_describe(layer) for layer in all_layers()]})


def _describe(layer: Any) -> dict[str, Any]:
    return {
        "id": layer.id,
        "title": {"nb": layer.title.nb, "en": layer.title.en},
        "source": {"nb": layer.source.nb, "en": layer.source.en},
        "delivery": layer.delivery,
        "properties": list(layer.properties),
        "min_zoom": layer.min_zoom,
        "max_zoom": layer.max_zoom,
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
    with connection() as conn:
        collection = features_in_bbox(
            conn, table=layer.table, key_column=layer.key_column, properties=layer.properties,
            bbox=bbox, storage_srid=settings.kommune.storage_srid,
            limit=_limit(settings.max_features), public_filter=layer.public_filter)
    response = jsonify(collection)
    response.mimetype = "application/geo+json"
    return response
