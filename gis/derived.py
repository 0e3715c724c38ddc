"""What is recomputed after data changes, in one registry: every writer (ETL loads, the planner's
editor and API, bulk uploads) calls these hooks in its own transaction, so derived data never
lags a write. Tile data versions need no entry: a statement trigger on every map table bumps
them (migration 0002_map_tiles)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import psycopg

from gis.abc import accessibility
from gis.jordvern import recompute as jordvern


@dataclass(frozen=True)
class Dependent:
    """Data computed from other tables, and how it is brought up to date after they change."""

    name: str
    sources: frozenset[str]
    # Called with the changed source tables (never empty), in the writer's transaction.
    refresh: Callable[[psycopg.Connection, set[str]], None]


DEPENDENTS: tuple[Dependent, ...] = (
    Dependent("ABC accessibility of sites and transit quality areas", accessibility.SOURCE_TABLES,
              accessibility.refresh_after_load),
    Dependent("jordvern ledger", jordvern.SOURCE_TABLES, jordvern.refresh_after_load),
)


def dependents_of(tables: Iterable[str]) -> list[Dependent]:
    """What a change to `tables` makes stale."""
    changed = set(tables)
    return [dependent for dependent in DEPENDENTS if changed & dependent.sources]


def after_tables_changed(conn: psycopg.Connection, tables: Iterable[str]) -> None:
    """A load replaced or added rows of `tables`: recompute what depends on them."""
    changed = set(tables)
    for dependent in dependents_of(changed):
        dependent.refresh(conn, changed & dependent.sources)


def after_sites_changed(conn: psycopg.Connection, site_ids: Sequence[int]) -> None:
    """Sites were added, moved or reshaped: only their own distances to stops, roads and
    centres (other sites' classes and the jordvern ledger do not depend on them)."""
    if site_ids:
        accessibility.refresh_site_accessibility(conn, site_ids=list(site_ids),
                                                 stops_changed=False)
