"""The spreadsheet template (CSV or Excel) for planners without GIS: WKT or a lat/lon point per row.

Rows are numbered as the planner sees them in Excel (the header is row 1), and every error names
the file, the row and the column. A row with only a point (lat/lon, or a WKT POINT) gets a square
of its area_m2 centred on the point, and the load warns that the outline is approximate.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from etl.errors import LoadError
from etl.readers.safezip import ZipLimits, open_checked_zip
from etl.readers.vector import NORWAY_LONLAT, VectorInfo, resolve_epsg
from etl.sources import Field, SourceSpec

SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
DEFAULT_SRS = "EPSG:25832"
GEOMETRY_COLUMNS = ("wkt", "lat", "lon", "srs")
# Projected CRS for building a point's square when the file's CRS is lon/lat (national UTM 33).
_METRIC_FALLBACK = 25833
_ARROW_TYPES = {"text": pa.string(), "int": pa.int64(), "numeric": pa.float64(),
                "date": pa.date32(), "bool": pa.bool_()}
_TRUE = {"true", "1", "ja", "yes", "j", "y", "sann", "x"}
_FALSE = {"false", "0", "nei", "no", "n", "usann"}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d")
_XLSX_LIMITS = ZipLimits(max_total_bytes=500 << 20, max_member_bytes=400 << 20, max_ratio=150.0)


@dataclass(frozen=True)
class SheetInfo(VectorInfo):
    """A spreadsheet read into memory (they are small), typed and with geometries built."""

    feature_word: str = "row"
    warnings: tuple[str, ...] = ()
    columns: dict[str, pa.Array] = field(default_factory=dict)
    # Filled when read with collect=True: every bad cell, and the rows left without a value.
    problems: tuple[RowProblem, ...] = ()
    # Rows whose outline is a square standing in for a point (see _GeometryBuilder._square).
    approximate_rows: tuple[int, ...] = ()

    @contextmanager
    def open_batches(self, columns: Sequence[str]) -> Iterator[Iterator[pa.RecordBatch]]:
        """The rows as one Arrow batch with `fid` (the Excel row number) and WKB `geometry`."""
        names = ["fid", *columns, "geometry"]
        yield iter([pa.RecordBatch.from_arrays([self.columns[n] for n in names], names=names)])


@dataclass(frozen=True)
class RowProblem:
    """One bad cell, as data: callers that list every problem word it in their own language.

    kind is one of: required, not_allowed, not_number, not_whole, not_date, not_yes_no,
    bad_wkt, empty_geometry, no_geometry, not_finite, outside_norway, point_needs_area."""

    row: int
    column: str | None
    letter: str | None
    kind: str
    value: str | None = None
    detail: str | None = None


class RowError(LoadError):
    """A bad cell or row: the English message, and the same as a RowProblem."""

    def __init__(self, message: str, problem: RowProblem) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass
class _Cell:
    """Where a value came from, for error messages."""

    path: Path
    row: int
    column: str
    index: int

    def __str__(self) -> str:
        return (f"{self.path.name}: row {self.row}, column {self.column} "
                f"({_column_letter(self.index + 1)})")

    def error(self, message: str, kind: str, value: Any = None, detail: str | None = None
              ) -> RowError:
        """The error for this cell: '<file>: row r, column c (L): <message>'."""
        return RowError(f"{self}: {message}", RowProblem(
            self.row, self.column, _column_letter(self.index + 1), kind,
            None if value is None else str(value), detail))


def read_sheet(path: Path, spec: SourceSpec, srs: str | None = None,
               sheet: str | None = None, *, collect: bool = False) -> SheetInfo:
    """Read, type-check and geometry-build a CSV or .xlsx file (its first sheet, or `sheet`).

    A bad cell raises RowError, unless `collect`: then every bad cell is listed in the result's
    `problems` (its value left empty) and reading goes on."""
    problems: list[RowProblem] = []

    def guarded(make: Any, *args: Any) -> Any:
        try:
            return make(*args)
        except RowError as exc:
            if not collect:
                raise
            problems.append(exc.problem)
            return None

    if not path.exists():
        raise LoadError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise LoadError(f"{path.name}: the file is empty")
    header, rows = _read_xlsx(path, sheet) if path.suffix.lower() == ".xlsx" else _read_csv(path)
    names = _check_header(path, header)
    if not rows:
        raise LoadError(f"{path.name}: the file holds a header but no rows")
    epsg = resolve_epsg(None, srs or DEFAULT_SRS, path)
    lower = {name.lower(): i for i, name in enumerate(names) if name}
    columns: dict[str, pa.Array] = {"fid": pa.array([number for number, _ in rows], pa.int64())}
    for spec_field in spec.fields:
        found = next((n for n in spec_field.names if n.lower() in lower), None)
        if found is None:
            continue
        index = lower[found.lower()]
        values = [guarded(_typed, cells[index] if index < len(cells) else None, spec_field,
                          _Cell(path, number, names[index], index)) for number, cells in rows]
        columns[names[index]] = pa.array(values, _ARROW_TYPES[spec_field.type])
    builder = _GeometryBuilder(path, spec, epsg, names, lower)
    wkb = [guarded(builder.build, number, cells) for number, cells in rows]
    columns["geometry"] = pa.array(wkb, pa.binary())
    area = _area_field(spec)
    area_name = next((names[lower[n.lower()]] for n in area.names if n.lower() in lower),
                     None) if area else None
    if area_name and builder.computed_areas:
        # A polygon row with no area_m2 gets its polygon's area (the template says so).
        areas = columns[area_name].to_pylist()
        for position, computed in builder.computed_areas.items():
            if areas[position] is None:
                areas[position] = computed
        columns[area_name] = pa.array(areas, pa.float64())
    fields = tuple(n for n in names if n and n.lower() not in GEOMETRY_COLUMNS)
    return SheetInfo(path=path, layer=None, epsg=epsg, fields=fields,
                     geometry_type=spec.geometry, feature_count=len(rows), bounds=None,
                     warnings=tuple(builder.warnings()), columns=columns,
                     problems=tuple(sorted(problems, key=lambda p: p.row)),
                     approximate_rows=tuple(builder.approximate))


# -- reading ----------------------------------------------------------------------
Rows = list[tuple[int, list[Any]]]


def _read_csv(path: Path) -> tuple[list[Any], Rows]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise LoadError(f"{path.name}: line {line} is not UTF-8; save the sheet as "
                        "'CSV UTF-8' (in Excel: Save as → CSV UTF-8)") from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise LoadError(f"{path.name}: row {reader.line_num}: unreadable CSV ({exc})") from exc
    if not records:
        raise LoadError(f"{path.name}: the file is empty")
    header = records[0]
    rows: Rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(value.strip() for value in record):
            continue
        if len(record) > len(header) and any(v.strip() for v in record[len(header):]):
            raise LoadError(f"{path.name}: row {number} has {len(record)} values but the header "
                            f"has {len(header)} columns (an unquoted {delimiter!r} in a value?)")
        rows.append((number, list(record)))
    return list(header), rows


def _read_xlsx(path: Path, sheet_name: str | None) -> tuple[list[Any], Rows]:
    # The workbook is a zip: refuse a bomb before openpyxl unpacks anything.
    open_checked_zip(path, _XLSX_LIMITS).close()
    try:
        from openpyxl import load_workbook  # only for Excel files (it takes 0.1 s to import)

        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise LoadError(f"{path.name}: cannot be read as an Excel workbook (.xlsx): {exc}") from exc
    try:
        if sheet_name is not None and sheet_name not in workbook.sheetnames:
            raise LoadError(f"{path.name}: no sheet {sheet_name!r} (sheets: "
                            f"{', '.join(workbook.sheetnames)})")
        sheet = workbook[sheet_name] if sheet_name else workbook.worksheets[0]
        records = sheet.iter_rows(values_only=True)
        header = next(records, None)
        if header is None:
            raise LoadError(f"{path.name}: the sheet {sheet.title!r} is empty")
        rows: Rows = []
        for number, record in enumerate(records, start=2):
            if any(v is not None and str(v).strip() for v in record):
                rows.append((number, list(record)))
        return list(header), rows
    except LoadError:
        raise
    except Exception as exc:  # a damaged sheet fails while its rows are read
        raise LoadError(f"{path.name}: the sheet cannot be read: {exc}") from exc
    finally:
        workbook.close()


def _check_header(path: Path, header: list[Any]) -> list[str]:
    names = ["" if h is None else str(h).strip() for h in header]
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if name.lower() in seen:
            raise LoadError(f"{path.name}: row 1: column {name!r} occurs twice "
                            f"({_column_letter(seen[name.lower()] + 1)} and "
                            f"{_column_letter(index + 1)})")
        seen[name.lower()] = index
    return names


# -- values -------------------------------------------------------------------------
def _typed(value: Any, spec_field: Field, cell: _Cell) -> Any:
    """The cell's value as the field's type; a bad value names the row and column."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec_field.required and spec_field.column != "area_m2":
            raise cell.error("required value is empty", "required")
        return None
    kind = spec_field.type
    if kind == "text":
        text = _text(value)
        if spec_field.allowed and text.lower() not in {a.lower() for a in spec_field.allowed}:
            raise cell.error(f"{text!r} is not one of {', '.join(spec_field.allowed)}",
                             "not_allowed", text, ", ".join(spec_field.allowed))
        return text
    if kind in ("int", "numeric"):
        number = _number(value)
        if number is None:
            raise cell.error(f"{value!r} is not a number", "not_number", value)
        if kind == "int":
            if not float(number).is_integer():
                raise cell.error(f"{value!r} is not a whole number", "not_whole", value)
            return int(number)
        return number
    if kind == "date":
        date = _date(value)
        if date is None:
            raise cell.error(f"{value!r} is not a date (write YYYY-MM-DD)", "not_date", value)
        return date
    flag = _flag(value)
    if flag is None:
        raise cell.error(f"{value!r} is not yes/no (write true or false)", "not_yes_no", value)
    return flag


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 1300 as 1300.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    return None


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def _area_field(spec: SourceSpec) -> Field | None:
    return next((f for f in spec.fields if f.column == "area_m2"), None)


