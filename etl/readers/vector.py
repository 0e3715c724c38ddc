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
from etl.readers.sosi.vector import is_sosi, sosi_batches, sosi_crs, sosi_info

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
    # SOSI: the character set to read with instead of ..TEGNSETT (--encoding).
    encoding: str | None = None
    # What reading found worth telling: a mislabelled charset, objects left out.
    notes: tuple[str, ...] = ()


def resolve_epsg(crs_text: str | None, srs: str | None, path: Path, *, force_srs: bool = False,
                 default: str | None = None) -> int:
    """The file's EPSG code, or the one given with --srs; an error when neither is usable.

    `crs_text` is what the file declares; --srs may only differ from it with `force_srs`
    (a wrong --srs would publish the data hundreds of kilometres off). `default` is what a
    format implies when the file says nothing (GeoJSON: WGS84)."""
    if srs and crs_text:
        declared, given = _epsg(crs_text, path), _epsg(srs, path)
        if declared != given and not force_srs:
            raise LoadError(
                f"{path.name}: the file declares EPSG:{declared}, but --srs says EPSG:{given}; "
                f"give --force-srs as well to read its coordinates as EPSG:{given}")
        return given
    chosen = srs or crs_text or default
    if not chosen:
        raise LoadError(f"{path.name}: the file declares no coordinate reference system; "
                        "give one with --srs (e.g. --srs EPSG:25832)")
    return _epsg(chosen, path)


def _epsg(chosen: str, path: Path) -> int:
    """The EPSG code of a CRS given as text (EPSG:n, a URN, WKT, a PROJ string)."""
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


def read_info(path: Path, layer: str | None = None, srs: str | None = None, *,
              force_srs: bool = False, encoding: str | None = None) -> VectorInfo:
    """Open the file, resolve its CRS and check that its extent is plausible."""
    if not path.exists():
        raise LoadError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise LoadError(f"{path.name}: the file is empty")
    if is_sosi(path):
        return _read_sosi_info(path, layer, srs, force_srs, encoding)
    try:
        with gdal_options():
            info = pyogrio.read_info(path, layer=layer, force_feature_count=True,
                                     force_total_bounds=True, **open_options(path))
    except (DataSourceError, DataLayerError) as exc:
        raise LoadError(f"{path.name}: cannot be read as a vector file: {exc}") from exc
    declared, default = declared_crs(path, info.get("crs"))
    epsg = resolve_epsg(declared, srs, path, force_srs=force_srs, default=default)
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


def declared_crs(path: Path, reported: str | None) -> tuple[str | None, str | None]:
    """(what the file declares, what its format implies when it declares nothing).

    GDAL reports WGS84 for every GeoJSON without a `crs` member, as RFC 7946 says; many
    Norwegian GeoJSON files hold UTM coordinates anyway, so that is a default, not a claim."""
    if path.suffix.lower() in (".geojson", ".json"):
        return declared_geojson_crs(path), reported
    return reported, None


def _read_sosi_info(path: Path, layer: str | None, srs: str | None, force_srs: bool,
                    encoding: str | None) -> VectorInfo:
    """SOSI: `layer` selects one ..OBJTYPE; the header's KOORDSYS gives the CRS."""
    notes: list[str] = []
    header, fields, count, bounds = sosi_info(path, (layer,) if layer else (), encoding, notes)
    resolved = resolve_epsg(sosi_crs(header, path, srs), srs, path, force_srs=force_srs)
    check_plausible_extent(path, resolved, bounds)
    return VectorInfo(path=path, layer=layer, epsg=resolved, fields=fields, geometry_type=None,
                      feature_count=count, bounds=bounds,  # type: ignore[arg-type]
                      encoding=encoding, notes=(*header.notes, *notes))


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
        yield sosi_batches(info.path, columns, (info.layer,) if info.layer else (), batch_size,
                           info.encoding)
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
