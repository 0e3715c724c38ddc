"""Which data version each vector-tile layer is at, and the versioned tile URL pages use."""

from __future__ import annotations

from typing import Any

from gis import tiles as gistiles
from layers import Layer, all_layers


def tile_layers() -> list[Layer]:
    """The registry layers delivered as vector tiles."""
    return [layer for layer in all_layers() if layer.delivery == "mvt"]


def layer_versions(conn: Any) -> dict[str, int]:
    """The current data version of every vector-tile layer."""
    return {layer.id: gistiles.data_version(conn, layer.version_tables) for layer in tile_layers()}


def tile_url_template(layer_id: str, version: int) -> str:
    """The Leaflet URL template of a layer's tiles at this data version."""
    return f"/tiles/{layer_id}/{{z}}/{{x}}/{{y}}.mvt?v={version}"
