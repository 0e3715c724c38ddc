"""Choosing the building and the site of premises or planned use as planners know them: a site by
its name, a building by its bygningsnummer (typed, found by search, or clicked on the map)."""

from __future__ import annotations

from typing import Any

import psycopg

from gis.codes import building_type
from gis.planner.messages import N_, Message, say

MAX_SEARCH_RESULTS = 20
MAX_MAP_BUILDINGS = 2000


def site_choices(conn: psycopg.Connection) -> list[tuple[int, str]]:
    """Every current site as (id, "name (key)"), by name."""
    return [
        (int(r[0]), f"{r[1]} ({r[2]})")
        for r in conn.execute(
            "SELECT id, name, site_key FROM site WHERE archived_at IS NULL ORDER BY name, id"
        )
    ]


def building_label(number: str | None, type_code: str | None) -> str:
    """'300123456 – Kontorbygning' (the type's name from NS 3457 when known)."""
    name = building_type(type_code).name if type_code else None
    return " – ".join(part for part in (number, name) if part) or "–"


def search_buildings(conn: psycopg.Connection, query: str) -> list[dict[str, Any]]:
    """Buildings whose bygningsnummer starts with the query (digits only)."""
    digits = "".join(ch for ch in query if ch.isdigit())
    if not digits:
        return []
    rows = conn.execute(
        "SELECT bygningsnummer, bygningstype FROM building WHERE bygningsnummer LIKE %s "
        "ORDER BY bygningsnummer LIMIT %s",
        (digits + "%", MAX_SEARCH_RESULTS),
    ).fetchall()
    return [{"number": r[0], "label": building_label(r[0], r[1])} for r in rows]


def buildings_in(conn: psycopg.Connection, bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """Building points in a lon/lat box as GeoJSON (bygningsnummer and a label)."""
    rows = conn.execute(
        "SELECT bygningsnummer, bygningstype, ST_X(p), ST_Y(p) FROM ("
        " SELECT bygningsnummer, bygningstype, ST_Transform(geom, 4326) AS p FROM building"
        " WHERE bygningsnummer IS NOT NULL AND geom && ST_Transform("
        "  ST_MakeEnvelope(%s, %s, %s, %s, 4326), ST_SRID(geom)) LIMIT %s) b",
        (*bbox, MAX_MAP_BUILDINGS),
    ).fetchall()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r[2], r[3]]},
                "properties": {"number": r[0], "label": building_label(r[0], r[1])},
            }
            for r in rows
        ],
    }


def resolve_building(conn: psycopg.Connection, values: dict[str, Any]) -> list[Message]:
    """Set the form's building_id from its bygningsnummer (in place); problems if unknown."""
    raw = str(values.pop("building_number", "") or "").strip()
    values["building_id"] = ""
    if not raw:
        return []
    number = raw.replace(" ", "")
    if not number.isdigit():
        return [say(N_("Bygningsnummer %(number)s er ikke et tall."), number=raw)]
    row = conn.execute(
        "SELECT id FROM building WHERE bygningsnummer = %s ORDER BY id LIMIT 1", (number,)
    ).fetchone()
    if row is None:
        return [say(N_("Fant ingen bygning med bygningsnummer %(number)s."), number=number)]
    values["building_id"] = str(row[0])
    return []


def building_number_of(conn: psycopg.Connection, building_id: int | None) -> str:
    """The bygningsnummer of a stored building id (empty when none or gone)."""
    if building_id is None:
        return ""
    row = conn.execute("SELECT bygningsnummer FROM building WHERE id = %s", (building_id,)).fetchone()
    return str(row[0]) if row and row[0] else ""
