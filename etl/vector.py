"""Reading vector files (GeoJSON, GeoPackage, Shapefile, GML) in batches through pyogrio."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from etl.errors import LoadError
from etl.sosi_vector import is_sosi, sosi_batches, sosi_info

BATCH_SIZE = 65_536
# Everything Norwegian (mainland, Svalbard, Jan Mayen) lies inside this lon/lat box.
NORWAY_LONLAT = (-10.0, 57.0, 35.0, 82.0)


@dataclass(frozen=True)
class VectorInfo:
    """What a file says about itself before its features are read."""

    path: Path
    layer: str | None
    epsg: int
    fields: tuple[str, ...]
    geometry_type: str | None
    feature_count: int
    bounds: tuple[float, float, float, float] | None


def resolve_epsg(crs_text: str | None, srs: str | None, path: Path) -> int:
    """The file's EPSG code, or the one given with --srs; an error when neither is usable."""
    chosen = srs or crs_text
    if not chosen:
        raise LoadError(f"{path.name}: the file declares no coordinate reference system; "
                        "give one with --srs (e.g. --srs EPSG:25832)")
    try:
        crs = CRS.from_user_input(chosen)
    except CRSError as exc:
        raise LoadError(f"{path.name}: unknown coordinate reference system {chosen!r}") from exc
    epsg = crs.to_epsg(min_confidence=70)
    if epsg is None and crs.equals(CRS("OGC:CRS84")):
        # GDAL writes RFC 7946 GeoJSON as CRS84: EPSG:4326 with lon/lat order, as we read it.
        epsg = 4326
    if epsg is None:
        raise LoadError(f"{path.name}: coordinate reference system {crs.name!r} has no EPSG code")
    return epsg


_GEOJSON_CRS = re.compile(rb'"crs"\s*:\s*\{.*?"name"\s*:\s*"([^"]+)"', re.DOTALL)


def declared_geojson_crs(path: Path) -> str | None:
    """The legacy `crs` member of a GeoJSON file (GDAL silently falls back to WGS84 on an unknown one)."""
    if path.suffix.lower() not in (".geojson", ".json"):
        return None
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    match = _GEOJSON_CRS.search(head)
    return match.group(1).decode("utf-8", "replace") if match else None


def check_plausible_extent(path: Path, epsg: int, bounds: tuple[float, ...] | None) -> None:
    """Reject coordinates that cannot be in Norway in this CRS (lon/lat in a UTM file, swapped axes)."""
    if bounds is None or any(not math.isfinite(v) for v in bounds):
        return
    transformer = Transformer.from_crs(epsg, 4326, always_xy=True)
    lons, lats = transformer.transform([bounds[0], bounds[2]], [bounds[1], bounds[3]])
    west, south, east, north = NORWAY_LONLAT
    inside = all(west <= lon <= east for lon in lons) and all(south <= lat <= north for lat in lats)
    if not inside:
        raise LoadError(
            f"{path.name}: coordinates {tuple(round(b, 3) for b in bounds)} do not lie in Norway "
            f"when read as EPSG:{epsg}; wrong CRS, swapped axes or a lon/lat file in a UTM CRS?")


def read_info(path: Path, layer: str | None = None, srs: str | None = None) -> VectorInfo:
    """Open the file, resolve its CRS and check that its extent is plausible."""
    if not path.exists():
        raise LoadError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise LoadError(f"{path.name}: the file is empty")
    if is_sosi(path):
        return _read_sosi_info(path, layer, srs)
    try:
        with gdal_options():
            info = pyogrio.read_info(path, layer=layer, force_feature_count=True,
                                     force_total_bounds=True, **open_options(path))
    except (DataSourceError, DataLayerError) as exc:
        raise LoadError(f"{path.name}: cannot be read as a vector file: {exc}") from exc
    declared = declared_geojson_crs(path)
    epsg = resolve_epsg(declared or info.get("crs"), srs, path)
    bounds = info.get("total_bounds")
    bounds_tuple = tuple(float(v) for v in bounds) if bounds is not None else None
    check_plausible_extent(path, epsg, bounds_tuple)
    return VectorInfo(
        path=path,
        layer=layer,
        epsg=epsg,
        fields=tuple(str(name) for name in info["fields"]),
        geometry_type=info.get("geometry_type"),
        feature_count=int(info.get("features") or 0),
        bounds=bounds_tuple,  # type: ignore[arg-type]
    )


def _read_sosi_info(path: Path, layer: str | None, srs: str | None) -> VectorInfo:
    """SOSI: `layer` selects one ..OBJTYPE; the header's KOORDSYS gives the CRS."""
    epsg, fields, count, bounds = sosi_info(path, (layer,) if layer else ())
    resolved = resolve_epsg(f"EPSG:{epsg}" if epsg else None, srs, path)
    check_plausible_extent(path, resolved, bounds)
    return VectorInfo(path=path, layer=layer, epsg=resolved, fields=fields, geometry_type=None,
                      feature_count=count, bounds=bounds)  # type: ignore[arg-type]


def open_options(path: Path) -> dict[str, str]:
    """GDAL open options: never write a .gfs schema file next to a GML file we only read."""
    return {"WRITE_GFS": "NO"} if path.suffix.lower() in (".gml", ".xml") else {}


@contextmanager
def gdal_options() -> Iterator[None]:
    """Read GML fields as text, so identifiers keep leading zeros (kommunenummer 0301)."""
    previous = pyogrio.get_gdal_config_option("GML_FIELDTYPES")
    pyogrio.set_gdal_config_options({"GML_FIELDTYPES": "ALWAYS_STRING"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"GML_FIELDTYPES": previous})


@contextmanager
def open_batches(info: VectorInfo, columns: list[str],
                 batch_size: int = BATCH_SIZE) -> Iterator[Iterator[pa.RecordBatch]]:
    """Stream the file as Arrow batches with a `fid` column and WKB geometry in `geometry`."""
    if is_sosi(info.path):
        yield sosi_batches(info.path, columns, (info.layer,) if info.layer else (), batch_size)
        return
    try:
        with gdal_options(), pyogrio.open_arrow(
                info.path, layer=info.layer, columns=columns, return_fids=True,
                batch_size=batch_size, use_pyarrow=True, **open_options(info.path)) as (meta, reader):
            yield _normalised(reader, meta)
    except (DataSourceError, DataLayerError) as exc:
        raise LoadError(f"{info.path.name}: reading failed: {exc}") from exc


def _normalised(reader: Any, meta: dict[str, Any]) -> Iterator[pa.RecordBatch]:
    geometry_name = meta.get("geometry_name") or "wkb_geometry"
    fid_name = meta.get("fid_column") or "OGC_FID"
    for batch in reader:
        names = [
            "geometry" if name == geometry_name else "fid" if name == fid_name else name
            for name in batch.schema.names
        ]
        yield batch.rename_columns(names)
