"""Typed values and geometry checks of a reader's batch, before anything is staged: a bad
value or a missing, empty or wrong-type geometry fails the load naming the feature; a
GEOS-invalid one is flagged for repair in PostGIS."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from etl.errors import LoadError
from etl.sources import Field, FieldType, GeometryKind

# Shapely type ids each target geometry accepts.
ACCEPTED_TYPES: dict[str, set[int]] = {"MULTIPOLYGON": {3, 6}, "POINT": {0},
                                       "MULTILINESTRING": {1, 5},
                                       "GEOMETRY": {0, 1, 2, 3, 4, 5, 6, 7}}
_TRUE = {"true", "1", "ja", "yes", "j", "y", "sann"}
_FALSE = {"false", "0", "nei", "no", "n", "usann"}


# Names the feature at index i of a batch, for error messages.
Describe = Callable[[int], str]


def check_geometries(wkb: np.ndarray, geometry: GeometryKind, feature: Describe) -> np.ndarray:
    """Reject missing, empty, non-finite or wrong-type geometries, naming the first offender;
    return a mask of the valid-looking but GEOS-invalid ones (to repair in PostGIS)."""
    return parse_and_check(wkb, geometry, feature)[1]


def parse_and_check(wkb: np.ndarray, geometry: GeometryKind,
                    feature: Describe) -> tuple[np.ndarray, np.ndarray]:
    """check_geometries, also giving the parsed geometries."""
    missing = np.flatnonzero(pd.isna(wkb))
    if missing.size:
        raise LoadError(f"{feature(int(missing[0]))}: has no geometry")
    try:
        with warnings.catch_warnings():
            # NaN coordinates warn here; they are reported below with the feature named.
            warnings.simplefilter("ignore", RuntimeWarning)
            geoms = shapely.from_wkb(wkb)
    except shapely.errors.GEOSException as exc:
        raise LoadError(f"{feature(0)} or later: unreadable geometry: {exc}") from exc
    empty = np.flatnonzero(shapely.is_empty(geoms))
    if empty.size:
        raise LoadError(f"{feature(int(empty[0]))}: the geometry is empty")
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    not_finite = index[~np.isfinite(coords).all(axis=1)]
    if not_finite.size:
        raise LoadError(f"{feature(int(not_finite[0]))}: coordinates are NaN or infinite")
    type_ids = shapely.get_type_id(geoms)
    wrong = np.flatnonzero(~np.isin(type_ids, list(ACCEPTED_TYPES[geometry])))
    if wrong.size:
        kind = shapely.get_type_id(geoms[wrong[0]])
        raise LoadError(f"{feature(int(wrong[0]))}: geometry type id {kind} does not fit a "
                        f"{geometry.lower()} layer")
    if geometry == "POINT":
        return geoms, np.zeros(len(geoms), dtype=bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        invalid = ~shapely.is_valid(geoms)
    for i in np.flatnonzero(invalid):
        wkb[i] = _short_rings_padded(geoms[i], wkb[i])
    return geoms, invalid


def _short_rings_padded(geom: Any, wkb: bytes) -> bytes:
    """A ring of fewer than 4 points (AR5 slivers: A B A) padded with its first point, so that
    PostGIS reads it and ST_MakeValid can tell it has no area (PostGIS refuses it as it is)."""
    if not isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        return wkb
    polygons = list(geom.geoms) if isinstance(geom, shapely.MultiPolygon) else [geom]
    rings = [ring for polygon in polygons for ring in (polygon.exterior, *polygon.interiors)]
    if all(len(ring.coords) >= 4 for ring in rings):
        return wkb

    def padded(ring: Any) -> list[tuple[float, ...]]:
        coords = list(ring.coords)
        return coords + [coords[0]] * (4 - len(coords)) if coords else coords

    fixed = [shapely.Polygon(padded(p.exterior), [padded(r) for r in p.interiors])
             for p in polygons]
    result = fixed[0] if isinstance(geom, shapely.Polygon) else shapely.MultiPolygon(fixed)
    return bytes(shapely.to_wkb(result))


def convert(values: Sequence[Any], type_: FieldType, column: str, required: bool,
            feature: Describe) -> list[Any]:
    """Values of one column as Python objects of the type; bad values name the feature."""
    out: list[Any]
    if type_ == "text":
        out = [None if v is None or (isinstance(v, float) and np.isnan(v))
               or str(v).strip() == "" else _text(v) for v in values]
    elif type_ in ("int", "numeric"):
        series = pd.Series([v.replace(",", ".").replace(" ", "") if isinstance(v, str) else v
                            for v in values], dtype="object")
        numbers = pd.to_numeric(series, errors="coerce")
        # NaN, Infinity and 1e309 are no values: refused like text (a NaN area breaks pages).
        text = series.astype(str).str.strip()
        bad = np.flatnonzero((numbers.isna().to_numpy() & series.notna().to_numpy()
                              & (text != "").to_numpy())
                             | np.isinf(numbers.to_numpy(dtype="float64", na_value=np.nan)))
        if bad.size:
            raise LoadError(f"{feature(int(bad[0]))}: {column} = {values[bad[0]]!r} "
                            "is not a number")
        out = [None if pd.isna(n) else (int(n) if type_ == "int" else float(n))
               for n in numbers]
    elif type_ == "date":
        out = [_to_date(v, column, feature, i) for i, v in enumerate(values)]
    else:
        out = [_to_bool(v, column, feature, i) for i, v in enumerate(values)]
    if required:
        absent = [i for i, v in enumerate(out) if v is None]
        if absent:
            raise LoadError(f"{feature(absent[0])}: required field {column} is empty")
    return out


def convert_field(column: pa.Array, field: Field, feature: Describe) -> list[Any]:
    """An Arrow column converted for `field` (and checked against its code list, if any)."""
    out = convert(column.to_pylist(), field.type, field.column, field.required, feature)
    if field.allowed:
        # Codes match whatever their case ("Regionsenter") and are stored as listed.
        canonical = {code.lower(): code for code in field.allowed}
        bad = next((i for i, v in enumerate(out)
                    if v is not None and str(v).lower() not in canonical), None)
        if bad is not None:
            raise LoadError(f"{feature(bad)}: {field.column} = {out[bad]!r} is not "
                            f"one of {', '.join(field.allowed)}")
        out = [None if v is None else canonical[str(v).lower()] for v in out]
    return out


def _text(value: Any) -> str:
    # Integer-valued floats (a code read as 1300.0) keep their integer spelling.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _to_date(value: Any, column: str, feature: Describe, i: int) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if hasattr(value, "year") and not isinstance(value, str):
        return value if not hasattr(value, "date") else value.date()
    text = str(value).strip()
    # SOSI writes dates as YYYYMMDD (sometimes with a time after it).
    if text.isdigit() and len(text) in (8, 14):
        text = f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    parsed = pd.to_datetime(text, errors="coerce", format="mixed")
    if pd.isna(parsed):
        raise LoadError(f"{feature(i)}: {column} = {value!r} is not a date")
    return parsed.date()


def _to_bool(value: Any, column: str, feature: Describe, i: int) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text == "":
        return None
    raise LoadError(f"{feature(i)}: {column} = {value!r} is not yes/no")
