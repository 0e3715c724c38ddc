"""Mapbox vector tiles from PostGIS, per-table data versions, and low-zoom overview tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import psycopg
from psycopg import sql

from gis.sqlfile import sql_file

# Tiles are cut on the standard Web Mercator grid; above this zoom a request is nonsense.
MAX_TILE_ZOOM = 24


class TileError(ValueError):
    """Tile coordinates outside the Web Mercator tile grid."""


class TileSourceLike(Protocol):
    """What a tile query needs from a layer's tile source (layers.TileSource fits)."""

    @property
    def table(self) -> str: ...
    @property
    def columns(self) -> tuple[str, ...]: ...
    @property
    def geom_column(self) -> str: ...
    @property
    def key_column(self) -> str: ...
    @property
    def where(self) -> str | None: ...
    @property
    def limit(self) -> int: ...


def check_tile(z: int, x: int, y: int) -> None:
    """Raise TileError unless z/x/y is a tile of the Web Mercator grid."""
    if not 0 <= z <= MAX_TILE_ZOOM:
        raise TileError(f"zoom {z} is outside 0..{MAX_TILE_ZOOM}")
    size = 1 << z
    if not (0 <= x < size and 0 <= y < size):
        raise TileError(f"tile {z}/{x}/{y} is outside the grid: x and y must be in 0..{size - 1}")


def _sql_text(name: str) -> str:
    return sql_file("gis.sql", name)


def tile_query(source: TileSourceLike) -> sql.Composed:
    """The ST_AsMVT query of one tile source (identifiers only from the registry)."""
    return _tile_query(source.table, source.geom_column, source.key_column, source.columns,
                       source.where)


@cache
def _tile_query(table: str, geom: str, key: str, columns: tuple[str, ...],
                where: str | None) -> sql.Composed:
    selected = sql.SQL("").join(sql.SQL(", {}").format(sql.Identifier(c)) for c in columns)
    # The filter is a constant from the layer registry, never from a request.
    condition = sql.SQL(where) if where else sql.SQL("true")
    return sql.SQL(_sql_text("tile.sql")).format(
        key=sql.Identifier(key), geom=sql.Identifier(geom), columns=selected,
        table=sql.Identifier(table), where=condition)


def _key(source: TileSourceLike) -> tuple[str, str, str, tuple[str, ...], str | None]:
    return (source.table, source.geom_column, source.key_column, source.columns, source.where)


@cache
def _tile_query_bytes(key: tuple[str, str, str, tuple[str, ...], str | None]) -> bytes:
    # Rendered once: composing the statement on every request costs more than a small tile.
    return _tile_query(*key).as_bytes(None)


def render_tile(conn: psycopg.Connection, source: TileSourceLike, name: str,
                z: int, x: int, y: int) -> bytes:
    """The MVT bytes of one tile (b"" when no feature touches it)."""
    check_tile(z, x, y)
    row = conn.execute(_tile_query_bytes(_key(source)),
                       {"name": name, "z": z, "x": x, "y": y, "limit": source.limit}).fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


@dataclass(frozen=True)
class TileAnswer:
    """A rendered tile with the data version it was cut from."""

    version: int
    data: bytes
    # The data version the overview it came from was built from (None: not an overview).
    built_from: int | None


_VERSION_SQL = ("(SELECT coalesce(sum(version), 0)::bigint FROM tile_data_version "
                "WHERE table_name = ANY(%(tables)s))")
_BUILT_SQL = "(SELECT built_from FROM tile_overview_state WHERE name = %(overview)s)"


def tile_state(conn: psycopg.Connection, tables: Sequence[str],
               overview: str) -> tuple[int, int | None]:
    """The data version of `tables` and what `overview` was built from, in one round trip."""
    query = sql.SQL("SELECT " + _VERSION_SQL + ", " + _BUILT_SQL)
    row = conn.execute(query, {"tables": list(tables), "overview": overview}).fetchone()
    assert row is not None
    return int(row[0]), (int(row[1]) if row[1] is not None else None)


@cache
def _answer_query(key: tuple[str, str, str, tuple[str, ...], str | None]) -> bytes:
    return sql.SQL("SELECT {version}, {built}, ({tile})").format(
        version=sql.SQL(_VERSION_SQL), built=sql.SQL(_BUILT_SQL),
        tile=_tile_query(*key)).as_bytes(None)


def answer_tile(conn: psycopg.Connection, source: TileSourceLike, name: str, z: int, x: int,
                y: int, tables: Sequence[str]) -> TileAnswer:
    """Version and tile in one round trip; a stale overview is rebuilt and the tile cut again.

    This one statement is everything the tile endpoint asks of the database per request.
    """
    check_tile(z, x, y)
    row = conn.execute(_answer_query(_key(source)),
                       {"tables": list(tables), "overview": source.table, "name": name,
                        "z": z, "x": x, "y": y, "limit": source.limit}).fetchone()
    assert row is not None
    return _answer(conn, source, name, z, x, y, row)


@cache
def _changed_query(key: tuple[str, str, str, tuple[str, ...], str | None]) -> bytes:
    # The tile is an uncorrelated subquery (an InitPlan), evaluated only when CASE reaches it.
    return sql.SQL("SELECT v.version, {built}, CASE WHEN v.version = %(known)s THEN NULL "
                   "ELSE ({tile}) END FROM {version} AS v(version)").format(
        version=sql.SQL(_VERSION_SQL), built=sql.SQL(_BUILT_SQL),
        tile=_tile_query(*key)).as_bytes(None)


