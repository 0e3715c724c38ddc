"""Several connections working on one bulk load at once.

PostgreSQL runs each connection's statements in a backend process of its own, so a million
rows sent over two COPY streams get their validity checks and reprojections done on two cores,
and a table's indexes built one per connection are sorted side by side. The work goes into a
committed build table that nobody reads (etl.publish.swap.create_build); the load's own transaction
swaps it in at the end, so a failed or killed load still leaves the published table as it was.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import psycopg
from psycopg import sql

# More connections than cores only adds switching; four keep a bigger server busy without
# taking every connection slot.
MAX_WORKERS = 4
# Below this many rows the extra connections cost more than they save.
MIN_ROWS = 20_000
# Chunks waiting per COPY stream (bounds memory to a few batches per connection).
CHUNKS_AHEAD = 2


def default_workers() -> int:
    """One connection per CPU core, at most MAX_WORKERS."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


@contextlib.contextmanager
def connections_like(conn: psycopg.Connection, count: int) -> Iterator[list[psycopg.Connection]]:
    """Up to `count` new connections to the same database as `conn`, as the same role (fewer
    when the server refuses more: a role's or the server's connection limit); closed after."""
    opened: list[psycopg.Connection] = []
    try:
        for _ in range(count):
            try:
                opened.append(psycopg.connect(conn.info.dsn, password=conn.info.password or None))
            except psycopg.OperationalError:
                break
        yield opened
    finally:
        for connection in opened:
            connection.close()


class _Stopped(Exception):
    """Another stream failed: this one gives up too."""


def copy(connections: Sequence[psycopg.Connection], statement: sql.Composed, header: bytes,
         trailer: bytes, chunks: Iterable[bytes]) -> None:
    """Send the chunks of a binary COPY over all connections at once, each chunk to whichever
    stream is free, and commit each stream. The chunks are produced in the calling thread while
    the streams send; the first error (a chunk that cannot be made, a row the server refuses)
    stops every stream and is raised here."""
    waiting: queue.Queue[bytes | None] = queue.Queue(maxsize=CHUNKS_AHEAD * len(connections))
    failures: list[BaseException] = []
    stop = threading.Event()

    def send(connection: psycopg.Connection) -> None:
        try:
            with connection.cursor().copy(statement) as stream:
                stream.write(header)
                while (chunk := waiting.get()) is not None:
                    if stop.is_set():
                        raise _Stopped
                    stream.write(chunk)
                if stop.is_set():
                    raise _Stopped
                stream.write(trailer)
            connection.commit()
        except BaseException as exc:
            if not isinstance(exc, _Stopped):
                failures.append(exc)
            stop.set()
            connection.rollback()

    def offer(item: bytes | None) -> None:
        """Queue a chunk (dropped once a stream failed) or an end mark (dropped once no stream
        is left to take it)."""
        while True:
            try:
                waiting.put(item, timeout=0.1)
                return
            except queue.Full:
                if (stop.is_set() and item is not None) or not any(t.is_alive() for t in streams):
                    return

    streams = [threading.Thread(target=send, args=(c,), name=f"copy-{n}")
               for n, c in enumerate(connections)]
    for thread in streams:
        thread.start()
    try:
        for chunk in chunks:
            if stop.is_set():
                break
            offer(chunk)
    except BaseException as exc:
        failures.insert(0, exc)
        stop.set()
    finally:
        for _ in streams:
            offer(None)
        for thread in streams:
            thread.join()
    if failures:
        raise failures[0]


def execute(connections: Sequence[psycopg.Connection], statements: Sequence[sql.Composed]) -> None:
    """Run the statements side by side, each on a free connection in its own committed
    transaction (longest first is the caller's order); the first error is raised."""
    free: queue.Queue[psycopg.Connection] = queue.Queue()
    for connection in connections:
        free.put(connection)

    def run(statement: sql.Composed) -> None:
        connection = free.get()
        try:
            connection.execute(statement)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            free.put(connection)

    with ThreadPoolExecutor(max_workers=len(connections)) as pool:
        for future in [pool.submit(run, s) for s in statements]:
            future.result()
