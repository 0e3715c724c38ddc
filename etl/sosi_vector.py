"""SOSI files as the loaders' vector input: attributes flattened to text columns, geometry as
WKB, streamed in Arrow batches like pyogrio does for the other formats."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import shapely

from etl.errors import LoadError
from etl.sosi import SosiError, SosiFeature, SosiValue, iter_features, read_header

SOSI_SUFFIXES = (".sos", ".sosi")


def is_sosi(path: Path) -> bool:
    """Whether the file is read with our SOSI reader."""
    return path.suffix.lower() in SOSI_SUFFIXES


def flatten(attributes: dict[str, SosiValue]) -> dict[str, str]:
    """Top-level values as text; sub-elements (..IDENT ...LOKALID) by their own name too."""
    flat: dict[str, str] = {}
    for name, value in attributes.items():
        if isinstance(value, dict):
            for child, inner in flatten(value).items():
                flat.setdefault(child, inner)
        elif isinstance(value, list):
            first = value[0] if value else ""
            flat[name] = first if isinstance(first, str) else " ".join(map(str, first))
        elif isinstance(value, tuple):
            flat[name] = " ".join(value)
        else:
            flat[name] = value
    return flat


def sosi_features(path: Path) -> Iterator[SosiFeature]:
    """Features with a geometry; reader errors become LoadErrors naming file and line."""
    try:
        for feature in iter_features(path):
            if feature.geometry is not None:
                yield feature
    except SosiError as exc:
        raise LoadError(str(exc)) from exc
    except UnicodeDecodeError as exc:  # pragma: no cover - the reader reports these itself
        raise LoadError(f"{path.name}: wrong character set: {exc}") from exc


def sosi_info(path: Path, object_types: tuple[str, ...] = ()) -> tuple[int | None, tuple[str, ...],
                                                                       int, tuple[float, ...] | None]:
    """One streaming pass: EPSG, field names, feature count and bounds of the wanted objects."""
    try:
        header = read_header(path)
    except SosiError as exc:
        raise LoadError(str(exc)) from exc
    fields: dict[str, None] = {}
    count = 0
    bounds = [float("inf"), float("inf"), float("-inf"), float("-inf")]
    for feature in sosi_features(path):
        flat = flatten(feature.attributes)
        if object_types and flat.get("OBJTYPE") not in object_types:
            continue
        fields.update(dict.fromkeys(flat))
        count += 1
        x0, y0, x1, y1 = feature.geometry.bounds if feature.geometry is not None else bounds
        bounds = [min(bounds[0], x0), min(bounds[1], y0), max(bounds[2], x1), max(bounds[3], y1)]
    return header.epsg, tuple(fields), count, (tuple(bounds) if count else None)


def sosi_batches(path: Path, columns: list[str], object_types: tuple[str, ...] = (),
                 batch_size: int = 65_536) -> Iterator[pa.RecordBatch]:
    """Stream the wanted objects as batches with `fid`, the columns (text) and `geometry` (WKB)."""
    fids: list[int] = []
    values: dict[str, list[Any]] = {c: [] for c in columns}
    geometries: list[Any] = []

    def batch() -> pa.RecordBatch:
        arrays = [pa.array(fids, pa.int64()), *(pa.array(values[c], pa.string()) for c in columns),
                  pa.array(shapely.to_wkb(geometries), pa.binary())]
        return pa.RecordBatch.from_arrays(arrays, names=["fid", *columns, "geometry"])

    for feature in sosi_features(path):
        flat = flatten(feature.attributes)
        if object_types and flat.get("OBJTYPE") not in object_types:
            continue
        fids.append(feature.serial)
        for column in columns:
            values[column].append(flat.get(column))
        geometries.append(feature.geometry)
        if len(fids) >= batch_size:
            yield batch()
            fids, geometries = [], []
            values = {c: [] for c in columns}
    if fids:
        yield batch()
