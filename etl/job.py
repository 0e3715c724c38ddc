"""What a source's own loader gets and gives back; loaders import this, never etl.load."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg

from etl.runs import Progress
from etl.sources import SourceSpec


@dataclass(frozen=True)
class LoadJob:
    """What a custom loader gets: the connection (inside the publish transaction) and the load."""

    conn: psycopg.Connection
    spec: SourceSpec
    path: Path
    run_id: int
    storage_srid: int
    srs: str | None = None
    layer: str | None = None
    progress: Progress | None = None
    encoding: str | None = None
    force_srs: bool = False
    plan_id: str | None = None


@dataclass(frozen=True)
class Staged:
    """What a custom loader published."""

    rows_read: int
    rows_written: int
    rows_repaired: int = 0
    warnings: tuple[str, ...] = ()


# A loader for a non-vector format; it raises LoadError on bad input and writes with COPY.
CustomLoader = Callable[[LoadJob], Staged]
