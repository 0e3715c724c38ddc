"""The senterstruktur's centres a business may prefer to be near."""

from __future__ import annotations

import psycopg


def centre_choices(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Every centre's name and level, by name."""
    rows = conn.execute("SELECT name, level FROM centre ORDER BY name").fetchall()
    return [(str(name), str(level)) for name, level in rows]
