"""Reading an uploaded file of sites (GeoPackage/GeoJSON or the spreadsheet template) with the
ETL's readers and the loader's names for the `sites` source's columns; the core classifies and
applies the rows (gis.planner.bulk)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from etl.errors import LoadError
from etl.readers.spreadsheet import read_sheet
from etl.readers.vector import open_batches, read_info
from etl.sources import SourceSpec, get_source
from gis.planner.bulk import UploadError
from gis.planner.bulk_reasons import sheet_reason
from gis.planner.messages import N_, Message, say
from gis.sites import UPLOADABLE

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json")
SHEET_SUFFIXES = (".csv", ".xlsx")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _columns(spec: SourceSpec, fields: list[str]) -> dict[str, str]:
    """The file's column for each site column an upload may set, by the loader's names."""
    by_lower = {name.lower(): name for name in fields}
    wanted = {
        f.column: next((by_lower[n.lower()] for n in f.names if n.lower() in by_lower), None)
        for f in spec.fields
        if f.column in (*UPLOADABLE, spec.key)
    }
    return {column: name for column, name in wanted.items() if name}


def read_upload(path: Path, storage_srid: int) -> tuple[int, list[dict[str, Any]]]:
    """Rows of the file: (EPSG, [{row, values, wkb}]); file-level problems raise UploadError.
    A spreadsheet's WKT with no srs is in the kommune's storage CRS."""
    spec = get_source("sites")
    suffix = path.suffix.lower()
    try:
        if suffix in SHEET_SUFFIXES:
            # Every bad cell is collected, so the preview lists them all.
            info: Any = read_sheet(path, spec, collect=True, storage_srid=storage_srid)
        elif suffix in VECTOR_SUFFIXES:
            info = read_info(path)
        else:
            raise UploadError(
                say(
                    N_(
                        "%(name)s: filtypen støttes ikke; bruk GeoPackage (.gpkg), "
                        "GeoJSON, CSV eller Excel (.xlsx)."
                    ),
                    name=path.name,
                )
            )
        present = _columns(spec, list(info.fields))
        if spec.key not in present:
            raise UploadError(
                say(
                    N_("%(name)s: kolonnen site_key mangler (filen har: %(fields)s)."),
                    name=path.name,
                    fields=", ".join(info.fields),
                )
            )
        problems: dict[int, list[dict[str, Any]]] = {}
        for problem in getattr(info, "problems", ()):
            problems.setdefault(problem.row, []).append(sheet_reason(problem))
        approximate = set(getattr(info, "approximate_rows", ()))
        rows: list[dict[str, Any]] = []
        opener = (
            info.open_batches
            if hasattr(info, "open_batches")
            else (lambda columns: open_batches(info, columns))
        )
        with opener(list(present.values())) as batches:
            for batch in batches:
                data = batch.to_pydict()
                for i, fid in enumerate(data["fid"]):
                    # An empty cell means "leave as it is" (an upload never blanks a field).
                    values = {
                        column: _json_value(data[name][i])
                        for column, name in present.items()
                        if data[name][i] is not None and data[name][i] != ""
                    }
                    wkb = data["geometry"][i]
                    rows.append(
                        {
                            "row": int(fid),
                            "values": values,
                            "wkb": bytes(wkb).hex() if wkb else None,
                            "problems": problems.get(int(fid), []),
                            "approximate": int(fid) in approximate,
                        }
                    )
    except LoadError as exc:
        raise UploadError(Message(str(exc), literal=True)) from exc
    if not rows:
        raise UploadError(say(N_("%(name)s: filen inneholder ingen rader."), name=path.name))
    return info.epsg, rows
