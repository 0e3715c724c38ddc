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
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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


def _fixed_width(values: np.ndarray) -> pa.Array:
    """Rows of an (n, width) uint8 array as a binary array."""
    n, width = values.shape
    offsets = np.arange(n + 1, dtype=np.int64) * width
    return pa.LargeBinaryArray.from_buffers(pa.large_binary(), n, [
        None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(np.ascontiguousarray(values).tobytes())])


def binary_int(array: pa.Array, width: int) -> pa.Array:
    """An integer column as big-endian values of the target column's width, nulls kept
    (NotFast when a value does not fit)."""
    values = np.asarray(pc.fill_null(pc.cast(array, pa.int64()), 0).to_numpy(), dtype=np.int64)
    limit = 1 << (8 * width - 1)
    if values.size and (values.min() < -limit or values.max() >= limit):
        raise NotFast
    data = _fixed_width(values.astype(f">i{width}").view(np.uint8).reshape(-1, width))
    if not array.null_count:
        return data
    return pc.if_else(pc.is_null(array), pa.scalar(None, pa.large_binary()), data)


def ewkb_polygons(wkb: pa.Array, srid: int) -> pa.Array:
    """2D little-endian WKB Polygons/MultiPolygons as EWKB MultiPolygons with the SRID (PostGIS's
    binary geometry input)."""
    if wkb.null_count or not (pa.types.is_binary(wkb.type) or pa.types.is_large_binary(wkb.type)):
        raise NotFast
    wkb = pc.cast(wkb, pa.large_binary())
    offsets = np.frombuffer(wkb.buffers()[1], dtype=np.int64)[wkb.offset: wkb.offset + len(wkb) + 1]
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
    head = pa.scalar(struct.pack("<BII", 1, 6 | _EWKB_SRID_FLAG, srid), pa.large_binary())
    count = pc.if_else(pa.array(single), pa.scalar(struct.pack("<I", 1), pa.large_binary()),
                       pa.scalar(b"", pa.large_binary()))
    # (binary_slice needs an explicit stop on large_binary: pyarrow fails without one.)
    body = wkb if single.all() else pc.if_else(pa.array(single), wkb,
                                               pc.binary_slice(wkb, 5, int(lengths.max())))
    return pc.binary_join_element_wise(head, count, body, _NOTHING)


_NOTHING = pa.scalar(b"", pa.large_binary())


def binary_rows(columns: Sequence[pa.Array]) -> bytes:
    """Rows of binary COPY data (no header): a field count, then each field's length and bytes
    (length -1 for null), joined row by row in C."""
    parts: list[pa.Array | pa.Scalar] = [pa.scalar(struct.pack(">h", len(columns)),
                                                   pa.large_binary())]
    for column in columns:
        binary = pc.cast(column, pa.large_binary())
        lengths = np.asarray(pc.fill_null(pc.binary_length(binary), -1).to_numpy(), dtype=">i4")
        parts += [_fixed_width(lengths.view(np.uint8).reshape(-1, 4)),
                  pc.fill_null(binary, _NOTHING)]
    joined = pc.binary_join_element_wise(*parts, _NOTHING)
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)[
        joined.offset: joined.offset + len(joined) + 1]
    return joined.buffers()[2][int(offsets[0]): int(offsets[-1])].to_pybytes()


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
    columns: list[pa.Array] = []
    for (name, array), oid in zip(arrays.items(), oids, strict=True):
        if oid in TEXT_OIDS and pa.types.is_string(array.type):
            columns.append(array)
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
