"""Reusable load steps: an UNLOGGED staging table filled by binary COPY, repair with
ST_MakeValid, one reprojection, extent checks, and GiST indexes rebuilt after a bulk publish
(the values and geometries are checked first, in etl.publish.values)."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import shapely
from psycopg import sql
from psycopg.adapt import Dumper
from psycopg.pq import Format

from etl.errors import LoadError
from etl.readers.vector import check_plausible_extent
from etl.sources import FieldType, GeometryKind

STAGE_TYPES: dict[str, str] = {"text": "text", "int": "int8", "numeric": "float8", "date": "date",
                               "bool": "bool"}
TARGET_CASTS: dict[str, str] = {"text": "text", "int": "bigint", "numeric": "numeric",
                                "date": "date", "bool": "boolean"}
# The dimension ST_CollectionExtract keeps of each target geometry.
EXTRACT_DIMENSION: dict[str, int] = {"MULTIPOLYGON": 3, "POINT": 1, "MULTILINESTRING": 2}


def create_stage(conn: psycopg.Connection, name: str,
                 columns: Sequence[tuple[str, FieldType]]) -> sql.Identifier:
    """An UNLOGGED staging table (fid, columns…, wkb, needs_repair), created inside the load's
    transaction so a killed load leaves nothing behind."""
    stage = sql.Identifier(name)
    column_defs = sql.SQL("").join(
        sql.SQL("{} {}, ").format(sql.Identifier(column), sql.SQL(STAGE_TYPES[type_]))
        for column, type_ in columns)
    conn.execute(sql.SQL(
        "CREATE UNLOGGED TABLE {} (fid bigint, {}wkb bytea, needs_repair bool)"
    ).format(stage, column_defs))
    return stage


def drop_stage(conn: psycopg.Connection, stage: sql.Identifier) -> None:
    """Drop the staging table at the end of the transaction's work."""
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(stage))


def copy_rows(conn: psycopg.Connection, stage: sql.Identifier,
              columns: Sequence[tuple[str, FieldType]],
              rows: Iterable[tuple[Any, ...]]) -> int:
    """Binary COPY of (fid, values…, wkb, needs_repair) rows into the stage; returns the count."""
    names = sql.SQL("").join(sql.SQL("{}, ").format(sql.Identifier(c)) for c, _ in columns)
    copy_sql = sql.SQL("COPY {} (fid, {}wkb, needs_repair) FROM STDIN (FORMAT BINARY)").format(
        stage, names)
    count = 0
    with conn.cursor().copy(copy_sql) as copy:
        copy.set_types(["int8", *(STAGE_TYPES[t] for _, t in columns), "bytea", "bool"])
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def repair(conn: psycopg.Connection, stage: sql.Identifier, geometry: GeometryKind, srid: int,
           describe: Callable[[int], str], notes: list[str] | None = None) -> int:
    """Repair the flagged geometries with ST_MakeValid; an unrepairable one is an error.
    `describe(fid)` names a feature. Each repair is reported in `notes` with the feature's area
    before and after; a polygon that collapses to nothing (a zero-area sliver) is skipped and
    reported there too."""
    dimension = EXTRACT_DIMENSION.get(geometry)
    made_valid: sql.Composable = sql.SQL("ST_MakeValid(ST_GeomFromWKB(wkb, %s))")
    if dimension:
        made_valid = sql.SQL("ST_CollectionExtract({}, {})").format(made_valid,
                                                                    sql.Literal(dimension))
    # Square metres also for lon/lat files (their areas would be in square degrees).
    area = sql.SQL("ST_Area(ST_GeomFromWKB(wkb, %s)::geography)" if srid == 4326
                   else "ST_Area(ST_GeomFromWKB(wkb, %s))")
    before: dict[int, tuple[float, str]] = {
        int(fid): (float(size or 0.0), str(reason or "invalid geometry"))
        for fid, size, reason in conn.execute(sql.SQL(
            "SELECT fid, {}, ST_IsValidReason(ST_GeomFromWKB(wkb, %s)) FROM {} "
            "WHERE needs_repair").format(area, stage), (srid, srid)).fetchall()}
    cursor = conn.execute(sql.SQL(
        "UPDATE {} SET wkb = ST_AsBinary({}) WHERE needs_repair").format(stage, made_valid),
        (srid,))
    repaired = cursor.rowcount
    if repaired <= 0:
        return 0
    collapsed = conn.execute(sql.SQL(
        "DELETE FROM {} WHERE needs_repair AND wkb IS NOT NULL AND "
        "ST_IsEmpty(ST_GeomFromWKB(wkb)) RETURNING fid").format(stage)).fetchall()
    broken = conn.execute(sql.SQL(
        "SELECT fid FROM {} WHERE needs_repair AND (wkb IS NULL OR "
        "NOT ST_IsValid(ST_GeomFromWKB(wkb))) ORDER BY fid LIMIT 1").format(stage)).fetchone()
    if broken:
        raise LoadError(f"{describe(int(broken[0]))}: the geometry is invalid and cannot be "
                        "repaired")
    if notes is not None:
        after = conn.execute(sql.SQL(
            "SELECT fid, {} FROM {} WHERE needs_repair ORDER BY fid").format(area, stage),
            (srid,)).fetchall()
        notes += [f"{describe(int(fid))}: has no area (a sliver or a ring of fewer than 4 "
                  "points), skipped" for fid, in sorted(collapsed)]
        notes += _repair_notes(after, before, describe, geometry)
    return repaired - len(collapsed)


