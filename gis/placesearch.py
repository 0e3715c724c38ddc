"""Search the app's own data by name: sites, centres, tettsteder, stops and focus areas.

It answers from our database, so the map's search still finds these when the national
address and place-name services cannot be reached.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from gis.sqlfile import sql_file

MAX_HITS = 10
MIN_LENGTH = 2


@dataclass(frozen=True)
class PlaceHit:
    """One place found: what kind, its name, where (WGS84), and a site's key."""

    kind: str
    label: str
    lat: float
    lon: float
    site_key: str | None = None


def _like_escaped(text: str) -> str:
    """The text with LIKE's wildcards taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_places(conn: psycopg.Connection, query: str, limit: int = MAX_HITS) -> list[PlaceHit]:
    """Places whose name contains the query (case-insensitive); none for under two characters."""
    text = " ".join(query.split())
    if len(text) < MIN_LENGTH:
        return []
    escaped = _like_escaped(text)
    rows = conn.execute(
        sql_file("gis", "sql/place_search.sql"),
        {"text": text, "pattern": f"%{escaped}%", "prefix": f"{escaped}%", "limit": min(limit, MAX_HITS)},
    ).fetchall()
    return [
        PlaceHit(kind=row[0], label=row[1], site_key=row[2], lat=float(row[3]), lon=float(row[4]))
        for row in rows
        if row[3] is not None
    ]
