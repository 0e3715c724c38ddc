"""Which layer of a multi-layer file (GML, GeoPackage) a source reads when no --layer is given,
and the gml:id that names a feature of a GML file in warnings and errors."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from etl.readers.vector import gdal_options, open_options
from etl.sources import GeometryKind

MULTI_LAYER_SUFFIXES = (".gml", ".xml", ".gpkg")
# The geometry type names (as GDAL reports them) that fit each target kind.
_FITS: dict[str, tuple[str, ...]] = {"MULTIPOLYGON": ("Polygon", "MultiPolygon", "Surface"),
                                     "POINT": ("Point",),
                                     "MULTILINESTRING": ("LineString", "MultiLineString", "Curve")}


def layer_infos(path: Path) -> list[dict[str, Any]]:
    """Every layer's info (pyogrio.list_layers would write a .gfs file beside a GML file);
    library warnings are kept off the console."""
    infos: list[dict[str, Any]] = []
    with gdal_options(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while True:
            try:
                infos.append(pyogrio.read_info(path, layer=len(infos), **open_options(path)))
            except (DataLayerError, DataSourceError):
                return infos


def choose_layer(path: Path, geometry: GeometryKind) -> tuple[str | None, list[str]]:
    """The layer to read and a warning naming it and the layers left unread (no choice to make
    for single-layer files): the first whose geometry fits the target (AR5's areas, not its
    boundary lines), else the first."""
    if path.suffix.lower() not in MULTI_LAYER_SUFFIXES or not path.exists():
        return None, []
    infos = layer_infos(path)
    if len(infos) < 2:
        return None, []
    fits = _FITS.get(geometry, ())

    def fitting(info: dict[str, Any]) -> bool:
        kind = str(info.get("geometry_type") or "").replace(" Z", "").replace(" M", "")
        return kind in fits

    chosen = next((info for info in infos if fitting(info)), infos[0])
    name = str(chosen["layer_name"])
    others = [str(info["layer_name"]) for info in infos if info is not chosen]
    return name, [f"{path.name}: read layer {name}; not read: {', '.join(others)} "
                  "(choose another with --layer)"]


def feature_namer(path: Path, layer: str | None) -> Callable[[int], str]:
    """`describe(fid)` for messages: "<file>: feature 12 (gml_id X)" in a GML file with ids."""
    @cache
    def ids() -> dict[int, str]:
        if path.suffix.lower() not in (".gml", ".xml"):
            return {}
        try:
            with gdal_options(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = pyogrio.read_dataframe(path, layer=layer, columns=["gml_id"],
                                               read_geometry=False, fid_as_index=True,
                                               **open_options(path))
        except (DataLayerError, DataSourceError, ValueError):
            return {}
        if "gml_id" not in frame:
            return {}
        return {int(fid): str(value) for fid, value in frame["gml_id"].items()}

    def describe(fid: int) -> str:
        gml_id = ids().get(int(fid))
        return f"{path.name}: feature {fid}" + (f" (gml_id {gml_id})" if gml_id else "")

    return describe
