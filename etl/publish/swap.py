"""Publish a wholesale replace by building a new table and swapping it in for the old one.

Everything happens in the load's transaction: readers see the old table until commit (they
wait only for the swap itself), a failed or killed load leaves it untouched, and the new rows
are written once into an index-less table whose indexes are then built in one sorted pass.
The copy keeps the old table's columns, defaults, generated columns, CHECK and NOT NULL
constraints, indexes, primary key, foreign keys, triggers, grants, comment and sequences.
A table something else hangs on (a view, an incoming foreign key, a row trigger, row level
security…) is not swapped: the caller replaces its rows in place instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from psycopg import sql

# Why a table cannot be swapped, as catalogue checks (each query returns true when blocked).
_BLOCKERS: dict[str, str] = {
    "it is not a plain table": "SELECT c.relkind <> 'r' OR c.relispartition OR c.relrowsecurity "
                               "OR c.reloptions IS NOT NULL FROM pg_class c WHERE c.oid = %(t)s",
    "it is not owned by the loading role": "SELECT NOT pg_has_role(c.relowner, 'USAGE') "
                                           "FROM pg_class c WHERE c.oid = %(t)s",
    "views or rules depend on it": "SELECT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refobjid = "
                                   "%(t)s AND d.classid = 'pg_rewrite'::regclass)",
    "other tables reference it": "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = "
                                 "%(t)s AND conrelid <> %(t)s)",
    "it takes part in inheritance": "SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = "
                                    "%(t)s OR inhparent = %(t)s)",
    # Row triggers (e.g. a history trigger) must see every row: bit 0 of tgtype is ROW.
    "it has row triggers": "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = %(t)s "
                           "AND NOT tgisinternal AND tgtype & 1 = 1)",
    "it has identity columns or column privileges":
        "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = %(t)s AND attnum > 0 AND "
        "NOT attisdropped AND (attidentity <> '' OR attacl IS NOT NULL))",
    "it has policies or is published": "SELECT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = "
                                       "%(t)s) OR EXISTS (SELECT 1 FROM pg_publication_rel WHERE "
                                       "prrelid = %(t)s)",
}


# A replaced table is renamed to this (`stage_<source>_<run>_old`) and dropped after commit:
# dropping it inside the load would lock load_run (its foreign keys' target) against readers.
RETIRED_PATTERN = "stage\\_%\\_old"
# A new table (`stage_<source>_<run>_new`) filled over several connections is committed before
# the swap. Its load holds this advisory lock, with the run id, until its transaction ends: a
# build table whose lock is free was left by a load that died, and the next load drops it.
BUILD_PATTERN = "stage\\_%\\_new"
BUILD_LOCK = 0x4E4B4C44  # "NKLD"
_BUILD_RUN = re.compile(r"stage_.+_(\d+)_new")


def swap_blocker(conn: psycopg.Connection, table: str) -> str | None:
    """Why `table` cannot be replaced by a swap, or None when it can."""
    oid = _oid(conn, table)
    for reason, query in _BLOCKERS.items():
        row = conn.execute(query, {"t": oid}).fetchone()
        if row and row[0]:
            return reason
    return None


def _oid(conn: psycopg.Connection, table: str) -> int:
    row = conn.execute("SELECT %s::regclass::oid", (table,)).fetchone()
    assert row is not None
    return int(row[0])


@dataclass(frozen=True)
class _Index:
    name: str
    definition: str            # pg_get_indexdef: "CREATE [UNIQUE] INDEX n ON t USING …"
    constraint: str | None     # the primary key / unique / exclusion constraint it backs
    constraint_def: str | None
    constraint_type: str | None  # 'p', 'u' or 'x'

    @property
    def attachable(self) -> bool:
        """Whether its constraint can take over a ready-built index (ADD … USING INDEX)."""
        return (self.constraint_type in ("p", "u") and self.constraint_def is not None
                and "DEFERRABLE" not in self.constraint_def)


@dataclass(frozen=True)
class _Shape:
    """What the old table has besides its columns (read from the catalogue)."""

    indexes: list[_Index]
    foreign_keys: list[tuple[str, str]]
    triggers: list[str]
    sequences: list[tuple[str, str, str]]  # (schema, sequence, owning column)
    grants: list[tuple[str, str, bool]]   # (privilege, grantee or PUBLIC, grantable)
    comment: str | None
    owner: str              # the new table gets the same (the sequences it takes over need it)


def _shape(conn: psycopg.Connection, table: str) -> _Shape:
    oid = _oid(conn, table)
    indexes = [_Index(*row) for row in conn.execute(
        "SELECT ic.relname, pg_get_indexdef(i.indexrelid), c.conname, pg_get_constraintdef(c.oid), "
        "c.contype::text "
        "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
        "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid "
        "AND c.contype IN ('p', 'u', 'x') WHERE i.indrelid = %s ORDER BY ic.relname",
        (oid,)).fetchall()]
    foreign_keys = [(str(n), str(d)) for n, d in conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s "
        "AND contype = 'f' ORDER BY conname", (oid,)).fetchall()]
    triggers = [str(row[0]) for row in conn.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s AND NOT tgisinternal "
        "ORDER BY tgname", (oid,)).fetchall()]
    sequences = [(str(n), str(s), str(c)) for n, s, c in conn.execute(
        "SELECT n.nspname, s.relname, a.attname FROM pg_depend d JOIN pg_class s ON "
        "s.oid = d.objid AND s.relkind = 'S' JOIN pg_namespace n ON n.oid = s.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = d.refobjid "
        "AND a.attnum = d.refobjsubid WHERE d.classid = 'pg_class'::regclass AND "
        "d.refclassid = 'pg_class'::regclass AND d.refobjid = %s AND d.deptype = 'a'",
        (oid,)).fetchall()]
    grants = [(str(p), str(g), bool(o)) for p, g, o in conn.execute(
        "SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE "
        "pg_get_userbyid(a.grantee) END, a.is_grantable FROM pg_class c, "
        "aclexplode(c.relacl) a WHERE c.oid = %s AND a.grantee <> c.relowner",
        (oid,)).fetchall()]
    row = conn.execute("SELECT obj_description(c.oid, 'pg_class'), pg_get_userbyid(c.relowner) "
                       "FROM pg_class c WHERE c.oid = %s", (oid,)).fetchone()
    assert row is not None
    return _Shape(indexes, foreign_keys, triggers, sequences, grants, row[0], str(row[1]))


@dataclass(frozen=True)
class Build:
    """A new, empty copy of `table` (named `new`) being filled to take its place."""

    table: str
    new: str
    retired: str
    shape: _Shape

    def index_statements(self) -> list[sql.Composed]:
        """CREATE INDEX statements for the new table, one per index of the old table except
        the exclusion constraints' (those come with the constraint in swap_in). Each can run on
        its own connection once the rows are in: the indexes are built once, over all rows."""
        statements = []
        for number, index in enumerate(self.shape.indexes):
            if index.constraint and not index.attachable:
                continue
            # Temporary names (index names are unique per schema); the old names follow the
            # swap. The definitions come from the catalogue, not from input.
            head, _, method = index.definition.partition(" USING ")
            unique = sql.SQL("UNIQUE ") if head.startswith("CREATE UNIQUE ") else sql.SQL("")
            statements.append(sql.SQL("CREATE {}INDEX {} ON {} USING {}").format(
                unique, sql.Identifier(self._temporary(number)), sql.Identifier(self.new),
                sql.SQL(method)))
        return statements

    def _temporary(self, number: int) -> str:
        return f"{self.new}_{number}"


def create_build(conn: psycopg.Connection, table: str, new: str, retired: str) -> Build:
    """Create `new`, an empty copy of `table` with its columns, defaults, generated columns,
    CHECK and NOT NULL constraints (not yet its indexes, keys and triggers)."""
    shape = _shape(conn, table)
    conn.execute(sql.SQL(
        "CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS "
        "INCLUDING STORAGE INCLUDING COMMENTS INCLUDING STATISTICS INCLUDING COMPRESSION)"
    ).format(sql.Identifier(new), sql.Identifier(table)))
    # A loading role that is a member of the owner's role creates the copy as itself.
    conn.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(new),
                                                               sql.Identifier(shape.owner)))
    return Build(table, new, retired, shape)


def swap_in(conn: psycopg.Connection, build: Build) -> None:
    """Give the filled and indexed new table the old one's keys, triggers and grants, ANALYZE
    it and put it in the old table's place, the old one renamed to `build.retired` for
    drop_retired (in the caller's transaction; an exception leaves the old table as it was)."""
    shape = build.shape
    old_id, new_id = sql.Identifier(build.table), sql.Identifier(build.new)
    retired_id = sql.Identifier(build.retired)
    retire: list[sql.Composed] = []
    renames: list[sql.Composed] = []
    for number, index in enumerate(shape.indexes):
        temporary = sql.Identifier(build._temporary(number))
        old_name = sql.Identifier(f"{build.retired}_{number}")
        if index.constraint and index.constraint_def:
            if index.attachable:  # the index is built: the constraint takes it over
                kind = "PRIMARY KEY" if index.constraint_type == "p" else "UNIQUE"
                conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}").format(
                    new_id, temporary, sql.SQL(kind), temporary))
            else:
                conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    new_id, temporary, sql.SQL(index.constraint_def)))
            original = sql.Identifier(index.constraint)
            retire.append(sql.SQL("ALTER TABLE {} RENAME CONSTRAINT {} TO {}").format(
                retired_id, original, old_name))
            renames.append(sql.SQL("ALTER TABLE {} RENAME CONSTRAINT {} TO {}").format(
                old_id, temporary, original))
        else:
            original = sql.Identifier(index.name)
            retire.append(sql.SQL("ALTER INDEX {} RENAME TO {}").format(original, old_name))
            renames.append(sql.SQL("ALTER INDEX {} RENAME TO {}").format(temporary, original))
    conn.execute(sql.SQL("ANALYZE {}").format(new_id))
    # Foreign keys last: adding one locks the referenced table against writes until commit.
    for name, definition in shape.foreign_keys:
        conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
            new_id, sql.Identifier(name), sql.SQL(definition)))
    for schema, sequence, column in shape.sequences:
        conn.execute(sql.SQL("ALTER SEQUENCE {} OWNED BY {}.{}").format(
            sql.Identifier(schema, sequence), new_id, sql.Identifier(column)))
    # The swap itself: from here on readers of the table wait for the load's commit.
    conn.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(old_id, retired_id))
    for statement in retire:
        conn.execute(statement)
    conn.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(new_id, old_id))
    for statement in renames:
        conn.execute(statement)
    for definition in shape.triggers:
        # pg_get_triggerdef names the table, which is now the new one.
        conn.execute(sql.SQL(definition))
    for privilege, grantee, grantable in shape.grants:
        conn.execute(sql.SQL("GRANT {} ON {} TO {}{}").format(
            sql.SQL(privilege), old_id,
            sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.Identifier(grantee),
            sql.SQL(" WITH GRANT OPTION") if grantable else sql.SQL("")))
    if shape.comment is not None:
        conn.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(old_id,
                                                                 sql.Literal(shape.comment)))
    # Statement triggers (the map's tile data version) learn that the table's rows changed.
    conn.execute(sql.SQL("DELETE FROM {} WHERE false").format(old_id))


