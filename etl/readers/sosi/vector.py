"""SOSI files as the loaders' vector input: attributes flattened to text columns, geometry as
WKB, streamed in Arrow batches like pyogrio does for the other formats."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import shapely

from etl.errors import LoadError
from etl.readers.sosi import (
    KOORDSYS_EPSG,
    SosiError,
    SosiFeature,
    SosiHeader,
    SosiValue,
    iter_features,
    read_header,
)

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


def sosi_features(path: Path, encoding: str | None = None,
                  warnings: list[str] | None = None) -> Iterator[SosiFeature]:
    """Features with a geometry; reader errors become LoadErrors naming file and line.

    With a `warnings` list, an object that cannot be built is left out and named there
    (one odd object never blocks a plan); without one it fails the read."""
    def skipped(exc: SosiError) -> None:
        assert warnings is not None
        warnings.append(f"{Path(exc.path).name}:{exc.line}: left out: {exc.reason}")

    try:
        for feature in iter_features(path, encoding=encoding,
                                     on_skip=None if warnings is None else skipped):
            if feature.geometry is not None:
                yield feature
    except SosiError as exc:
        raise LoadError(str(exc)) from exc
    except UnicodeDecodeError as exc:  # pragma: no cover - the reader reports these itself
        raise LoadError(f"{path.name}: wrong character set: {exc}") from exc


def sosi_header(path: Path, encoding: str | None = None) -> SosiHeader:
    """The file's .HODE; reader errors become LoadErrors."""
    try:
        return read_header(path, encoding=encoding)
    except SosiError as exc:
        raise LoadError(str(exc)) from exc


def sosi_crs(header: SosiHeader, path: Path, srs: str | None) -> str | None:
    """The CRS the header declares ("EPSG:n"); a KOORDSYS code we cannot map is named, not ignored."""
    if header.epsg is not None:
        return f"EPSG:{header.epsg}"
    if header.koordsys is not None and not srs:
        known = ", ".join(str(code) for code in sorted(KOORDSYS_EPSG))
        raise LoadError(f"{path.name}: ...KOORDSYS {header.koordsys} is not supported (a local or "
                        f"unknown grid; known codes: {known}); give the file's CRS with --srs, "
                        "e.g. --srs EPSG:25832")
    return None


def sosi_info(path: Path, object_types: tuple[str, ...] = (), encoding: str | None = None,
              warnings: list[str] | None = None,
              ) -> tuple[SosiHeader, tuple[str, ...], int, tuple[float, ...] | None]:
    """One streaming pass: header, field names, feature count and bounds of the wanted objects."""
    header = sosi_header(path, encoding)
    fields: dict[str, None] = {}
    count = 0
    bounds = [float("inf"), float("inf"), float("-inf"), float("-inf")]
    for feature in sosi_features(path, encoding, warnings):
        flat = flatten(feature.attributes)
        if object_types and flat.get("OBJTYPE") not in object_types:
            continue
        fields.update(dict.fromkeys(flat))
        count += 1
        x0, y0, x1, y1 = feature.geometry.bounds if feature.geometry is not None else bounds
        bounds = [min(bounds[0], x0), min(bounds[1], y0), max(bounds[2], x1), max(bounds[3], y1)]
    return header, tuple(fields), count, (tuple(bounds) if count else None)


def sosi_batches(path: Path, columns: list[str], object_types: tuple[str, ...] = (),
                 batch_size: int = 65_536, encoding: str | None = None) -> Iterator[pa.RecordBatch]:
    """Stream the wanted objects as batches with `fid`, the columns (text) and `geometry` (WKB)."""
    fids: list[int] = []
    values: dict[str, list[Any]] = {c: [] for c in columns}
    geometries: list[Any] = []

    def batch() -> pa.RecordBatch:
        arrays = [pa.array(fids, pa.int64()), *(pa.array(values[c], pa.string()) for c in columns),
                  pa.array(shapely.to_wkb(geometries), pa.binary())]
        return pa.RecordBatch.from_arrays(arrays, names=["fid", *columns, "geometry"])

    # Objects left out were already named by the info pass (sosi_info) of the same load.
    for feature in sosi_features(path, encoding, []):
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
