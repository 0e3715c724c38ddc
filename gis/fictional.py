"""Whether the database holds fictional (demo) data, which every page then says."""

from __future__ import annotations

import psycopg

_HOLDS_FICTIONAL = (
    "SELECT EXISTS (SELECT 1 FROM site WHERE fictional) OR EXISTS (SELECT 1 FROM statistic WHERE fictional)"
)


def holds_fictional_data(conn: psycopg.Connection) -> bool:
    """Whether any site or statistic is fictional."""
    row = conn.execute(_HOLDS_FICTIONAL).fetchone()
    return bool(row and row[0])