# The load history keeps every warning; past this many repairs it summarises the rest.
MAX_REPAIR_NOTES = 100


def _repair_notes(after: list[tuple[Any, ...]], before: dict[int, tuple[float, str]],
                  describe: Callable[[int], str], geometry: GeometryKind) -> list[str]:
    notes = []
    for fid, area_after in after[:MAX_REPAIR_NOTES]:
        area_before, reason = before.get(int(fid), (0.0, "invalid geometry"))
        # "Self-intersection[109.09 0]" → "self-intersection at 109.09 0"
        what = reason[:1].lower() + reason[1:].replace("[", " at ").rstrip("]")
        if geometry != "MULTIPOLYGON":
            notes.append(f"{describe(int(fid))}: repaired {what}")
            continue
        change = (f" ({(float(area_after) - area_before) / area_before * 100:+.1f} %)"
                  .replace("-", "−") if area_before else "")
        notes.append(f"{describe(int(fid))}: repaired {what}, area {area_before:,.1f} → "
                     f"{float(area_after):,.1f} m²{change}")
    if len(after) > MAX_REPAIR_NOTES:
        notes.append(f"… and {len(after) - MAX_REPAIR_NOTES} more repaired features")
    return notes


def geometry_sql(geometry: GeometryKind, source_srid: int, storage_srid: int) -> sql.Composable:
    """The staged WKB as a storage-SRID geometry of the target's kind (reprojected once)."""
    parsed: sql.Composable = sql.SQL("ST_GeomFromWKB(wkb, {})").format(sql.Literal(source_srid))
    if source_srid != storage_srid:
        parsed = sql.SQL("ST_Transform({}, {})").format(parsed, sql.Literal(storage_srid))
    if geometry.startswith("MULTI"):
        parsed = sql.SQL("ST_Multi({})").format(parsed)
    return parsed


@contextmanager
def spatial_indexes_rebuilt(conn: psycopg.Connection, table: str) -> Iterator[None]:
    """Drop the table's GiST indexes for a bulk insert and build them again afterwards (a
    bulk build is much faster than inserting into the tree row by row), inside the load's
    transaction. Foreign keys stay: dropping one would lock the referenced load_run against
    readers until commit."""
    rows = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = %s AND indexdef ILIKE %s", (table, "% USING gist %")).fetchall()
    for name, _ in rows:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    yield
    for _, definition in rows:
        # The definitions come from the catalogue, not from input.
        conn.execute(definition)


def estimated_rows(conn: psycopg.Connection, table: str) -> float:
    """The planner's estimate of the table's row count (0 when never analysed)."""
    row = conn.execute("SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass",
                       (table,)).fetchone()
    return float(row[0]) if row else 0.0


def earlier_loads(conn: psycopg.Connection, source: str, file_name: str) -> list[int]:
    """The published runs of this file of the source (the rows a new delivery replaces)."""
    return [row[0] for row in conn.execute(
        "SELECT id FROM load_run WHERE source = %s AND file_name = %s AND status = 'published'",
        (source, file_name)).fetchall()]


def holds_only(conn: psycopg.Connection, table: str, loads: list[int] | None) -> bool:
    """Whether every row of the table comes from one of `loads` (None: any table qualifies)."""
    if loads is None:
        return True
    row = conn.execute(sql.SQL(
        "SELECT NOT EXISTS (SELECT 1 FROM {} WHERE load_id IS NULL OR NOT load_id = ANY(%s))"
    ).format(sql.Identifier(table)), (loads,)).fetchone()
    return bool(row and row[0])


_EWKB_SRID_FLAG = 0x20000000
_WKB_TYPES = {"MULTIPOLYGON": (3, 6), "MULTILINESTRING": (2, 5), "POINT": (1, None)}


