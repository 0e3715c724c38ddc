"""Load a file into PostGIS: staging, validation, repair, reprojection, one-transaction publish."""

from __future__ import annotations

import hashlib
import importlib
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import shapely
from psycopg import sql
from psycopg.types.json import Jsonb
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.sources import Field, SourceSpec, get_source
from etl.spreadsheet import SPREADSHEET_SUFFIXES, SheetInfo, read_sheet
from etl.vector import VectorInfo, open_batches, read_info
from gis.abc.accessibility import refresh_after_load
from gis.db import raw_connection
from gis.jordvern import refresh_after_load as refresh_jordvern_after_load

_STAGE_TYPES = {"text": "text", "int": "int8", "numeric": "float8", "date": "date",
                "bool": "bool"}
_TARGET_CASTS = {"text": "text", "int": "bigint", "numeric": "numeric", "date": "date",
                 "bool": "boolean"}
# Shapely type ids each target geometry accepts, and the dimension ST_CollectionExtract keeps.
_ACCEPTED_TYPES = {"MULTIPOLYGON": {3, 6}, "POINT": {0}, "MULTILINESTRING": {1, 5},
                   "GEOMETRY": {0, 1, 2, 3, 4, 5, 6, 7}}
_EXTRACT_DIMENSION = {"MULTIPOLYGON": 3, "POINT": 1, "MULTILINESTRING": 2}
_TRUE = {"true", "1", "ja", "yes", "j", "y", "sann"}
_FALSE = {"false", "0", "nei", "no", "n", "usann"}


@dataclass(frozen=True)
class LoadResult:
    """What a load did."""

    run_id: int
    source: str
    file_name: str
    status: str
    rows_read: int = 0
    rows_written: int = 0
    rows_repaired: int = 0
    warnings: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for people (and one more per warning)."""
        if self.status == "unchanged":
            return (f"{self.file_name}: already loaded (same checksum); nothing changed "
                    f"(run {self.run_id})")
        line = (f"{self.file_name}: {self.rows_written} rows published to {self.source} "
                f"({self.rows_read} read, {self.rows_repaired} repaired; run {self.run_id})")
        return "\n".join([line, *(f"  warning: {w}" for w in self.warnings)])


@dataclass(frozen=True)
class LoadJob:
    """What a custom loader gets: the connection (inside the publish transaction) and the load."""

    conn: psycopg.Connection
    spec: SourceSpec
    path: Path
    run_id: int
    storage_srid: int
    srs: str | None = None
    layer: str | None = None


@dataclass(frozen=True)
class Staged:
    """What a custom loader published."""

    rows_read: int
    rows_written: int
    rows_repaired: int = 0
    warnings: tuple[str, ...] = ()


# A loader for a non-vector format; it raises LoadError on bad input and writes with COPY.
CustomLoader = Callable[[LoadJob], Staged]


def custom_loader(spec: SourceSpec) -> CustomLoader | None:
    """The source's own loader ("module:function"), imported on first use."""
    if not spec.loader:
        return None
    module, _, function = spec.loader.partition(":")
    loader: CustomLoader = getattr(importlib.import_module(module), function)
    return loader


