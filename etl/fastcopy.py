"""The bulk path for big, clean replace-mode files (a million building footprints): whole Arrow
batches become PostgreSQL's binary COPY format in C (pyarrow) and numpy, without a Python loop
per row, prepared in a background thread while the server stores the previous batch.

It only takes what it can do exactly: text and integer fields, 2D little-endian WKB polygons.
PostGIS validates every row (the table's ST_IsValid check constraint); anything else, or an
invalid geometry, makes the caller fall back to the checked path, which names the feature.
"""

from __future__ import annotations

import contextlib
import queue
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
from psycopg import sql

from etl.sources import Derived, Field, FieldType

_EWKB_SRID_FLAG = 0x20000000
# PostgreSQL's binary COPY framing: signature, flags, header extension length; -1 ends it.
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
COPY_TRAILER = struct.pack(">h", -1)
# Integer column types by oid and their width in the binary format.
INT_WIDTHS = {21: 2, 23: 4, 20: 8}
TEXT_OIDS = {25, 1043}
# Batches prepared ahead of the one being sent (bounds memory to a few batches).
QUEUE_DEPTH = 2


class NotFast(Exception):
    """The batch needs the checked path (a type, value or geometry this path does not take)."""


# A binary column: (offsets, data, null mask) with offsets[i]..offsets[i+1] the bytes of row i.
Column = tuple[np.ndarray, np.ndarray, np.ndarray]


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


def _null_mask(array: pa.Array) -> np.ndarray:
    if not array.null_count:
        return np.zeros(len(array), dtype=bool)
    return np.asarray(pc.is_null(array).to_numpy(zero_copy_only=False), dtype=bool)


def binary_text(array: pa.Array) -> Column:
    """A string column as binary COPY values (UTF-8 bytes)."""
    large = pc.cast(array, pa.large_string())
    if isinstance(large, pa.ChunkedArray):
        large = large.combine_chunks()
    offsets = np.frombuffer(large.buffers()[1], dtype=np.int64)[
        large.offset: large.offset + len(large) + 1]
    data = np.frombuffer(large.buffers()[2], dtype=np.uint8) if large.buffers()[2] else \
        np.zeros(0, dtype=np.uint8)
    base = int(offsets[0])
    return offsets - base, data[base:], _null_mask(large)


def binary_int(array: pa.Array, width: int) -> Column:
    """An integer column as big-endian values of the target column's width (NotFast when a
    value does not fit)."""
    nulls = _null_mask(array)
    values = np.asarray(pc.fill_null(pc.cast(array, pa.int64()), 0).to_numpy(), dtype=np.int64)
    limit = 1 << (8 * width - 1)
    if values.size and (values.min() < -limit or values.max() >= limit):
        raise NotFast
    data = values.astype(f">i{width}").view(np.uint8)
    offsets = np.arange(len(values) + 1, dtype=np.int64) * width
    return offsets, data, nulls


def ewkb_polygons(wkb: pa.Array, srid: int) -> Column:
    """2D little-endian WKB Polygons/MultiPolygons as EWKB MultiPolygons with the SRID (PostGIS's
    binary geometry input)."""
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
    new_off = np.concatenate([[0], np.cumsum(head_len + body_len)])
    out = np.empty(int(new_off[-1]), dtype=np.uint8)
    out[new_off[:-1, None] + np.arange(9)] = head
    rows = new_off[:-1][single]
    out[rows[:, None] + np.arange(9, 13)] = one
    _scatter(out, new_off[:-1] + head_len, data, body_start, body_len)
    return new_off, out, np.zeros(len(wkb), dtype=bool)


def _scatter(out: np.ndarray, to: np.ndarray, data: np.ndarray, start: np.ndarray,
             length: np.ndarray) -> None:
    """Copy data[start[i]:start[i]+length[i]] to out[to[i]:…] for every i, vectorised."""
    total = int(length.sum())
    if not total:
        return
    within = np.arange(total) - np.repeat(np.cumsum(length) - length, length)
    out[np.repeat(to, length) + within] = data[np.repeat(start, length) + within]


