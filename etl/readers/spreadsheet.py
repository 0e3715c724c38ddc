"""The spreadsheet template (CSV or Excel) for planners without GIS: WKT or a lat/lon point per row.

Rows are numbered as the planner sees them in Excel (the header is row 1), and every error names
the file, the row and the column. A row with only a point (lat/lon, or a WKT POINT) gets a square
of its area_m2 centred on the point, and the load warns that the outline is approximate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from etl.errors import LoadError
from etl.readers.safezip import ZipLimits, open_checked_zip
from etl.readers.sheet_cells import Cell, RowError, RowProblem, column_letter, typed
from etl.readers.sheet_geometry import GEOMETRY_COLUMNS, GeometryBuilder, area_field
from etl.readers.vector import VectorInfo, resolve_epsg
from etl.sources import SourceSpec

__all__ = ["SPREADSHEET_SUFFIXES", "RowProblem", "SheetInfo", "read_sheet"]

SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
_ARROW_TYPES = {"text": pa.string(), "int": pa.int64(), "numeric": pa.float64(),
                "date": pa.date32(), "bool": pa.bool_()}
_XLSX_LIMITS = ZipLimits(max_total_bytes=500 << 20, max_member_bytes=400 << 20, max_ratio=150.0)


@dataclass(frozen=True)
class SheetInfo(VectorInfo):
    """A spreadsheet read into memory (they are small), typed and with geometries built."""

    feature_word: str = "row"
    warnings: tuple[str, ...] = ()
    columns: dict[str, pa.Array] = field(default_factory=dict)
    # Filled when read with collect=True: every bad cell, and the rows left without a value.
    problems: tuple[RowProblem, ...] = ()
    # Rows whose outline is a square standing in for a point (see GeometryBuilder._square).
    approximate_rows: tuple[int, ...] = ()

    @contextmanager
    def open_batches(self, columns: Sequence[str]) -> Iterator[Iterator[pa.RecordBatch]]:
        """The rows as one Arrow batch with `fid` (the Excel row number) and WKB `geometry`."""
        names = ["fid", *columns, "geometry"]
        yield iter([pa.RecordBatch.from_arrays([self.columns[n] for n in names], names=names)])


def read_sheet(path: Path, spec: SourceSpec, srs: str | None = None,
               sheet: str | None = None, *, storage_srid: int, collect: bool = False) -> SheetInfo:
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
    # WKT without an srs column or --srs is in the kommune's own projection (its storage CRS).
    epsg = resolve_epsg(None, srs or f"EPSG:{storage_srid}", path)
    lower = {name.lower(): i for i, name in enumerate(names) if name}
    columns: dict[str, pa.Array] = {"fid": pa.array([number for number, _ in rows], pa.int64())}
    for spec_field in spec.fields:
        found = next((n for n in spec_field.names if n.lower() in lower), None)
        if found is None:
            continue
        index = lower[found.lower()]
        values = [guarded(typed, cells[index] if index < len(cells) else None, spec_field,
                          Cell(path, number, names[index], index)) for number, cells in rows]
        columns[names[index]] = pa.array(values, _ARROW_TYPES[spec_field.type])
    builder = GeometryBuilder(path, spec, epsg, names, lower)
    wkb = [guarded(builder.build, number, cells) for number, cells in rows]
    columns["geometry"] = pa.array(wkb, pa.binary())
    area = area_field(spec)
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
                            f"({column_letter(seen[name.lower()] + 1)} and "
                            f"{column_letter(index + 1)})")
        seen[name.lower()] = index
    return names