def file_checksum(path: Path) -> str:
    """SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_source(engine: Engine, source: str, path: Path, *, storage_srid: int,
                srs: str | None = None, layer: str | None = None) -> LoadResult:
    """Load `path` as `source`; a LoadError leaves the published data exactly as it was."""
    spec = get_source(source)
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: file not found")
    checksum = file_checksum(path)
    with raw_connection(engine) as conn:
        if _last_published_checksum(conn, spec, path.name) == checksum:
            run_id = _record_run(conn, spec.name, path, checksum, "unchanged")
            return LoadResult(run_id, spec.name, path.name, "unchanged")
        run_id = _record_run(conn, spec.name, path, checksum, "running")
        try:
            loader = custom_loader(spec)
            if loader is not None:
                with conn.transaction():
                    staged = loader(LoadJob(conn, spec, path, run_id, storage_srid, srs, layer))
                    _mark_published(conn, run_id, staged)
                    refresh_after_load(conn, [spec.table])
                    refresh_jordvern_after_load(conn, [spec.table])
                return LoadResult(run_id, spec.name, path.name, "published", staged.rows_read,
                                  staged.rows_written, staged.rows_repaired, staged.warnings)
            info = _read_info(spec, path, layer=layer, srs=srs)
            with conn.transaction():
                result = _stage_and_publish(conn, spec, info, run_id, storage_srid)
                # ABC classes depend on stops, junctions, centres and sites: same transaction.
                refresh_after_load(conn, [spec.table])
                refresh_jordvern_after_load(conn, [spec.table])
        except LoadError as exc:
            _finish_run(conn, run_id, "failed", error=str(exc))
            raise
        except psycopg.Error as exc:
            message = f"{path.name}: the database refused the data: {exc}".strip()
            _finish_run(conn, run_id, "failed", error=message)
            raise LoadError(message) from exc
        return result


# -- load history ---------------------------------------------------------------
def _last_published_checksum(conn: psycopg.Connection, spec: SourceSpec,
                             file_name: str) -> str | None:
    # Sources fed by several files (sites, statistics, plans) compare with this file's last
    # load; a source whose delivery replaces the whole table compares with its last load.
    row = conn.execute(
        "SELECT checksum FROM load_run WHERE source = %s AND status = 'published' "
        "AND (%s OR file_name = %s) ORDER BY id DESC LIMIT 1",
        (spec.name, spec.replace, file_name)).fetchone()
    conn.commit()
    return row[0] if row else None


def _record_run(conn: psycopg.Connection, source: str, path: Path, checksum: str,
                status: str) -> int:
    finished = status != "running"
    row = conn.execute(
        "INSERT INTO load_run (source, file_name, checksum, status, finished_at) "
        "VALUES (%s, %s, %s, %s, CASE WHEN %s THEN now() END) RETURNING id",
        (source, path.name, checksum, status, finished)).fetchone()
    conn.commit()
    assert row is not None
    return int(row[0])


def _finish_run(conn: psycopg.Connection, run_id: int, status: str, *, error: str | None = None,
                counts: dict[str, int] | None = None) -> None:
    counts = counts or {}
    conn.execute(
        "UPDATE load_run SET status = %s, finished_at = now(), error = %s, "
        "rows_read = %s, rows_written = %s, rows_repaired = %s, rows_rejected = %s "
        "WHERE id = %s",
        (status, error, counts.get("read", 0), counts.get("written", 0),
         counts.get("repaired", 0), counts.get("rejected", 0), run_id))
    conn.commit()


def _mark_published(conn: psycopg.Connection, run_id: int, staged: Staged) -> None:
    conn.execute(
        "UPDATE load_run SET status = 'published', finished_at = now(), rows_read = %s, "
        "rows_written = %s, rows_repaired = %s, warnings = %s WHERE id = %s",
        (staged.rows_read, staged.rows_written, staged.rows_repaired,
         Jsonb(list(staged.warnings)), run_id))


# -- staging --------------------------------------------------------------------
def _read_info(spec: SourceSpec, path: Path, *, layer: str | None,
               srs: str | None) -> VectorInfo:
    """A spreadsheet (CSV/Excel with WKT or lat/lon) or any vector file pyogrio reads."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return read_sheet(path, spec, srs=srs, sheet=layer)
    return read_info(path, layer=layer, srs=srs)


def _source_columns(spec: SourceSpec, info: VectorInfo) -> dict[str, str]:
    """Map each target column to the file's column; a missing required field is an error."""
    by_lower = {name.lower(): name for name in info.fields}
    mapping: dict[str, str] = {}
    missing: list[str] = []
    for field in spec.fields:
        found = next((by_lower[n.lower()] for n in field.names if n.lower() in by_lower), None)
        if found:
            mapping[field.column] = found
        elif field.required:
            missing.append(field.column)
    if missing:
        raise LoadError(f"{info.path.name}: required field(s) missing: {', '.join(missing)} "
                        f"(the file has: {', '.join(info.fields) or 'no fields'})")
    return mapping


