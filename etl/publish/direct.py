"""The fast paths of a replace-mode load of a file already in the storage SRID: binary COPY
straight into the table (over several connections for a big file), the stage only for the
rows that need repair."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import psycopg
from psycopg import sql

from etl.errors import LoadError
from etl.publish import fastcopy, parallel, replace, staging, swap
from etl.publish.rows import checked_batch
from etl.readers.layer_choice import feature_namer
from etl.readers.vector import VectorInfo, open_batches
from etl.runs import Counts, Progress
from etl.sources import Derived, Field, FieldType, SourceSpec

# Column types a binary COPY can fill straight from our converted Python values.
_DIRECT_TYPES = {"text", "integer", "bigint", "smallint", "boolean", "date"}


def direct_column_types(conn: psycopg.Connection, table: str,
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
class Bulk:
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
        """The file as binary COPY rows, batch by batch (etl.publish.fastcopy; NotFast when a batch
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


def load_parallel(conn: psycopg.Connection, bulk: Bulk, counts: Counts,
                  progress: Progress | None, workers: int) -> Literal["published", "refused"] | None:
    """Replace a big file's rows over `workers` connections (etl.publish.parallel): binary COPY
    streams fill a committed build table that PostGIS checks row by row, its indexes are built
    side by side, and the load's transaction swaps it in. "refused" when a row needs the checked
    path and None when the file or the table is not for this path (nothing changed in either
    case)."""
    spec, run_id = bulk.spec, bulk.run_id
    if (spec.geometry != "MULTIPOLYGON" or (bulk.info.feature_count or 0) < parallel.MIN_ROWS
            or not validity_checked(conn, spec.table)):
        return None
    replace.lock_for_replace(conn, spec.table)
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


def load_direct(conn: psycopg.Connection, bulk: Bulk, counts: Counts,
                progress: Progress | None, *, fast: bool = True) -> None:
    """Replace-mode fast path for a file already in the storage SRID: valid rows go by binary
    COPY straight into the (new or emptied, index-less) table inside the load's transaction; the
    few invalid ones go through the stage to be repaired by ST_MakeValid. PostGIS still checks
    every row (the table's ST_IsValid constraint). `fast`: try etl.publish.fastcopy first."""
    spec, info, run_id, storage_srid = bulk.spec, bulk.info, bulk.run_id, bulk.storage_srid
    invalid: list[tuple[Any, ...]] = []
    unknown: dict[str, int] = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        read = 0
        with open_batches(info, sorted(set(bulk.mapping.values()))) as batches:
            for batch in batches:
                values, wkb, needs_repair, geoms = checked_batch(
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

    with replace.replacing(conn, spec, info.path.name, run_id, info.feature_count) as table:
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
            geometry = staging.geometry_sql(spec.geometry, info.epsg, storage_srid)
            counts.written += replace.insert_from_stage(conn, stage, table, columns, run_id,
                                                        geometry)
            staging.drop_stage(conn, stage)
        _finish_direct(info, counts, unknown)


def _finish_direct(info: VectorInfo, counts: Counts, unknown: dict[str, int]) -> None:
    if counts.read == 0:
        raise LoadError(f"{info.path.name}: the file holds no features")
    for message, n in unknown.items():
        counts.warnings.append(f"{message} ({n} feature{'s' if n > 1 else ''})")


def _copy_fast(conn: psycopg.Connection, table: str, bulk: Bulk, counts: Counts,
               progress: Progress | None) -> bool:
    """Try the vectorised binary COPY (etl.publish.fastcopy) inside a savepoint; False when the file
    needs the checked path (then nothing of this attempt remains)."""
    if bulk.spec.geometry != "MULTIPOLYGON" or not validity_checked(conn, table):
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


def validity_checked(conn: psycopg.Connection, table: str) -> bool:
    """Whether PostGIS checks every row's validity (an ST_IsValid check constraint)."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND "
        "contype = 'c' AND pg_get_constraintdef(oid) ILIKE %s)", (table, "%st_isvalid%")
    ).fetchone()
    return bool(row and row[0])
