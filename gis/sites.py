"""The one write path for the site register: the planner's editor and API, split and merge, and
bulk uploads insert and update `site` rows here, and every change that places a site (a new
site, a new outline) is followed by the recompute registry (`gis.derived`) in the same
transaction. The `site` trigger records each write as a new version, naming the actor set here."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

from gis.derived import after_sites_changed

STATUSES = ("ledig", "reservert", "under_utbygging", "utbygd", "trukket_tilbake")
# The free-text columns planners fill in (the editor's form, the upload's columns).
TEXT_FIELDS = (
    "name",
    "readiness",
    "planned_use",
    "zoning_code",
    "ownership",
    "tettsted",
    "contact_name",
    "contact_email",
    "contact_phone",
    "description_nb",
    "description_en",
    "planner_note",
)
# What a planner may change in the editor.
EDITABLE = (*TEXT_FIELDS, "area_m2", "status", "published")
# What an uploaded file may set (its columns found by the loader's names for the `sites` source).
UPLOADABLE = (*EDITABLE, "last_verified")
# Columns a restore brings back from an earlier version.
RESTORABLE = (*EDITABLE, "last_verified", "archived_at", "archived_reason")

# Values computed by the database at the time of the write.
NOW = sql.SQL("now()")
TODAY = sql.SQL("current_date")


def new_site_key() -> str:
    """A key for a site drawn in the editor (uploads and loads bring their own)."""
    return "nk-" + secrets.token_hex(5)


def set_actor(conn: psycopg.Connection, actor: str, action: str | None = None) -> None:
    """Name who changes what in this transaction (read by the history trigger)."""
    conn.execute(
        "SELECT set_config('naeringskart.actor', %s, true), set_config('naeringskart.action', %s, true)",
        (actor, action or ""),
    )


def _value(value: Any) -> tuple[sql.Composable, list[Any]]:
    if isinstance(value, sql.Composable):
        return value, []
    return sql.Placeholder(), [value]


class SiteWrites:
    """Writes of one action by one actor; the sites they place are recomputed once, at the end."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.placed: list[int] = []

    def insert(
        self,
        site_key: str,
        values: Mapping[str, Any],
        ewkt: str,
        *,
        copy_from: int | None = None,
        copied: tuple[str, ...] = (),
    ) -> int:
        """A new site with `values` and the outline `ewkt` (storage SRID); `copied` columns are
        taken from the site `copy_from` (a split or merge keeps the original's attributes)."""
        columns = [*values, *copied]
        given = [_value(v) for v in values.values()]
        params: list[Any] = [site_key, *(p for _e, ps in given for p in ps), ewkt]
        query = sql.SQL(
            "INSERT INTO site (site_key, {columns}, geom) SELECT %s, {values}, ST_GeomFromEWKT(%s)"
        ).format(
            columns=sql.SQL(", ").join(sql.Identifier(c) for c in columns),
            values=sql.SQL(", ").join([*(e for e, _ps in given), *(sql.Identifier(c) for c in copied)]),
        )
        if copy_from is not None:
            query += sql.SQL(" FROM site WHERE id = %s")
            params.append(copy_from)
        row = self.conn.execute(query + sql.SQL(" RETURNING id"), params).fetchone()
        assert row is not None
        self.placed.append(int(row[0]))
        return int(row[0])

    def update(
        self,
        site_id: int,
        values: Mapping[str, Any],
        ewkt: str | None = None,
        *,
        expected_version: int | None = None,
    ) -> int | None:
        """Change `values` (and the outline, when `ewkt` is given); the new version, or None
        when the site is gone or (with `expected_version`) was saved by someone else since."""
        assignments: list[sql.Composable] = []
        params: list[Any] = []
        for column, value in values.items():
            expression, value_params = _value(value)
            assignments.append(sql.SQL("{} = ").format(sql.Identifier(column)) + expression)
            params += value_params
        if ewkt is not None:
            assignments.append(sql.SQL("geom = ST_GeomFromEWKT(%s)"))
            params.append(ewkt)
        query = sql.SQL("UPDATE site SET {} WHERE id = %s").format(sql.SQL(", ").join(assignments))
        params.append(site_id)
        if expected_version is not None:
            query += sql.SQL(" AND version = %s")
            params.append(expected_version)
        row = self.conn.execute(query + sql.SQL(" RETURNING version"), params).fetchone()
        if row is None:
            return None
        if ewkt is not None:
            self.placed.append(site_id)
        return int(row[0])


@contextmanager
def site_writes(conn: psycopg.Connection, actor: str, action: str | None = None) -> Iterator[SiteWrites]:
    """Write sites as `actor` doing `action`; on success, recompute what depends on the sites
    added or moved (their ABC accessibility) in the same transaction."""
    set_actor(conn, actor, action)
    writes = SiteWrites(conn)
    yield writes
    after_sites_changed(conn, writes.placed)