def _stage_and_publish(conn: psycopg.Connection, spec: SourceSpec, info: VectorInfo,
                       run_id: int, storage_srid: int) -> LoadResult:
    mapping = _source_columns(spec, info)
    fields = [f for f in spec.fields if f.column in mapping]
    stage = sql.Identifier(f"stage_{spec.name}_{run_id}")
    column_defs = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(f.column), sql.SQL(_STAGE_TYPES[f.type]))
        for f in fields)
    conn.execute(sql.SQL(
        "CREATE TEMP TABLE {} (fid bigint, {}, wkb bytea, geom geometry) ON COMMIT DROP"
    ).format(stage, column_defs))
    rows_read = _copy_into_stage(conn, stage, spec, fields, mapping, info)
    if rows_read == 0:
        raise LoadError(f"{info.path.name}: the file holds no features")
    if spec.unique_key:
        _check_duplicate_keys(conn, stage, spec, info)
    repaired = _build_geometries(conn, stage, spec, info, storage_srid)
    warnings_ = list(info.warnings) if isinstance(info, SheetInfo) else []
    if spec.clip_to_kommune:
        warnings_ += _clip_to_kommune(conn, stage, spec, info)
    written = _publish(conn, stage, spec, fields, run_id)
    staged = Staged(rows_read, written, repaired, tuple(warnings_))
    _mark_published(conn, run_id, staged)
    return LoadResult(run_id, spec.name, info.path.name, "published", rows_read, written, repaired,
                      staged.warnings)


def _copy_into_stage(conn: psycopg.Connection, stage: sql.Identifier, spec: SourceSpec,
                     fields: Sequence[Field], mapping: dict[str, str], info: VectorInfo) -> int:
    names = sql.SQL(", ").join(sql.Identifier(f.column) for f in fields)
    copy_sql = sql.SQL("COPY {} (fid, {}, wkb) FROM STDIN (FORMAT BINARY)").format(stage, names)
    rows = 0
    columns = [mapping[f.column] for f in fields]
    with (info.open_batches(columns) if isinstance(info, SheetInfo)
          else open_batches(info, columns)) as batches, conn.cursor().copy(copy_sql) as copy:
        copy.set_types(["int8", *(_STAGE_TYPES[f.type] for f in fields), "bytea"])
        for batch in batches:
            for row in _rows_of_batch(batch, spec, fields, mapping, info):
                copy.write_row(row)
                rows += 1
    return rows


def _rows_of_batch(batch: pa.RecordBatch, spec: SourceSpec, fields: Sequence[Field],
                   mapping: dict[str, str], info: VectorInfo) -> Iterator[tuple[Any, ...]]:
    fids = batch.column("fid").to_numpy(zero_copy_only=False)
    keys = batch.column(mapping[spec.key]).to_pylist()

    word = info.feature_word if isinstance(info, SheetInfo) else "feature"

    def feature(i: int) -> str:
        return f"{info.path.name}: {word} {fids[i]} ({spec.key}={keys[i]!r})"

    wkb = batch.column("geometry").to_numpy(zero_copy_only=False)
    _check_geometries(wkb, spec, feature)
    columns = [_convert(batch.column(mapping[f.column]), f, feature) for f in fields]
    for i in range(batch.num_rows):
        yield (int(fids[i]), *(column[i] for column in columns), wkb[i])


def _check_geometries(wkb: np.ndarray, spec: SourceSpec, feature: Any) -> None:
    """Reject missing, empty, non-finite or wrong-type geometries, naming the first offender."""
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
    accepted = _ACCEPTED_TYPES[spec.geometry]
    wrong = np.flatnonzero(~np.isin(shapely.get_type_id(geoms), list(accepted)))
    if wrong.size:
        kind = shapely.get_type_id(geoms[wrong[0]])
        raise LoadError(f"{feature(int(wrong[0]))}: geometry type id {kind} does not fit a "
                        f"{spec.geometry.lower()} layer")