def binary_rows(columns: Sequence[Column]) -> bytes:
    """Rows of binary COPY data (no header): a field count, then each field's length and bytes
    (length -1 for null)."""
    n = len(columns[0][0]) - 1
    lengths = [np.where(nulls, 0, np.diff(offsets)) for offsets, _, nulls in columns]
    row_size = 2 + sum(4 + length for length in lengths)
    row_off = np.concatenate([[0], np.cumsum(row_size)])
    out = np.empty(int(row_off[-1]), dtype=np.uint8)
    out[row_off[:-1, None] + np.arange(2)] = np.frombuffer(struct.pack(">h", len(columns)),
                                                           dtype=np.uint8)
    position = row_off[:-1] + 2
    for (offsets, data, nulls), length in zip(columns, lengths, strict=True):
        prefix = np.where(nulls, -1, length).astype(">i4").view(np.uint8).reshape(n, 4)
        out[position[:, None] + np.arange(4)] = prefix
        _scatter(out, position + 4, data, offsets[:-1], length)
        position = position + 4 + length
    return out.tobytes()


def batch_binary(batch: pa.RecordBatch, fields: Sequence[Field], derived: Sequence[Derived],
                 mapping: dict[str, str], oids: Sequence[int], run_id: int, srid: int,
                 unknown: dict[str, int]) -> bytes:
    """One Arrow batch as binary COPY rows (columns…, load_id, EWKB geometry); `oids` are the
    target types of the field and derived columns, in that order."""
    arrays: dict[str, pa.Array] = {}
    for field in fields:
        if field.allowed:
            raise NotFast
        arrays[field.column] = text_column(batch.column(mapping[field.column]), field.type,
                                           field.required)
    for item in derived:
        arrays[item.column] = derived_column(item, arrays[item.source], unknown)
    columns: list[Column] = []
    for (name, array), oid in zip(arrays.items(), oids, strict=True):
        if oid in TEXT_OIDS and pa.types.is_string(array.type):
            columns.append(binary_text(array))
        elif oid in INT_WIDTHS and pa.types.is_integer(array.type):
            columns.append(binary_int(array, INT_WIDTHS[oid]))
        else:
            raise NotFast(name)
    columns.append(binary_int(pa.array(np.full(batch.num_rows, run_id, dtype=np.int64)), 4))
    columns.append(ewkb_polygons(batch.column("geometry"), srid))
    return binary_rows(columns)


def prepared_ahead(make: Callable[[], Iterator[bytes]], depth: int = QUEUE_DEPTH) -> Iterator[bytes]:
    """The chunks of `make()`, produced in a background thread `depth` chunks ahead (numpy and
    pyarrow release the GIL, so this overlaps with sending); its exception is re-raised here."""
    chunks: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in make():
                if stop.is_set():
                    return
                chunks.put(("chunk", chunk))
            chunks.put(("end", None))
        except BaseException as exc:
            chunks.put(("error", exc))

    worker = threading.Thread(target=produce, name="copy-producer", daemon=True)
    worker.start()
    try:
        while True:
            kind, item = chunks.get()
            if kind == "end":
                return
            if kind == "error":
                assert isinstance(item, BaseException)
                raise item
            assert isinstance(item, bytes)
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.05)
        worker.join()


def copy_binary(conn: psycopg.Connection, table: str, columns: Sequence[str],
                chunks: Iterable[bytes]) -> None:
    """COPY binary rows (columns…, load_id, geom) into the table."""
    names = sql.SQL("").join(sql.SQL("{}, ").format(sql.Identifier(c)) for c in columns)
    with conn.cursor().copy(sql.SQL("COPY {} ({}load_id, geom) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(table), names)) as copy:
        copy.write(COPY_HEADER)
        for chunk in chunks:
            copy.write(chunk)
        copy.write(COPY_TRAILER)
