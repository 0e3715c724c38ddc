"""What is recomputed after data changes, in one place: every writer (ETL loads, the planner's
editor and API, bulk uploads) calls these hooks in its own transaction, so derived data (ABC
accessibility, the jordvern ledger; tile data versions follow by trigger) never lags a write."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import psycopg

from gis.abc.accessibility import refresh_after_load as refresh_abc_after_load
from gis.abc.accessibility import refresh_site_accessibility
from gis.jordvern import refresh_after_load as refresh_jordvern_after_load


def after_tables_changed(conn: psycopg.Connection, tables: Iterable[str]) -> None:
    """A load replaced or added rows of `tables`: recompute what depends on them."""
    changed = list(tables)
    refresh_abc_after_load(conn, changed)
    refresh_jordvern_after_load(conn, changed)


def after_sites_changed(conn: psycopg.Connection, site_ids: Sequence[int]) -> None:
    """Sites were added, moved or reshaped: their distances to stops, roads and centres."""
    if site_ids:
        refresh_site_accessibility(conn, site_ids=list(site_ids), stops_changed=False)