def _convert(column: pa.Array, field: Field, feature: Any) -> list[Any]:
    """Values of one column as Python objects of the field's type; bad values name the feature."""
    values = column.to_pylist()
    out: list[Any]
    if field.type == "text":
        out = [None if v is None or str(v).strip() == "" else str(v).strip() for v in values]
        if field.allowed:
            # Codes match whatever their case ("Regionsenter") and are stored as listed.
            canonical = {code.lower(): code for code in field.allowed}
            bad_code = next((i for i, v in enumerate(out)
                             if v is not None and v.lower() not in canonical), None)
            if bad_code is not None:
                raise LoadError(f"{feature(bad_code)}: {field.column} = {out[bad_code]!r} is not "
                                f"one of {', '.join(field.allowed)}")
            out = [None if v is None else canonical[v.lower()] for v in out]
    elif field.type in ("int", "numeric"):
        series = pd.Series([v.replace(",", ".").replace(" ", "") if isinstance(v, str) else v
                            for v in values], dtype="object")
        numbers = pd.to_numeric(series, errors="coerce")
        bad = np.flatnonzero(numbers.isna().to_numpy() & series.notna().to_numpy()
                             & (series.astype(str).str.strip() != "").to_numpy())
        if bad.size:
            raise LoadError(f"{feature(int(bad[0]))}: {field.column} = {values[bad[0]]!r} "
                            "is not a number")
        out = [None if pd.isna(n) else (int(n) if field.type == "int" else float(n))
               for n in numbers]
    elif field.type == "date":
        out = [_to_date(v, field, feature, i) for i, v in enumerate(values)]
    else:
        out = [_to_bool(v, field, feature, i) for i, v in enumerate(values)]
    if field.required:
        absent = [i for i, v in enumerate(out) if v is None]
        if absent:
            raise LoadError(f"{feature(absent[0])}: required field {field.column} is empty")
    return out


def _to_date(value: Any, field: Field, feature: Any, i: int) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if hasattr(value, "year") and not isinstance(value, str):
        return value if not hasattr(value, "date") else value.date()
    parsed = pd.to_datetime(str(value).strip(), errors="coerce", format="mixed")
    if pd.isna(parsed):
        raise LoadError(f"{feature(i)}: {field.column} = {value!r} is not a date")
    return parsed.date()


def _to_bool(value: Any, field: Field, feature: Any, i: int) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text == "":
        return None
    raise LoadError(f"{feature(i)}: {field.column} = {value!r} is not yes/no")


def _check_duplicate_keys(conn: psycopg.Connection, stage: sql.Identifier, spec: SourceSpec,
                          info: VectorInfo) -> None:
    row = conn.execute(sql.SQL(
        "SELECT {key}, array_agg(fid ORDER BY fid) FROM {stage} GROUP BY {key} "
        "HAVING count(*) > 1 LIMIT 1").format(key=sql.Identifier(spec.key), stage=stage)
    ).fetchone()
    if row:
        raise LoadError(f"{info.path.name}: {spec.key} {row[0]!r} occurs in several features "
                        f"({', '.join(str(f) for f in row[1])})")


def _build_geometries(conn: psycopg.Connection, stage: sql.Identifier, spec: SourceSpec,
                      info: VectorInfo, storage_srid: int) -> int:
    """Parse, repair, reproject once; returns how many geometries were repaired."""
    conn.execute(sql.SQL("UPDATE {} SET geom = ST_GeomFromWKB(wkb, %s)").format(stage),
                 (info.epsg,))
    repaired = 0
    dimension = _EXTRACT_DIMENSION.get(spec.geometry)
    repair = (sql.SQL("ST_CollectionExtract(ST_MakeValid(geom), {})").format(
        sql.Literal(dimension)) if dimension else sql.SQL("ST_MakeValid(geom)"))
    cursor = conn.execute(sql.SQL("UPDATE {} SET geom = {} WHERE NOT ST_IsValid(geom)").format(
        stage, repair))
    repaired = cursor.rowcount
    broken = conn.execute(sql.SQL(
        "SELECT fid, {key} FROM {stage} WHERE geom IS NULL OR ST_IsEmpty(geom) ORDER BY fid "
        "LIMIT 1").format(key=sql.Identifier(spec.key), stage=stage)).fetchone()
    if broken:
        raise LoadError(f"{info.path.name}: feature {broken[0]} ({spec.key}={broken[1]!r}): "
                        "the geometry is invalid and cannot be repaired")
    shape = sql.SQL("ST_Multi({})") if spec.geometry.startswith("MULTI") else sql.SQL("{}")
    transformed = shape.format(sql.SQL("ST_Transform(geom, %s)"))
    conn.execute(sql.SQL("UPDATE {} SET geom = {}").format(stage, transformed), (storage_srid,))
    return repaired


