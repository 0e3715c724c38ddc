"""The layer registry: each module in this package defines one `LAYER`."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from layers.base import Layer, LegendEntry, PopupField, Text, TileSource

__all__ = ["Layer", "LegendEntry", "PopupField", "Text", "TileSource", "all_layers", "background_layers",
           "get_layer", "overlay_layers"]

_NOT_LAYERS = {"base"}


@cache
def all_layers() -> tuple[Layer, ...]:
    """Every registered layer, in drawing order."""
    found: dict[str, Layer] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name in _NOT_LAYERS or module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        # One LAYER per module, or a set of LAYERS that belong together (the local background).
        defined = getattr(module, "LAYERS", None) or (getattr(module, "LAYER", None),)
        layers = [layer for layer in defined if isinstance(layer, Layer)]
        if not layers or len(layers) != len(defined):
            raise TypeError(f"layers/{module_info.name}.py defines no LAYER")
        for layer in layers:
            if layer.id in found:
                raise ValueError(f"layer id {layer.id!r} is defined twice")
            found[layer.id] = layer
    return tuple(sorted(found.values(), key=lambda layer: (layer.order, layer.id)))


def overlay_layers() -> tuple[Layer, ...]:
    """The layers a map lists and a user turns on and off."""
    return tuple(layer for layer in all_layers() if layer.role == "overlay")


def background_layers() -> tuple[Layer, ...]:
    """The local background drawn from our own data when the online basemap is unreachable."""
    return tuple(layer for layer in all_layers() if layer.role == "background")


def get_layer(layer_id: str) -> Layer:
    """The layer with this id; KeyError when there is none."""
    for layer in all_layers():
        if layer.id == layer_id:
            return layer
    raise KeyError(layer_id)
