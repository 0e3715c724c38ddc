"""A spreadsheet row's geometry: WKT (in the row's srs, --srs or the kommune's storage CRS) or lat/lon, to
WKB in the file's CRS, checked to lie in Norway; a point of a polygon source becomes a square
of the row's area."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from etl.errors import LoadError
from etl.readers.sheet_cells import Cell, RowError, RowProblem, column_letter, parse_number
from etl.readers.vector import NORWAY_LONLAT, resolve_epsg
from etl.sources import Field, SourceSpec

GEOMETRY_COLUMNS = ("wkt", "lat", "lon", "srs")
# Projected CRS for building a point's square when the file's CRS is lon/lat (national UTM 33).
_METRIC_FALLBACK = 25833


def area_field(spec: SourceSpec) -> Field | None:
    return next((f for f in spec.fields if f.column == "area_m2"), None)


# -- geometry -------------------------------------------------------------------------
class GeometryBuilder:
    """WKT (in the row's srs, --srs or the kommune's storage CRS) or lat/lon, to WKB in the file's CRS."""

    def __init__(self, path: Path, spec: SourceSpec, epsg: int, names: list[str],
                 lower: dict[str, int]) -> None:
        self.path, self.spec, self.epsg, self.names = path, spec, epsg, names
        self.index = {name: lower.get(name) for name in GEOMETRY_COLUMNS}
        if self.index["wkt"] is None and (self.index["lat"] is None or self.index["lon"] is None):
            raise LoadError(f"{path.name}: row 1: the sheet needs a 'wkt' column or both 'lat' "
                            f"and 'lon' columns (it has: {', '.join(n for n in names if n)})")
        area = area_field(spec)
        self.area_index = next((lower[n.lower()] for n in area.names if n.lower() in lower),
                               None) if area else None
        self.polygonal = spec.geometry == "MULTIPOLYGON"
        self.approximate: list[int] = []
        self.computed_areas: dict[int, float] = {}
        self._position = 0
        self._transformers: dict[int, Transformer] = {}
        self._to_lonlat = Transformer.from_crs(epsg, 4326, always_xy=True)
        crs = CRS.from_epsg(epsg)
        self._metric = epsg if crs.is_projected else _METRIC_FALLBACK

    def _cell(self, row: int, name: str) -> Cell:
        index = self.index[name]
        assert index is not None
        return Cell(self.path, row, self.names[index], index)

    def _value(self, cells: list[Any], name: str) -> Any:
        index = self.index[name]
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    def _transformer(self, source: int, target: int) -> Transformer:
        key = source * 100_000 + target
        if key not in self._transformers:
            self._transformers[key] = Transformer.from_crs(source, target, always_xy=True)
        return self._transformers[key]

    def _project(self, geom: BaseGeometry, source: int, target: int) -> BaseGeometry:
        if source == target:
            return geom
        return shapely.transform(geom, lambda xy: _apply(self._transformer(source, target), xy))

    def build(self, row: int, cells: list[Any]) -> bytes:
        """The row's geometry as WKB in the file's CRS."""
        position, self._position = self._position, self._position + 1
        wkt = self._value(cells, "wkt")
        srs = self._value(cells, "srs")
        if wkt is not None:
            epsg = self.epsg if srs is None else resolve_epsg(None, str(srs), self.path)
            try:
                geom = shapely.from_wkt(str(wkt).strip())
            except shapely.errors.GEOSException as exc:
                raise self._cell(row, "wkt").error(f"not valid WKT ({exc})", "bad_wkt",
                                                   detail=str(exc)) from exc
            if geom is None or geom.is_empty:
                raise self._cell(row, "wkt").error("the geometry is empty", "empty_geometry")
            column = "wkt"
        else:
            lat, lon = self._value(cells, "lat"), self._value(cells, "lon")
            if lat is None or lon is None:
                what = "'wkt' or 'lat' and 'lon'" if self.index["wkt"] is not None else "'lat' and 'lon'"
                raise RowError(f"{self.path.name}: row {row}: no geometry: fill in {what}",
                               RowProblem(row, None, None, "no_geometry"))
            lat_f, lon_f = parse_number(lat), parse_number(lon)
            if lat_f is None:
                raise self._cell(row, "lat").error(f"{lat!r} is not a number", "not_number", lat)
            if lon_f is None:
                raise self._cell(row, "lon").error(f"{lon!r} is not a number", "not_number", lon)
            geom, epsg, column = shapely.Point(lon_f, lat_f), 4326, "lat"
        coords = shapely.get_coordinates(geom)
        if not coords.size or not bool(np.isfinite(coords).all()):
            raise self._cell(row, column).error("coordinates are NaN or infinite", "not_finite")
        self._check_in_norway(row, column, geom, epsg)
        if self.polygonal and isinstance(geom, shapely.Point):
            geom = self._square(row, position, cells, geom, epsg)
        elif self.polygonal and self.area_index is not None:
            metric = self._project(geom, epsg, self._metric)
            self.computed_areas[position] = round(float(metric.area), 1)
        return bytes(shapely.to_wkb(self._project(geom, epsg, self.epsg)))

    def _check_in_norway(self, row: int, column: str, geom: BaseGeometry, epsg: int) -> None:
        point = geom.representative_point()
        lon, lat = self._transformer(epsg, 4326).transform(point.x, point.y) if epsg != 4326 \
            else (point.x, point.y)
        west, south, east, north = NORWAY_LONLAT
        if not (west <= lon <= east and south <= lat <= north):
            hint = ("are lat and lon swapped?" if column == "lat" else
                    f"is it really EPSG:{epsg}? give the row's CRS in a 'srs' column or --srs")
            raise self._cell(row, column).error(f"the position does not lie in Norway; {hint}",
                                                "outside_norway",
                                                detail="lat_lon" if column == "lat" else str(epsg))

    def _square(self, row: int, position: int, cells: list[Any], point: shapely.Point,
                epsg: int) -> BaseGeometry:
        """A square of area_m2 centred on the point, built in metres."""
        area = parse_number(cells[self.area_index]) if (
            self.area_index is not None and self.area_index < len(cells)
            and cells[self.area_index] not in (None, "")) else None
        if area is None or area <= 0:
            index = self.area_index
            column = self.names[index] if index is not None else "area_m2"
            letter = column_letter(index + 1) if index is not None else None
            raise RowError(f"{self.path.name}: row {row}, column {column}: a row with only a "
                           "point needs its area in m² (a square of that area stands in for "
                           "the outline)", RowProblem(row, column, letter, "point_needs_area"))
        centre = self._project(point, epsg, self._metric)
        half = math.sqrt(area) / 2
        square = shapely.box(centre.x - half, centre.y - half, centre.x + half, centre.y + half)
        self.approximate.append(row)
        return self._project(square, self._metric, epsg)

    def warnings(self) -> list[str]:
        """One warning listing the rows whose outline is an approximate square."""
        if not self.approximate:
            return []
        rows = ", ".join(str(r) for r in self.approximate[:20])
        more = f" and {len(self.approximate) - 20} more" if len(self.approximate) > 20 else ""
        return [f"{self.path.name}: rows {rows}{more} have only a point: each outline is an "
                f"approximate square of the row's area_m2 centred on the point; draw the real "
                f"outline when you can"]


def _apply(transformer: Transformer, xy: np.ndarray) -> np.ndarray:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])
