"""A site's history as planners read it: every version, newest first, and what changed."""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg.rows import dict_row

# The actions the editor records (read back by the history's labels).
RESTORED = "gjenopprettet versjon {version}"
SPLIT_FROM = "delt fra {key}"
MERGED_FROM = "slått sammen av {keys}"
_RECORDED = {
    "restored": re.compile(r"gjenopprettet versjon (\d+)$"),
    "split": re.compile(r"delt fra (.+)$"),
    "merged": re.compile(r"slått sammen av (.+)$"),
}


def recorded_action(operation: str) -> tuple[str, str] | None:
    """Which of the editor's restore, split or merge a version's operation records, with what it
    names (the version brought back, the original's key, the merged sites' keys)."""
    for kind, pattern in _RECORDED.items():
        if match := pattern.match(operation):
            return kind, match.group(1)
    return None


def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    ignored = {"version", "updated_at", "updated_by", "load_id", "geom_area_m2"}
    keys = sorted(set(before or {}) | set(after or {}))
    return [
        {"field": key, "before": (before or {}).get(key), "after": (after or {}).get(key)}
        for key in keys
        if key not in ignored and (before or {}).get(key) != (after or {}).get(key)
    ]


def history(conn: psycopg.Connection, site_id: int) -> list[dict[str, Any]]:
    """Every version of a site, newest first, with what changed."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT version, changed_at, changed_by, operation, before, after FROM site_version "
            "WHERE site_id = %s ORDER BY version DESC, id DESC",
            (site_id,),
        ).fetchall()
    for row in rows:
        row["changes"] = _changes(row["before"], row["after"])
        row["geometry_changed"] = any(c["field"] == "geom" for c in row["changes"])
    return rows


def diff_versions(conn: psycopg.Connection, site_id: int, old: int, new: int) -> list[dict[str, Any]]:
    """What differs between two versions of a site."""
    rows: dict[int, dict[str, Any]] = dict(
        conn.execute(
            "SELECT version, after FROM site_version WHERE site_id = %s AND version IN (%s, %s)",
            (site_id, old, new),
        ).fetchall()
    )
    return _changes(rows.get(old), rows.get(new))