def answer_tile_if_changed(conn: psycopg.Connection, source: TileSourceLike, name: str, z: int,
                           x: int, y: int, tables: Sequence[str],
                           known: int) -> TileAnswer | None:
    """Like answer_tile, but None (the tile not cut) when the data version is still `known`.

    One round trip either way: a cached tile of version `known` is revalidated by the same
    statement that would otherwise cut it again.
    """
    check_tile(z, x, y)
    row = conn.execute(_changed_query(_key(source)),
                       {"tables": list(tables), "overview": source.table, "name": name,
                        "z": z, "x": x, "y": y, "limit": source.limit,
                        "known": known}).fetchone()
    assert row is not None
    if int(row[0]) == known:
        return None
    return _answer(conn, source, name, z, x, y, row)


def _answer(conn: psycopg.Connection, source: TileSourceLike, name: str, z: int, x: int,
            y: int, row: Sequence[Any]) -> TileAnswer:
    """The answer of one (version, built_from, tile) row; a stale overview is rebuilt first."""
    version = int(row[0])
    built_from = int(row[1]) if row[1] is not None else None
    data = bytes(row[2]) if row[2] is not None else b""
    if get_overview(source.table) is not None and built_from != version:
        ensure_fresh(conn, source.table, version)
        data = render_tile(conn, source, name, z, x, y)
        built_from = version
    return TileAnswer(version, data, built_from)


def data_version(conn: psycopg.Connection, tables: Sequence[str]) -> int:
    """A number that grows whenever any of these tables changes (sum of per-table counters)."""
    row = conn.execute("SELECT coalesce(sum(version), 0)::bigint FROM tile_data_version "
                       "WHERE table_name = ANY(%s)", (list(tables),)).fetchone()
    return int(row[0]) if row else 0


def data_versions(conn: psycopg.Connection, tables: Iterable[str]) -> dict[str, int]:
    """The counter of every listed table (1 for a table never changed)."""
    wanted = list(tables)
    rows = conn.execute("SELECT table_name, version FROM tile_data_version "
                        "WHERE table_name = ANY(%s)", (wanted,)).fetchall()
    found = {str(name): int(version) for name, version in rows}
    return {name: found.get(name, 1) for name in wanted}


@dataclass(frozen=True)
class Overview:
    """A derived table for low zooms, rebuilt from its source tables."""

    table: str
    sources: tuple[str, ...]
    sql_file: str
    params: Mapping[str, float] = field(default_factory=dict)


OVERVIEWS: tuple[Overview, ...] = (
    Overview("tile_zoning_z0", ("plan", "plan_area"), "overview_zoning.sql",
             {"tolerance": 30.0, "min_area": 2000.0}),
    Overview("tile_zoning_z12", ("plan", "plan_area"), "overview_zoning.sql",
             {"tolerance": 8.0, "min_area": 50.0}),
    Overview("tile_zoning", ("plan", "plan_area"), "overview_zoning.sql",
             {"tolerance": 0.0, "min_area": 0.0}),
    Overview("tile_building_grid_z10", ("building_footprint",), "overview_building_grid.sql",
             {"size": 1000.0}),
    Overview("tile_building_grid_z12", ("building_footprint",), "overview_building_grid.sql",
             {"size": 250.0}),
    Overview("tile_farmland_z10", ("land_cover",), "overview_farmland.sql",
             {"tolerance": 10.0, "min_area": 500.0}),
)


def get_overview(table: str) -> Overview | None:
    """The overview stored in this table, if it is one."""
    return next((o for o in OVERVIEWS if o.table == table), None)


def _rebuild(conn: psycopg.Connection, overview: Overview, *, only_if_stale: bool) -> bool:
    with conn.transaction():
        # One rebuild at a time per overview; a second caller waits, then finds it fresh.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (overview.table,))
        version = data_version(conn, overview.sources)
        if only_if_stale and overview_built_from(conn, overview.table) == version:
            return False
        table = sql.Identifier(overview.table)
        conn.execute(sql.SQL("TRUNCATE {}").format(table))
        insert = sql.SQL(_sql_text(overview.sql_file)).format(table=table)
        rows = conn.execute(insert, dict(overview.params)).rowcount
        conn.execute(
            "INSERT INTO tile_overview_state (name, built_from, rows) VALUES (%s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET built_from = EXCLUDED.built_from, "
            "built_at = now(), rows = EXCLUDED.rows", (overview.table, version, rows))
        conn.execute(sql.SQL("ANALYZE {}").format(table))
    return True


def refresh_overviews(conn: psycopg.Connection, table: str | None = None) -> list[str]:
    """Rebuild the overviews derived from `table` (every overview when None); call after a load.

    Returns the overview tables rebuilt. Runs in its own transaction (or savepoint).
    """
    rebuilt = []
    for overview in OVERVIEWS:
        if table is None or table in overview.sources:
            _rebuild(conn, overview, only_if_stale=False)
            rebuilt.append(overview.table)
    return rebuilt


def overview_built_from(conn: psycopg.Connection, table: str) -> int | None:
    """The data version an overview was last built from (None if never built)."""
    row = conn.execute("SELECT built_from FROM tile_overview_state WHERE name = %s",
                       (table,)).fetchone()
    return int(row[0]) if row else None


def ensure_fresh(conn: psycopg.Connection, table: str, version: int) -> None:
    """Rebuild an overview when it was built from older data than `version`."""
    overview = get_overview(table)
    if overview is not None and overview_built_from(conn, table) != version:
        _rebuild(conn, overview, only_if_stale=True)
