"""Load a file into PostGIS: staging, validation, repair, reprojection, one-transaction publish.

The frame (checksum, load history, one transaction) is etl.runs; the steps are etl.staging.
A source either loads through the generic vector path below, or names its own loader
(``SourceSpec.loader``), which runs inside the same frame and gets a LoadJob.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import psycopg
import pyarrow as pa
from psycopg import sql
from sqlalchemy import Engine

from etl import fastcopy, fkb, gml, parallel, staging, swap
from etl.errors import LoadError
from etl.layer_choice import choose_layer, feature_namer
from etl.runs import Counts, LoadResult, Progress, file_checksum, load_history, run_load
from etl.sources import Derived, Field, FieldType, SourceSpec, get_source
from etl.spreadsheet import SPREADSHEET_SUFFIXES, SheetInfo, read_sheet
from etl.vector import VectorInfo, open_batches, read_info
from gis.db import raw_connection
from gis.derived import after_tables_changed

# An in-place replace rebuilds the GiST indexes when the file brings at least a tenth as many
# rows as the table holds (a sorted build costs ~1.5 µs a row, an insert into the tree ~15).
REBUILD_SHARE = 10

__all__ = ["CustomLoader", "LoadJob", "LoadResult", "Staged", "custom_loader", "file_checksum",
           "load_history", "load_source"]


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
    progress: Progress | None = None
    encoding: str | None = None
    force_srs: bool = False
    plan_id: str | None = None


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


def load_source(engine: Engine, source: str, path: Path, *, storage_srid: int,
                srs: str | None = None, layer: str | None = None,
                progress: Progress | None = None, workers: int | None = None,
                encoding: str | None = None, force_srs: bool = False, plan_id: str | None = None,
                kommuner: Collection[str] | None = None) -> LoadResult:
    """Load `path` as `source`; a LoadError leaves the published data exactly as it was.
    A big file is written over `workers` connections at once (default: one per CPU core).

    `srs` reads a file that declares no CRS (with `force_srs`, one that declares another);
    `encoding` overrides a SOSI file's ..TEGNSETT; `plan_id` (KNR/PLANID) names the plan of
    plan areas that carry none; `kommuner` (the instance's kommunenummer) keeps only those
    kommuner of a national kommune file. The same file loaded with other options is a new load."""
    workers = workers or parallel.default_workers()
    spec = get_source(source)
    path = Path(path)
    loader = custom_loader(spec)
    options = {name: value for name, value in (("srs", srs), ("force_srs", force_srs),
                                                ("layer", layer), ("encoding", encoding),
                                                ("plan_id", plan_id)) if value}

    def body(conn: psycopg.Connection, run_id: int, counts: Counts) -> None:
        if loader is not None:
            staged = loader(LoadJob(conn, spec, path, run_id, storage_srid, srs, layer, progress,
                                    encoding=encoding, force_srs=force_srs, plan_id=plan_id))
            counts.read, counts.written = staged.rows_read, staged.rows_written
            counts.repaired = staged.rows_repaired
            counts.warnings += staged.warnings
            if spec.geometry_checked_after_write:
                staging.check_published_extent(conn, spec.table, run_id, path.name, storage_srid)
        elif spec.name in ("building_footprints", "buildings") and fkb.needs_own_reader(path):
            # FKB-Bygning GML mixing footprints and points: both tables from one command.
            tables = fkb.load_fkb_buildings(conn, path, run_id, storage_srid, srs, counts,
                                            progress)
            after_tables_changed(conn, tables)
            return
        else:
            try:
                chosen, notes = (layer, []) if layer else choose_layer(path, spec.geometry)
                info = _read_info(spec, path, layer=chosen, srs=srs, force_srs=force_srs,
                                  encoding=encoding)
                counts.warnings += notes
                load_vector(conn, spec, info, run_id, storage_srid, counts, progress, workers,
                            kommuner=kommuner)
            except LoadError:
                if gml.is_gml(path):
                    gml.scan(path)  # a broken tag: say where, not what GDAL made of it
                raise
        # ABC classes depend on stops, junctions, centres and sites: same transaction.
        after_tables_changed(conn, [spec.table])

    # Sources fed by several files (sites, statistics, plans, AR5 sheets) compare with this
    # file's last load; a delivery that replaces the whole table compares with the last load.
    try:
        return run_load(engine, spec.name, path, body, per_file=spec.per_file or not spec.replace,
                        options=options)
    finally:
        if spec.replace:
            with raw_connection(engine) as conn:
                swap.drop_leftovers(conn)


def feature_count(path: Path, layer: str | None = None) -> int | None:
    """How many features the file holds, when pyogrio can tell cheaply (for a progress bar)."""
    if path.suffix.lower() in (*SPREADSHEET_SUFFIXES, ".sos", ".sosi"):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyogrio's "more than one layer": the load names it
            return read_info(path, layer=layer).feature_count
    except LoadError:
        return None


def _read_info(spec: SourceSpec, path: Path, *, layer: str | None, srs: str | None,
               force_srs: bool = False, encoding: str | None = None) -> VectorInfo:
    """A spreadsheet (CSV/Excel with WKT or lat/lon) or any vector file (SOSI included)."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return read_sheet(path, spec, srs=srs, sheet=layer)
    return read_info(path, layer=layer, srs=srs, force_srs=force_srs, encoding=encoding)


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


def load_vector(conn: psycopg.Connection, spec: SourceSpec, info: VectorInfo, run_id: int,
                storage_srid: int, counts: Counts, progress: Progress | None = None,
                workers: int = 1, *, kommuner: Collection[str] | None = None) -> None:
    """Stage, validate, repair, reproject and publish one vector file (inside the caller's
    transaction)."""
    counts.warnings += info.notes
    if spec.table != "kommune":
        staging.check_near_kommune(conn, info.path.name, info.epsg, info.bounds, storage_srid)
    mapping = _source_columns(spec, info)
    fields = [f for f in spec.fields if f.column in mapping]
    derived = [d for d in spec.derived if d.source in mapping]
    columns: list[tuple[str, FieldType]] = [(f.column, f.type) for f in fields]
    columns += [(d.column, d.type) for d in derived]
    if (spec.replace and spec.per_file and not spec.clip_to_kommune
            and info.epsg == storage_srid and not isinstance(info, SheetInfo)):
        oids = _direct_column_types(conn, spec.table, [c for c, _ in columns])
        if oids is not None:
            bulk = _Bulk(spec, info, run_id, storage_srid, fields, derived, mapping, columns, oids)
            outcome = _load_parallel(conn, bulk, counts, progress, workers) if workers > 1 else None
            if outcome != "published":
                _load_direct(conn, bulk, counts, progress, fast=outcome is None)
            return
    stage = staging.create_stage(conn, f"stage_{spec.name}_{run_id}", columns)
    unknown: dict[str, int] = {}
    rows = _rows(spec, fields, derived, mapping, info, unknown, progress)
    flagged = 0

    def counted(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        nonlocal flagged
        for row in rows:
            flagged += bool(row[-1])
            yield row

    counts.read = staging.copy_rows(conn, stage, columns, counted(rows))
    if counts.read == 0:
        raise LoadError(f"{info.path.name}: the file holds no features")
    if isinstance(info, SheetInfo):
        counts.warnings += info.warnings
    for message, n in unknown.items():
        counts.warnings.append(f"{message} ({n} feature{'s' if n > 1 else ''})")
    if spec.one_kommune and kommuner:
        counts.warnings += _keep_kommuner(conn, stage, info, kommuner)
    if spec.unique_key and not spec.replace:
        _check_duplicate_keys(conn, stage, spec, info)
    word = info.feature_word if isinstance(info, SheetInfo) else "feature"
    named = feature_namer(info.path, info.layer)

    def describe(fid: int) -> str:
        return f"{info.path.name}: {word} {fid}" if isinstance(info, SheetInfo) else named(fid)

    # The repair pass scans the stage: only worth it when some geometry needs it.
    if flagged:
        counts.repaired = staging.repair(conn, stage, spec.geometry, info.epsg, describe,
                                         counts.warnings)
    geometry = staging.geometry_sql(spec.geometry, info.epsg, storage_srid)
    if spec.clip_to_kommune:
        conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN geom geometry").format(stage))
        conn.execute(sql.SQL("UPDATE {} SET geom = {}").format(stage, geometry))
        counts.warnings += _clip_to_kommune(conn, stage, spec, info)
        geometry = sql.SQL("geom")
    counts.written = _publish(conn, stage, spec, columns, run_id, geometry, info.path.name,
                              counts.read)
    if info.bounds is None:  # a spreadsheet: its extent is known only now
        staging.check_published_extent(conn, spec.table, run_id, info.path.name, storage_srid)
    staging.drop_stage(conn, stage)


def _rows(spec: SourceSpec, fields: Sequence[Field], derived: Sequence[Derived],
          mapping: dict[str, str], info: VectorInfo, unknown: dict[str, int],
          progress: Progress | None) -> Iterator[tuple[Any, ...]]:
    """Rows for the stage, batch by batch, checked and converted."""
    read = 0
    names = sorted(set(mapping.values()))
    with (info.open_batches(names) if isinstance(info, SheetInfo)
          else open_batches(info, names)) as batches:
        for batch in batches:
            yield from _rows_of_batch(batch, spec, fields, derived, mapping, info, unknown)
            read += batch.num_rows
            if progress:
                progress(read)


def _checked_batch(batch: pa.RecordBatch, spec: SourceSpec, fields: Sequence[Field],
                   derived: Sequence[Derived], mapping: dict[str, str], info: VectorInfo,
                   unknown: dict[str, int]) -> tuple[list[list[Any]], np.ndarray, np.ndarray,
                                                     np.ndarray]:
    """A batch's converted columns, its WKB, the repair mask and the parsed geometries."""
    fids = batch.column("fid").to_numpy(zero_copy_only=False)
    keys = batch.column(mapping[spec.key]).to_pylist() if spec.key in mapping else None
    word = info.feature_word if isinstance(info, SheetInfo) else "feature"

    named = feature_namer(info.path, info.layer)  # reads gml:ids only when a message needs one

    def feature(i: int) -> str:
        what = f" ({spec.key}={keys[i]!r})" if keys is not None else ""
        if isinstance(info, SheetInfo):
            return f"{info.path.name}: {word} {fids[i]}{what}"
        return f"{named(int(fids[i]))}{what}"

    wkb = batch.column("geometry").to_numpy(zero_copy_only=False)
    geoms, needs_repair = staging.parse_and_check(wkb, spec.geometry, feature)
    values = {f.column: staging.convert_field(batch.column(mapping[f.column]), f, feature)
              for f in fields}
    columns = [values[f.column] for f in fields]
    columns += [_derive(d, values[d.source], unknown) for d in derived]
    return columns, wkb, needs_repair, geoms


def _rows_of_batch(batch: pa.RecordBatch, spec: SourceSpec, fields: Sequence[Field],
                   derived: Sequence[Derived], mapping: dict[str, str], info: VectorInfo,
                   unknown: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    columns, wkb, needs_repair, _ = _checked_batch(batch, spec, fields, derived, mapping, info,
                                                   unknown)
    repair_flags = needs_repair.tolist()
    fid_list = batch.column("fid").to_pylist()
    for i in range(batch.num_rows):
        yield (fid_list[i], *(column[i] for column in columns), wkb[i], repair_flags[i])


def _derive(derived: Derived, source_values: list[Any], unknown: dict[str, int]) -> list[Any]:
    """The derived column, remembering unknown codes for the load's warnings."""
    cache: dict[Any, Any] = {}
    out = []
    for value in source_values:
        if value not in cache:
            cache[value] = None if value is None else derived.function(value)
        result = cache[value]
        if derived.warn_unknown and value is not None and result is None:
            message = f"unknown {derived.warn_unknown} {value!r}"
            unknown[message] = unknown.get(message, 0) + 1
        out.append(result)
    return out


def _keep_kommuner(conn: psycopg.Connection, stage: sql.Identifier, info: VectorInfo,
                   kommuner: Collection[str]) -> list[str]:
    """Keep the instance's kommuner of a national or county file of kommuner (all of them that
    the file holds: an instance serving many kommuner loads them from one file)."""
    wanted = sorted({number.zfill(4) for number in kommuner})
    conn.execute(sql.SQL("UPDATE {} SET kommunenummer = lpad(btrim(kommunenummer), 4, '0')")
                 .format(stage))
    numbers = [row[0] for row in conn.execute(sql.SQL(
        "SELECT DISTINCT kommunenummer FROM {} ORDER BY 1").format(stage))]
    kept = [number for number in numbers if number in wanted]
    if not kept:
        listed = ", ".join(numbers[:10]) + (" …" if len(numbers) > 10 else "")
        which = "the configured kommune" if len(wanted) == 1 else "the instance's kommuner"
        raise LoadError(f"{info.path.name}: kommune {', '.join(wanted)} ({which}) is not in "
                        f"the file; it holds {len(numbers)} kommune(r): {listed}")
    if len(kept) == len(numbers):
        return []
    conn.execute(sql.SQL("DELETE FROM {} WHERE kommunenummer <> ALL(%s)").format(stage), (kept,))
    return [f"kept kommune {', '.join(kept)} of the {len(numbers)} kommuner in the file "
            "(the instance's kommuner; the others are left out)"]


def _check_duplicate_keys(conn: psycopg.Connection, stage: sql.Identifier, spec: SourceSpec,
                          info: VectorInfo) -> None:
    row = conn.execute(sql.SQL(
        "SELECT {key}, array_agg(fid ORDER BY fid) FROM {stage} GROUP BY {key} "
        "HAVING count(*) > 1 LIMIT 1").format(key=sql.Identifier(spec.key), stage=stage)
    ).fetchone()
    if row:
        raise LoadError(f"{info.path.name}: {spec.key} {row[0]!r} occurs in several features "
                        f"({', '.join(str(f) for f in row[1])})")


def _clip_to_kommune(conn: psycopg.Connection, stage: sql.Identifier, spec: SourceSpec,
                     info: VectorInfo) -> list[str]:
    """Cut the staged geometries to the kommune boundary; features wholly outside are dropped."""
    loaded = conn.execute("SELECT count(*) FROM kommune").fetchone()
    if not loaded or not loaded[0]:
        raise LoadError(f"{info.path.name}: load the kommune boundary first "
                        "(`naeringskart load kommune FILE`): this source is clipped to it")
    dimension = sql.Literal(staging.EXTRACT_DIMENSION.get(spec.geometry, 3))
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


def _insert_sql(stage: sql.Identifier, table: str, columns: Sequence[tuple[str, FieldType]],
                geometry: sql.Composable) -> sql.Composed:
    """INSERT … SELECT of the staged rows into `table` (load_id is the one parameter)."""
    values = [sql.SQL("{}::{}").format(sql.Identifier(c), sql.SQL(staging.TARGET_CASTS[t]))
              for c, t in columns]
    return sql.SQL(
        "INSERT INTO {table} ({targets}load_id, geom) SELECT {values}%s, {geometry} FROM {stage}"
    ).format(table=sql.Identifier(table),
             targets=sql.SQL("").join(sql.SQL("{}, ").format(sql.Identifier(c)) for c, _ in columns),
             values=sql.SQL("").join(sql.SQL("{}, ").format(v) for v in values),
             geometry=geometry, stage=stage)


def _insert_from_stage(conn: psycopg.Connection, stage: sql.Identifier, table: str,
                       columns: Sequence[tuple[str, FieldType]], run_id: int,
                       geometry: sql.Composable) -> int:
    """Insert the staged (repaired) rows into `table`."""
    return conn.execute(_insert_sql(stage, table, columns, geometry), (run_id,)).rowcount


@contextmanager
def _replacing(conn: psycopg.Connection, spec: SourceSpec, file_name: str, run_id: int,
               rows: int) -> Iterator[str]:
    """The table a replace-mode load of about `rows` rows writes into. When the rows it replaces
    are all the table holds, a new table that is swapped in afterwards (etl.swap); otherwise the
    table itself, with the file's earlier rows deleted (and its GiST indexes rebuilt after the
    insert when the file is big next to the table)."""
    target = sql.Identifier(spec.table)
    _lock_for_replace(conn, spec.table)
    earlier = staging.earlier_loads(conn, spec.name, file_name) if spec.per_file else None
    if staging.holds_only(conn, spec.table, earlier) and swap.swap_blocker(conn, spec.table) is None:
        with swap.swapped_in(conn, spec.table, f"stage_{spec.name}_{run_id}_new",
                             f"stage_{spec.name}_{run_id}_old") as new:
            yield new
        return
    if earlier is None:
        conn.execute(sql.SQL("DELETE FROM {}").format(target))
    else:
        conn.execute(sql.SQL("DELETE FROM {} WHERE load_id = ANY(%s)").format(target), (earlier,))
    if rows * REBUILD_SHARE >= staging.estimated_rows(conn, spec.table):
        with staging.spatial_indexes_rebuilt(conn, spec.table):
            yield spec.table
    else:
        # One kommune's file into a national table: inserting into the trees is cheaper than
        # rebuilding them over millions of other rows.
        yield spec.table
    conn.execute(sql.SQL("ANALYZE {}").format(target))


def _publish(conn: psycopg.Connection, stage: sql.Identifier, spec: SourceSpec,
             columns: Sequence[tuple[str, FieldType]], run_id: int, geometry: sql.Composable,
             file_name: str, staged_rows: int) -> int:
    """Upsert (or replace) the staged rows into the published table, in the caller's
    transaction."""
    targets = [sql.Identifier(c) for c, _ in columns]
    if spec.replace:
        # Validation, repair and reprojection are done in the stage: one set-based INSERT.
        with _replacing(conn, spec, file_name, run_id, staged_rows) as table:
            return _insert_from_stage(conn, stage, table, columns, run_id, geometry)
    insert = _insert_sql(stage, spec.table, columns, geometry)
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = EXCLUDED.{0}").format(t) for t in [*targets, sql.Identifier("load_id"),
                                                          sql.Identifier("geom")])
    cursor = conn.execute(sql.SQL("{} ON CONFLICT ({}) DO UPDATE SET {}").format(
        insert, sql.Identifier(spec.key), updates), (run_id,))
    return cursor.rowcount


# Column types a binary COPY can fill straight from our converted Python values.
_DIRECT_TYPES = {"text", "integer", "bigint", "smallint", "boolean", "date"}


def _direct_column_types(conn: psycopg.Connection, table: str,
                         columns: Sequence[str]) -> list[int] | None:
    """Oids of the target columns, or None when one needs a cast (then the stage path is used)."""
    rows: dict[str, str] = dict(conn.execute(
        "SELECT attname, format_type(atttypid, NULL) || ':' || atttypid FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (table,)).fetchall())
    oids = []
    for column in columns:
        kind, _, oid = str(rows.get(column, ":")).partition(":")
        if kind not in _DIRECT_TYPES:
            return None
        oids.append(int(oid))
    return oids


@dataclass(frozen=True)
class _Bulk:
    """A replace-mode file already in the storage SRID, written straight into the table."""

    spec: SourceSpec
    info: VectorInfo
    run_id: int
    storage_srid: int
    fields: Sequence[Field]
    derived: Sequence[Derived]
    mapping: dict[str, str]
    columns: Sequence[tuple[str, FieldType]]
    oids: Sequence[int]

    def copy_statement(self, table: str) -> sql.Composed:
        """COPY of binary rows (columns…, load_id, geom) into `table`."""
        names = sql.SQL("").join(sql.SQL("{}, ").format(sql.Identifier(c)) for c, _ in self.columns)
        return sql.SQL("COPY {} ({}load_id, geom) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(table), names)

    def binary_chunks(self, unknown: dict[str, int], counts: Counts,
                      progress: Progress | None) -> Iterator[bytes]:
        """The file as binary COPY rows, batch by batch (etl.fastcopy; NotFast when a batch
        needs the checked path), counting what was read."""
        names = sorted(set(self.mapping.values()))
        with open_batches(self.info, names) as batches:
            for batch in batches:
                yield fastcopy.batch_binary(batch, self.fields, self.derived, self.mapping,
                                            self.oids, self.run_id, self.storage_srid, unknown)
                counts.read += batch.num_rows
                if progress:
                    progress(counts.read)

    def finish(self, counts: Counts, unknown: dict[str, int]) -> None:
        """Counts and warnings of a load that wrote every row it read."""
        counts.written = counts.read
        _finish_direct(self.info, counts, unknown)


def _load_parallel(conn: psycopg.Connection, bulk: _Bulk, counts: Counts,
                   progress: Progress | None, workers: int) -> Literal["published", "refused"] | None:
    """Replace a big file's rows over `workers` connections (etl.parallel): binary COPY
    streams fill a committed build table that PostGIS checks row by row, its indexes are built
    side by side, and the load's transaction swaps it in. "refused" when a row needs the checked
    path and None when the file or the table is not for this path (nothing changed in either
    case)."""
    spec, run_id = bulk.spec, bulk.run_id
    if (spec.geometry != "MULTIPOLYGON" or (bulk.info.feature_count or 0) < parallel.MIN_ROWS
            or not _validity_checked(conn, spec.table)):
        return None
    _lock_for_replace(conn, spec.table)
    earlier = staging.earlier_loads(conn, spec.name, bulk.info.path.name)
    if not staging.holds_only(conn, spec.table, earlier) or swap.swap_blocker(conn, spec.table):
        return None
    unknown: dict[str, int] = {}
    with parallel.connections_like(conn, workers) as connections:
        if len(connections) < 2:
            return None  # the server allows no more connections: the load's own will do
        swap.hold_build_lock(conn, run_id)  # until this transaction ends: swap.drop_leftovers
        builder = connections[0]
        build = swap.create_build(builder, spec.table, f"stage_{spec.name}_{run_id}_new",
                                  f"stage_{spec.name}_{run_id}_old")
        builder.commit()
        try:
            parallel.copy(connections, bulk.copy_statement(build.new), fastcopy.COPY_HEADER,
                          fastcopy.COPY_TRAILER, bulk.binary_chunks(unknown, counts, progress))
        except (fastcopy.NotFast, psycopg.Error):
            # An invalid geometry (the check constraint), an odd type or value: the checked
            # path repairs what it can and names what it cannot.
            builder.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(build.new)))
            builder.commit()
            counts.read = 0
            return "refused"
        parallel.execute(connections, build.index_statements())
    swap.swap_in(conn, build)
    bulk.finish(counts, unknown)
    return "published"


def _lock_for_replace(conn: psycopg.Connection, table: str) -> None:
    # Writers wait until this load commits (no row can slip in and be lost by the swap);
    # readers go on reading the old rows.
    conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(sql.Identifier(table)))


def _load_direct(conn: psycopg.Connection, bulk: _Bulk, counts: Counts,
                 progress: Progress | None, *, fast: bool = True) -> None:
    """Replace-mode fast path for a file already in the storage SRID: valid rows go by binary
    COPY straight into the (new or emptied, index-less) table inside the load's transaction; the
    few invalid ones go through the stage to be repaired by ST_MakeValid. PostGIS still checks
    every row (the table's ST_IsValid constraint). `fast`: try etl.fastcopy first."""
    spec, info, run_id, storage_srid = bulk.spec, bulk.info, bulk.run_id, bulk.storage_srid
    invalid: list[tuple[Any, ...]] = []
    unknown: dict[str, int] = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        read = 0
        with open_batches(info, sorted(set(bulk.mapping.values()))) as batches:
            for batch in batches:
                values, wkb, needs_repair, geoms = _checked_batch(
                    batch, spec, bulk.fields, bulk.derived, bulk.mapping, info, unknown)
                ewkb = staging.to_ewkb(wkb, geoms, spec.geometry, storage_srid)
                fids = batch.column("fid").to_pylist()
                flags = needs_repair.tolist()
                for i in range(batch.num_rows):
                    if flags[i]:
                        invalid.append((fids[i], *(c[i] for c in values), wkb[i], True))
                    else:
                        yield (*(c[i] for c in values), run_id, ewkb[i])
                read += batch.num_rows
                if progress:
                    progress(read)

    with _replacing(conn, spec, info.path.name, run_id, info.feature_count) as table:
        if fast and _copy_fast(conn, table, bulk, counts, progress):
            return
        columns = bulk.columns
        counts.written = staging.copy_into_table(conn, table, bulk.oids, columns, rows())
        counts.read = counts.written + len(invalid)
        if invalid:
            stage = staging.create_stage(conn, f"stage_{spec.name}_{run_id}", columns)
            staging.copy_rows(conn, stage, columns, invalid)
            counts.repaired = staging.repair(conn, stage, spec.geometry, info.epsg,
                                             feature_namer(info.path, info.layer),
                                             counts.warnings)
            counts.written += _insert_from_stage(conn, stage, table, columns, run_id,
                                                 staging.geometry_sql(spec.geometry, info.epsg,
                                                                      storage_srid))
            staging.drop_stage(conn, stage)
        _finish_direct(info, counts, unknown)


def _finish_direct(info: VectorInfo, counts: Counts, unknown: dict[str, int]) -> None:
    if counts.read == 0:
        raise LoadError(f"{info.path.name}: the file holds no features")
    for message, n in unknown.items():
        counts.warnings.append(f"{message} ({n} feature{'s' if n > 1 else ''})")


def _copy_fast(conn: psycopg.Connection, table: str, bulk: _Bulk, counts: Counts,
               progress: Progress | None) -> bool:
    """Try the vectorised binary COPY (etl.fastcopy) inside a savepoint; False when the file
    needs the checked path (then nothing of this attempt remains)."""
    if bulk.spec.geometry != "MULTIPOLYGON" or not _validity_checked(conn, table):
        return False
    unknown: dict[str, int] = {}
    try:
        with conn.transaction(), conn.cursor().copy(bulk.copy_statement(table)) as stream:
            stream.write(fastcopy.COPY_HEADER)
            for chunk in fastcopy.prepared_ahead(lambda: bulk.binary_chunks(unknown, counts,
                                                                             progress)):
                stream.write(chunk)
            stream.write(fastcopy.COPY_TRAILER)
    except (fastcopy.NotFast, psycopg.Error):
        # An invalid geometry (the check constraint), an odd type or value: take the checked
        # path, which repairs what it can and names what it cannot.
        counts.read = 0
        return False
    bulk.finish(counts, unknown)
    return True


def _validity_checked(conn: psycopg.Connection, table: str) -> bool:
    """Whether PostGIS checks every row's validity (an ST_IsValid check constraint)."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND "
        "contype = 'c' AND pg_get_constraintdef(oid) ILIKE %s)", (table, "%st_isvalid%")
    ).fetchone()
    return bool(row and row[0])
