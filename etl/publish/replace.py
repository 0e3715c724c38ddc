"""The staged rows into the published table, in the load's transaction: an upsert on the
key, or a replace (a new table swapped in, or the file's earlier rows deleted)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import psycopg
from psycopg import sql

from etl.publish import staging, swap
from etl.sources import FieldType, SourceSpec

# An in-place replace rebuilds the GiST indexes when the file brings at least a tenth as many
# rows as the table holds (a sorted build costs ~1.5 µs a row, an insert into the tree ~15).
REBUILD_SHARE = 10


def insert_sql(stage: sql.Identifier, table: str, columns: Sequence[tuple[str, FieldType]],
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


def insert_from_stage(conn: psycopg.Connection, stage: sql.Identifier, table: str,
                      columns: Sequence[tuple[str, FieldType]], run_id: int,
                      geometry: sql.Composable) -> int:
    """Insert the staged (repaired) rows into `table`."""
    return conn.execute(insert_sql(stage, table, columns, geometry), (run_id,)).rowcount


@contextmanager
def replacing(conn: psycopg.Connection, spec: SourceSpec, file_name: str, run_id: int,
              rows: int) -> Iterator[str]:
    """The table a replace-mode load of about `rows` rows writes into. When the rows it replaces
    are all the table holds, a new table that is swapped in afterwards (etl.publish.swap); otherwise the
    table itself, with the file's earlier rows deleted (and its GiST indexes rebuilt after the
    insert when the file is big next to the table)."""
    target = sql.Identifier(spec.table)
    lock_for_replace(conn, spec.table)
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


def publish(conn: psycopg.Connection, stage: sql.Identifier, spec: SourceSpec,
            columns: Sequence[tuple[str, FieldType]], run_id: int, geometry: sql.Composable,
            file_name: str, staged_rows: int) -> int:
    """Upsert (or replace) the staged rows into the published table, in the caller's
    transaction."""
    targets = [sql.Identifier(c) for c, _ in columns]
    if spec.replace:
        # Validation, repair and reprojection are done in the stage: one set-based INSERT.
        with replacing(conn, spec, file_name, run_id, staged_rows) as table:
            return insert_from_stage(conn, stage, table, columns, run_id, geometry)
    insert = insert_sql(stage, spec.table, columns, geometry)
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = EXCLUDED.{0}").format(t) for t in [*targets, sql.Identifier("load_id"),
                                                          sql.Identifier("geom")])
    cursor = conn.execute(sql.SQL("{} ON CONFLICT ({}) DO UPDATE SET {}").format(
        insert, sql.Identifier(spec.key), updates), (run_id,))
    return cursor.rowcount


def lock_for_replace(conn: psycopg.Connection, table: str) -> None:
    # Writers wait until this load commits (no row can slip in and be lost by the swap);
    # readers go on reading the old rows.
    conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(sql.Identifier(table)))
