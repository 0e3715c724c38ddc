"""Reading FKB-Bygning GML whose layers mix footprints and point-only buildings: GDAL reports
such a layer as "Unknown (any)" with heights, a type pyogrio cannot read. We let GDAL read it
with a schema that says "any geometry, 2D", and split each layer into its footprints and its
buildings with only a representation point (etl.loaders.fkb loads both)."""

from __future__ import annotations

import re
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError, GeometryError

from etl.errors import LoadError
from etl.readers import gml
from etl.readers.spreadsheet import SheetInfo
from etl.readers.vector import check_plausible_extent, gdal_options, open_options, resolve_epsg

_BUILDING_NUMBER = ("bygningsnummer", "byggnr", "bygningsnr")


def needs_own_reader(path: Path) -> bool:
    """Whether some layer of this GML file has a geometry type pyogrio cannot read."""
    if not gml.is_gml(path) or not path.exists() or path.stat().st_size == 0:
        return False
    index = 0
    with gdal_options(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while True:
            try:
                pyogrio.read_info(path, layer=index, **open_options(path))
            except GeometryError:
                return True
            except (DataLayerError, DataSourceError):
                return False
            index += 1


@contextmanager
def _readable(path: Path) -> Iterator[Path]:
    """The file as GDAL reads it with a schema (.gfs) that says "any geometry, 2D": the schema
    GDAL writes itself, beside a link to the file in a temporary folder (never beside the file),
    with the unreadable "Unknown 3D" type replaced."""
    with tempfile.TemporaryDirectory(prefix="naeringskart-fkb-") as folder:
        link = Path(folder) / path.name
        link.symlink_to(path.resolve())
        # The schema is written before the layer's type is refused.
        with gdal_options(), warnings.catch_warnings(), \
                suppress(GeometryError, DataLayerError, DataSourceError):
            warnings.simplefilter("ignore")
            pyogrio.read_info(link, layer=0, WRITE_GFS="YES")
        schema = link.with_suffix(".gfs")
        if not schema.exists():
            raise LoadError(f"{path.name}: GDAL cannot read this GML file")
        schema.write_text(re.sub(r"<GeometryType>-?2147483648</GeometryType>",
                                 "<GeometryType>0</GeometryType>",
                                 schema.read_text(encoding="utf-8")), encoding="utf-8")
        yield link


def _read_layer(path: Path, link: Path, name: str) -> Any:
    with gdal_options(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pyogrio.read_dataframe(link, layer=name, fid_as_index=True, force_2d=True)
        except (DataLayerError, DataSourceError) as exc:
            raise LoadError(f"{path.name}: reading layer {name!r} failed: {exc}") from exc


def _info(path: Path, name: str, epsg: int, frame: Any, mask: np.ndarray) -> SheetInfo:
    part = frame[mask]
    geometries = np.asarray(part.geometry.array, dtype=object)
    columns = {str(c): pa.array([None if v is None or v != v else str(v) for v in part[c]],
                                pa.string())
               for c in part.columns if c != "geometry"}
    columns["fid"] = pa.array(part.index.to_numpy(dtype=np.int64))
    columns["geometry"] = pa.array(shapely.to_wkb(geometries), pa.binary())
    bounds = tuple(float(v) for v in shapely.total_bounds(geometries))
    return SheetInfo(path=path, layer=name, epsg=epsg,
                     fields=tuple(c for c in columns if c not in ("fid", "geometry")),
                     geometry_type=None, feature_count=len(part), bounds=bounds,  # type: ignore[arg-type]
                     feature_word="feature", columns=columns)


def building_layers(path: Path, srs: str | None) -> tuple[list[SheetInfo], list[SheetInfo], list[str]]:
    """The file's footprints and point-only buildings, layer by layer, and the names of the
    layers without a building number (not buildings)."""
    found = gml.scan(path)
    with _readable(path) as link:
        frames = [(name, _read_layer(path, link, name)) for name in found.feature_types]
    footprints: list[SheetInfo] = []
    points: list[SheetInfo] = []
    skipped: list[str] = []
    for name, frame in frames:
        if not any(c.lower() in _BUILDING_NUMBER for c in frame.columns) or frame.empty:
            skipped.append(name)
            continue
        epsg = resolve_epsg(frame.crs.to_string() if frame.crs else None, srs, path)
        kinds = shapely.get_type_id(np.asarray(frame.geometry.array, dtype=object))
        for target, ids in ((footprints, (3, 6)), (points, (0,))):
            mask = np.isin(kinds, ids)
            if mask.any():
                info = _info(path, name, epsg, frame, mask)
                check_plausible_extent(path, epsg, info.bounds)
                target.append(info)
    if not footprints and not points:
        raise LoadError(f"{path.name}: no building with a footprint or a point found")
    return footprints, points, skipped