# -- geometry -------------------------------------------------------------------------
class _GeometryBuilder:
    """WKT (in the row's srs, --srs or EPSG:25832) or lat/lon, to WKB in the file's CRS."""

    def __init__(self, path: Path, spec: SourceSpec, epsg: int, names: list[str],
                 lower: dict[str, int]) -> None:
        self.path, self.spec, self.epsg, self.names = path, spec, epsg, names
        self.index = {name: lower.get(name) for name in GEOMETRY_COLUMNS}
        if self.index["wkt"] is None and (self.index["lat"] is None or self.index["lon"] is None):
            raise LoadError(f"{path.name}: row 1: the sheet needs a 'wkt' column or both 'lat' "
                            f"and 'lon' columns (it has: {', '.join(n for n in names if n)})")
        area = _area_field(spec)
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

    def _cell(self, row: int, name: str) -> _Cell:
        index = self.index[name]
        assert index is not None
        return _Cell(self.path, row, self.names[index], index)

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
            lat_f, lon_f = _number(lat), _number(lon)
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
        area = _number(cells[self.area_index]) if (
            self.area_index is not None and self.area_index < len(cells)
            and cells[self.area_index] not in (None, "")) else None
        if area is None or area <= 0:
            index = self.area_index
            column = self.names[index] if index is not None else "area_m2"
            letter = _column_letter(index + 1) if index is not None else None
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


def _column_letter(number: int) -> str:
    """A spreadsheet column's letters (1 → A, 27 → AA), as Excel shows them."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(number))
