"""The load history (load_run) and the frame every load runs in: checksum, idempotency,
one transaction, and a recorded failure that leaves the published data as it was."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine

from etl.errors import LoadError
from gis.db import raw_connection

# Called with the number of features read so far; the CLI turns it into a progress bar.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class LoadResult:
    """What a load did."""

    run_id: int
    source: str
    file_name: str
    status: str
    rows_read: int = 0
    rows_written: int = 0
    rows_repaired: int = 0
    warnings: tuple[str, ...] = ()
    rows_rejected: int = 0

    def describe(self) -> str:
        """One line for people (plus one per warning)."""
        if self.status == "unchanged":
            return (f"{self.file_name}: already loaded (same checksum); nothing changed "
                    f"(run {self.run_id})")
        line = (f"{self.file_name}: {self.rows_written} rows published to {self.source} "
                f"({self.rows_read} read, {self.rows_repaired} repaired; run {self.run_id})")
        return "\n".join([line, *(f"  warning: {w}" for w in self.warnings)])


@dataclass
class Counts:
    """Counters a loader fills in while it works."""

    read: int = 0
    written: int = 0
    repaired: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)


def file_checksum(path: Path) -> str:
    """SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# Loaders get the open connection (inside the publish transaction), the run id and counters.
Body = Callable[[psycopg.Connection, int, Counts], None]


def run_load(engine: Engine, source: str, path: Path, body: Body, *,
             per_file: bool = False, options: dict[str, Any] | None = None) -> LoadResult:
    """Run `body` as one recorded, all-or-nothing load of `path`; skip a file loaded before.

    A file is unchanged when the source's last published load had the same checksum and the
    same reading `options` (--srs, --layer, --encoding, --plan-id: the same bytes read another
    way are other data); with `per_file` (plans: each file holds its own plans) the last one
    of the same file name."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: file not found")
    checksum = file_checksum(path)
    options_json = json.dumps(options or {}, sort_keys=True)
    with raw_connection(engine) as conn:
        last = _last_published(conn, source, path.name if per_file else None)
        if last == (checksum, json.loads(options_json)):
            run_id = _record_run(conn, source, path, checksum, "unchanged", options_json)
            return LoadResult(run_id, source, path.name, "unchanged")
        run_id = _record_run(conn, source, path, checksum, "running", options_json)
        counts = Counts()
        try:
            with conn.transaction():
                body(conn, run_id, counts)
                if counts.written == 0:
                    raise LoadError(f"{path.name}: the file holds no features")
                _finish_run(conn, run_id, "published", counts)
        except LoadError as exc:
            _fail(conn, run_id, counts, str(exc))
            raise
        except psycopg.Error as exc:
            message = f"{path.name}: the database refused the data: {exc}".strip()
            _fail(conn, run_id, counts, message)
            raise LoadError(message) from exc
        conn.commit()
        return LoadResult(run_id, source, path.name, "published", counts.read, counts.written,
                          counts.repaired, tuple(counts.warnings), counts.rejected)


def _fail(conn: psycopg.Connection, run_id: int, counts: Counts, message: str) -> None:
    conn.rollback()
    counts.written = counts.repaired = 0  # rolled back: nothing of this run was published
    _finish_run(conn, run_id, "failed", counts, error=message)
    conn.commit()


def _last_published(conn: psycopg.Connection, source: str,
                    file_name: str | None) -> tuple[str, Any] | None:
    """(checksum, options) of the source's (or the file's) last published load."""
    row = conn.execute(
        "SELECT checksum, options FROM load_run WHERE source = %s AND status = 'published' "
        "AND (%s::text IS NULL OR file_name = %s) ORDER BY id DESC LIMIT 1",
        (source, file_name, file_name)).fetchone()
    conn.commit()
    return (row[0], row[1]) if row else None


def _record_run(conn: psycopg.Connection, source: str, path: Path, checksum: str,
                status: str, options_json: str) -> int:
    finished = status != "running"
    row = conn.execute(
        "INSERT INTO load_run (source, file_name, checksum, status, finished_at, options) "
        "VALUES (%s, %s, %s, %s, CASE WHEN %s THEN now() END, %s::jsonb) RETURNING id",
        (source, path.name, checksum, status, finished, options_json)).fetchone()
    conn.commit()
    assert row is not None
    return int(row[0])


def _finish_run(conn: psycopg.Connection, run_id: int, status: str, counts: Counts, *,
                error: str | None = None) -> None:
    conn.execute(
        "UPDATE load_run SET status = %s, finished_at = now(), error = %s, rows_read = %s, "
        "rows_written = %s, rows_repaired = %s, rows_rejected = %s, warnings = %s::jsonb "
        "WHERE id = %s",
        (status, error, counts.read, counts.written, counts.repaired, counts.rejected,
         json.dumps(counts.warnings[:1000], ensure_ascii=False), run_id))


def load_history(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """The most recent loads, newest first."""
    with raw_connection(engine) as conn:
        cursor = conn.execute(
            "SELECT id, source, file_name, status, started_at, finished_at, rows_read, "
            "rows_written, rows_repaired, rows_rejected, warnings, error FROM load_run "
            "ORDER BY id DESC LIMIT %s", (limit,))
        columns = [d.name for d in cursor.description or []]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        conn.commit()
        return rows