def to_ewkb(wkb: np.ndarray, geoms: np.ndarray, geometry: GeometryKind, srid: int) -> list[bytes]:
    """Geometries as EWKB of the target's kind (Multi… where the column wants it) with the SRID,
    for a binary COPY straight into a geometry column. 2D little-endian WKB (what GDAL writes)
    is re-headed byte-wise; anything else goes through shapely."""
    single, multi = _WKB_TYPES.get(geometry, (None, None))
    srid_bytes = struct.pack("<I", srid)
    out: list[bytes] = []
    slow: list[int] = []
    head_multi = struct.pack("<BI", 1, (multi or 0) | _EWKB_SRID_FLAG) + srid_bytes
    head_single = struct.pack("<BI", 1, (single or 0) | _EWKB_SRID_FLAG) + srid_bytes
    one = struct.pack("<I", 1)
    for i, blob in enumerate(wkb):
        data = bytes(blob)
        kind = struct.unpack_from("<I", data, 1)[0] if data[:1] == b"\x01" else None
        if multi and kind == single:
            out.append(head_multi + one + data)
        elif kind is not None and kind == (multi or single):
            out.append((head_multi if multi else head_single) + data[5:])
        else:
            out.append(b"")
            slow.append(i)
    if slow:
        chosen = geoms[slow]
        if multi:
            parts, index = shapely.get_parts(chosen, return_index=True)
            make = shapely.multipolygons if multi == 6 else shapely.multilinestrings
            chosen = make(parts, indices=index)
        converted = shapely.to_wkb(shapely.set_srid(chosen, srid), include_srid=True,
                                   flavor="extended")
        for i, blob in zip(slow, converted, strict=True):
            out[i] = blob
    return out


class _EwkbDumper(Dumper):
    """Passes EWKB bytes through as PostGIS's binary geometry input."""

    format = Format.BINARY

    def dump(self, obj: Any) -> bytes:
        """EWKB is the binary wire format of geometry already."""
        return bytes(obj)


def geometry_oid(conn: psycopg.Connection) -> int:
    """The oid of PostGIS's geometry type, with a binary dumper registered for it."""
    row = conn.execute("SELECT 'geometry'::regtype::oid").fetchone()
    assert row is not None
    oid = int(row[0])
    dumper = type("GeometryEwkbDumper", (_EwkbDumper,), {"oid": oid})
    conn.adapters.register_dumper(None, dumper)
    return oid


def copy_into_table(conn: psycopg.Connection, table: str, oids: Sequence[int],
                    columns: Sequence[tuple[str, FieldType]], rows: Iterable[tuple[Any, ...]]) -> int:
    """Binary COPY of (values…, load_id, EWKB geom) rows straight into a published table."""
    names = sql.SQL("").join(sql.SQL("{}, ").format(sql.Identifier(c)) for c, _ in columns)
    copy_sql = sql.SQL("COPY {} ({}load_id, geom) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table), names)
    oid = geometry_oid(conn)
    count = 0
    with conn.cursor().copy(copy_sql) as copy:
        copy.set_types([*oids, "int4", oid])
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


# Farther than this from the loaded kommune, a file's data is in the wrong CRS (a UTM zone off
# is hundreds of kilometres), not a neighbour's plan that crosses the border.
NEAR_KOMMUNE_M = 20_000


def check_near_kommune(conn: psycopg.Connection, path_name: str, epsg: int,
                       bounds: Sequence[float] | None, storage_srid: int, *,
                       as_read: bool = True) -> None:
    """Refuse data whose extent, reprojected, lies far from the loaded kommune boundary.

    The lon/lat box of Norway cannot tell UTM zone 32 from 35 at the same latitude; the
    kommune can. Without a loaded kommune (the first load) there is nothing to compare."""
    if bounds is None:
        return
    row = conn.execute(
        "SELECT ST_Distance(ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, %s), %s), k.geom), "
        "k.name FROM (SELECT ST_Collect(geom) AS geom, string_agg(name, ', ') AS name "
        "FROM kommune) k WHERE k.geom IS NOT NULL",
        (*bounds, epsg, storage_srid)).fetchone()
    if row is not None and row[0] is not None and row[0] > NEAR_KOMMUNE_M:
        how = f"read as EPSG:{epsg}, " if as_read else ""
        raise LoadError(
            f"{path_name}: {how}the data lies {row[0] / 1000:,.0f} km from "
            f"{row[1]}; is the file's CRS (or --srs) right? A wrong UTM zone moves data "
            "hundreds of kilometres")


def check_published_extent(conn: psycopg.Connection, table: str, run_id: int, path_name: str,
                           storage_srid: int) -> None:
    """The extent checks for loaders that learn their extent only while writing (GTFS stops,
    spreadsheets): the rows this run wrote must lie in Norway and near the kommune."""
    row = conn.execute(sql.SQL(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
        "(SELECT ST_Extent(geom)::geometry AS e FROM {} WHERE load_id = %s) AS x").format(
            sql.Identifier(table)), (run_id,)).fetchone()
    if row is None or row[0] is None:
        return
    bounds = tuple(float(v) for v in row)
    check_plausible_extent(Path(path_name), storage_srid, bounds)
    check_near_kommune(conn, path_name, storage_srid, bounds, storage_srid, as_read=False)
