"""The generic loader: any vector file or spreadsheet of a source's fields, staged, validated,
repaired, reprojected (clipped to the kommune for national sets) and published."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

import psycopg
import pyarrow as pa
from psycopg import sql

from etl.errors import LoadError
from etl.publish import direct, replace, staging
from etl.publish.rows import checked_batch
from etl.readers.layer_choice import feature_namer
from etl.readers.spreadsheet import SheetInfo
from etl.readers.vector import VectorInfo, open_batches
from etl.runs import Counts, Progress
from etl.sources import Derived, Field, FieldType, SourceSpec


def source_columns(spec: SourceSpec, info: VectorInfo) -> dict[str, str]:
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
    mapping = source_columns(spec, info)
    fields = [f for f in spec.fields if f.column in mapping]
    derived = [d for d in spec.derived if d.source in mapping]
    columns: list[tuple[str, FieldType]] = [(f.column, f.type) for f in fields]
    columns += [(d.column, d.type) for d in derived]
    if (spec.replace and spec.per_file and not spec.clip_to_kommune
            and info.epsg == storage_srid and not isinstance(info, SheetInfo)):
        oids = direct.direct_column_types(conn, spec.table, [c for c, _ in columns])
        if oids is not None:
            bulk = direct.Bulk(spec, info, run_id, storage_srid, fields, derived, mapping, columns, oids)
            outcome = direct.load_parallel(conn, bulk, counts, progress, workers) if workers > 1 else None
            if outcome != "published":
                direct.load_direct(conn, bulk, counts, progress, fast=outcome is None)
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
    counts.written = replace.publish(conn, stage, spec, columns, run_id, geometry, info.path.name,
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


def _rows_of_batch(batch: pa.RecordBatch, spec: SourceSpec, fields: Sequence[Field],
                   derived: Sequence[Derived], mapping: dict[str, str], info: VectorInfo,
                   unknown: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    columns, wkb, needs_repair, _ = checked_batch(batch, spec, fields, derived, mapping, info,
                                                  unknown)
    repair_flags = needs_repair.tolist()
    fid_list = batch.column("fid").to_pylist()
    for i in range(batch.num_rows):
        yield (fid_list[i], *(column[i] for column in columns), wkb[i], repair_flags[i])


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
