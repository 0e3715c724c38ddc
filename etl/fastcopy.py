"""The bulk path for big, clean replace-mode files (a million building footprints): whole Arrow
batches become CSV for COPY in C (pyarrow) and numpy, without a Python loop per row.

It only takes what it can do exactly: text and integer fields, 2D little-endian WKB polygons.
PostGIS validates every row (the table's ST_IsValid check constraint); anything else, or an
invalid geometry, makes the caller fall back to the checked path, which names the feature.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from psycopg import sql

from etl.sources import Derived, Field, FieldType

_EWKB_SRID_FLAG = 0x20000000
_HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)


class NotFast(Exception):
    """The batch needs the checked path (a type, value or geometry this path does not take)."""


def text_column(array: pa.Array, field_type: FieldType, required: bool) -> pa.Array:
    """A column as trimmed text or int64, empty text as null; NotFast on anything doubtful."""
    if field_type == "int":
        if pa.types.is_integer(array.type):
            return pc.cast(array, pa.int64())
        raise NotFast
    if field_type != "text":
        raise NotFast
    if pa.types.is_floating(array.type):
        raise NotFast  # 1300.0 must become "1300": the checked path knows how
    text = pc.utf8_trim_whitespace(pc.cast(array, pa.string()))
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    if required and text.null_count:
        raise NotFast
    return text


def derived_column(derived: Derived, source: pa.Array, unknown: dict[str, int]) -> pa.Array:
    """The derived column by its distinct source values (a handful per batch)."""
    distinct = pc.unique(source)
    results = []
    for value in distinct.to_pylist():
        result = None if value is None else derived.function(value)
        if derived.warn_unknown and value is not None and result is None:
            message = f"unknown {derived.warn_unknown} {value!r}"
            count = int(pc.sum(pc.equal(source, value)).as_py() or 0)
            unknown[message] = unknown.get(message, 0) + count
        results.append(result)
    mapped = pa.array(results, type=pa.string() if derived.type == "text" else None)
    return pc.take(mapped, pc.index_in(source, distinct))


def hex_ewkb_polygons(wkb: pa.Array, srid: int) -> pa.Array:
    """2D little-endian WKB Polygons/MultiPolygons as hex EWKB MultiPolygons with the SRID."""
    if wkb.null_count or not (pa.types.is_binary(wkb.type) or pa.types.is_large_binary(wkb.type)):
        raise NotFast
    offsets = np.frombuffer(wkb.buffers()[1], dtype=np.int64 if pa.types.is_large_binary(wkb.type)
                            else np.int32)[wkb.offset: wkb.offset + len(wkb) + 1].astype(np.int64)
    data = np.frombuffer(wkb.buffers()[2], dtype=np.uint8)
    starts, lengths = offsets[:-1], np.diff(offsets)
    # 9 bytes or fewer is an empty geometry: the checked path rejects it by name.
    if (lengths <= 9).any() or (data[starts] != 1).any():
        raise NotFast
    kinds = (data[starts + 1].astype(np.uint32) | data[starts + 2].astype(np.uint32) << 8
             | data[starts + 3].astype(np.uint32) << 16 | data[starts + 4].astype(np.uint32) << 24)
    single = kinds == 3
    if not (single | (kinds == 6)).all():
        raise NotFast
    # EWKB header: byte order, type with the SRID flag, SRID (9 bytes). A Polygon follows as
    # part count 1 + the polygon as it is; a MultiPolygon keeps its body after its own header.
    head = np.frombuffer(np.array([1], "<u1").tobytes() + np.array(
        [6 | _EWKB_SRID_FLAG, srid], "<u4").tobytes(), dtype=np.uint8)
    one = np.frombuffer(np.array([1], "<u4").tobytes(), dtype=np.uint8)
    body_start = np.where(single, starts, starts + 5)
    body_len = np.where(single, lengths, lengths - 5)
    head_len = np.where(single, 13, 9)
    new_len = head_len + body_len
    new_off = np.concatenate([[0], np.cumsum(new_len)])
    out = np.empty(int(new_off[-1]), dtype=np.uint8)
    out[new_off[:-1, None] + np.arange(9)] = head
    rows = new_off[:-1][single]
    out[rows[:, None] + np.arange(9, 13)] = one
    total = int(body_len.sum())
    run_start = np.repeat(np.cumsum(body_len) - body_len, body_len)
    within = np.arange(total) - run_start
    out[np.repeat(new_off[:-1] + head_len, body_len) + within] = \
        data[np.repeat(body_start, body_len) + within]
    hexed = np.empty(out.size * 2, dtype=np.uint8)
    hexed[0::2] = _HEX[out >> 4]
    hexed[1::2] = _HEX[out & 15]
    hex_offsets = (new_off * 2).astype(np.int64)
    return pa.LargeStringArray.from_buffers(len(wkb), pa.py_buffer(hex_offsets.tobytes()),
                                            pa.py_buffer(hexed.tobytes()))


def batch_csv(batch: pa.RecordBatch, fields: Sequence[Field], derived: Sequence[Derived],
              mapping: dict[str, str], run_id: int, srid: int,
              unknown: dict[str, int]) -> bytes:
    """One Arrow batch as CSV rows (columns…, load_id, hex EWKB geometry) for COPY."""
    columns: dict[str, pa.Array] = {}
    for field in fields:
        if field.allowed:
            raise NotFast
        columns[field.column] = text_column(batch.column(mapping[field.column]), field.type,
                                            field.required)
    for item in derived:
        columns[item.column] = derived_column(item, columns[item.source], unknown)
    columns["load_id"] = pa.array(np.full(batch.num_rows, run_id, dtype=np.int64))
    columns["geom"] = hex_ewkb_polygons(batch.column("geometry"), srid)
    sink = io.BytesIO()
    pacsv.write_csv(pa.table(columns), sink, pacsv.WriteOptions(include_header=False))
    return sink.getvalue()


def copy_csv(conn: psycopg.Connection, table: str, columns: Sequence[str],
             chunks: Iterable[bytes]) -> None:
    """COPY the CSV chunks into the table (columns…, load_id, geom)."""
    names = sql.SQL("").join(sql.SQL("{}, ").format(sql.Identifier(c)) for c in columns)
    with conn.cursor().copy(sql.SQL("COPY {} ({}load_id, geom) FROM STDIN (FORMAT csv)").format(
            sql.Identifier(table), names)) as copy:
        for chunk in chunks:
            copy.write(chunk)