def _clip_to_kommune(conn: psycopg.Connection, stage: sql.Identifier, spec: SourceSpec,
                     info: VectorInfo) -> list[str]:
    """Cut the staged geometries to the kommune boundary; features wholly outside are dropped."""
    loaded = conn.execute("SELECT count(*) FROM kommune").fetchone()
    if not loaded or not loaded[0]:
        raise LoadError(f"{info.path.name}: load the kommune boundary first "
                        "(`naeringskart load kommune FILE`): this source is clipped to it")
    dimension = sql.Literal(_EXTRACT_DIMENSION.get(spec.geometry, 3))
    shape = sql.SQL("ST_Multi({})") if spec.geometry.startswith("MULTI") else sql.SQL("{}")
    clipped = shape.format(sql.SQL("ST_CollectionExtract(ST_Intersection(s.geom, k.geom), {})")
                           .format(dimension))
    # Features inside the boundary are kept as they are; only the crossing ones are cut.
    conn.execute(sql.SQL(
        "WITH k AS (SELECT ST_Union(geom) AS geom FROM kommune) "
        "UPDATE {stage} s SET geom = CASE WHEN ST_CoveredBy(s.geom, k.geom) THEN s.geom "
        "WHEN ST_Intersects(s.geom, k.geom) THEN {clipped} END FROM k"
    ).format(stage=stage, clipped=clipped))
    dropped = conn.execute(sql.SQL(
        "DELETE FROM {stage} WHERE geom IS NULL OR ST_IsEmpty(geom) RETURNING {key}"
    ).format(stage=stage, key=sql.Identifier(spec.key))).fetchall()
    if not dropped:
        return []
    names = ", ".join(str(row[0]) for row in dropped[:10])
    more = f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
    return [f"{len(dropped)} feature(s) lie outside the kommune and were left out: {names}{more}"]


def _publish(conn: psycopg.Connection, stage: sql.Identifier, spec: SourceSpec,
             fields: Sequence[Field], run_id: int) -> int:
    """Upsert (or replace) the staged rows into the published table, in the caller's transaction."""
    targets = [sql.Identifier(f.column) for f in fields]
    values = [sql.SQL("{}::{}").format(sql.Identifier(f.column), sql.SQL(_TARGET_CASTS[f.type]))
              for f in fields]
    if spec.replace:
        conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(spec.table)))
        cursor = conn.execute(sql.SQL(
            "INSERT INTO {table} ({targets}, load_id, geom) SELECT {values}, %s, geom FROM {stage}"
        ).format(table=sql.Identifier(spec.table), targets=sql.SQL(", ").join(targets),
                 values=sql.SQL(", ").join(values), stage=stage), (run_id,))
        return cursor.rowcount
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = EXCLUDED.{0}").format(t) for t in [*targets, sql.Identifier("load_id"),
                                                          sql.Identifier("geom")])
    cursor = conn.execute(sql.SQL(
        "INSERT INTO {table} ({targets}, load_id, geom) SELECT {values}, %s, geom FROM {stage} "
        "ON CONFLICT ({key}) DO UPDATE SET {updates}"
    ).format(table=sql.Identifier(spec.table), targets=sql.SQL(", ").join(targets),
             values=sql.SQL(", ").join(values), stage=stage, key=sql.Identifier(spec.key),
             updates=updates), (run_id,))
    return cursor.rowcount


def load_history(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """The most recent loads, newest first."""
    with raw_connection(engine) as conn:
        cursor = conn.execute(
            "SELECT id, source, file_name, status, started_at, finished_at, rows_read, "
            "rows_written, rows_repaired, rows_rejected, error FROM load_run "
            "ORDER BY id DESC LIMIT %s", (limit,))
        columns = [d.name for d in cursor.description or []]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        conn.commit()
        return rows