@contextmanager
def swapped_in(conn: psycopg.Connection, table: str, new: str, retired: str) -> Iterator[str]:
    """Yield `new`, an empty copy of `table` to fill; afterwards index it and swap it in for
    `table` (all in the caller's transaction; an exception leaves `table` as it was)."""
    build = create_build(conn, table, new, retired)
    yield new
    for statement in build.index_statements():
        conn.execute(statement)
    swap_in(conn, build)


def hold_build_lock(conn: psycopg.Connection, run_id: int) -> None:
    """Mark run `run_id`'s build table as in use until the caller's transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (BUILD_LOCK, run_id))


def drop_leftovers(conn: psycopg.Connection, wait_ms: int = 500) -> list[str]:
    """Drop the tables earlier swaps replaced and the build tables of loads that died (each in
    its own short transaction, waiting at most `wait_ms` for its locks; one still locked is
    left for the next load). Returns those dropped."""
    dropped = []
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND (tablename "
        "LIKE %s OR tablename LIKE %s) ORDER BY 1", (RETIRED_PATTERN, BUILD_PATTERN)).fetchall()
    conn.commit()
    for name in (str(row[0]) for row in rows):
        build = _BUILD_RUN.fullmatch(name)
        try:
            with conn.transaction():
                conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(wait_ms)))
                if build:
                    free = conn.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                                        (BUILD_LOCK, int(build[1]))).fetchone()
                    if not (free and free[0]):
                        continue  # its load is still running
                conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))
            dropped.append(name)
        except psycopg.errors.LockNotAvailable:
            continue
        finally:
            conn.commit()
    return dropped
