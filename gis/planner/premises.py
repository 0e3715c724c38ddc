"""Available premises (ledige lokaler) in buildings, and planned use of buildings and areas."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gis.numbers import MAX_BIGINT, MAX_ID, finite_number, record_id
from gis.planner.messages import N_, Problems, say

PREMISES_FIELDS = (
    "address",
    "floor_area_m2",
    "use",
    "available_from",
    "rent_level",
    "contact_name",
    "contact_email",
    "contact_phone",
    "building_id",
    "site_id",
)


class PremisesError(Problems):
    """Values that cannot be saved; `problems` are messages for the planner."""


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    problems = []
    for key in PREMISES_FIELDS:
        raw = values.get(key)
        value = raw.strip() if isinstance(raw, str) else raw
        out[key] = value if value not in ("", None) else None
    if not out["address"]:
        problems.append(say(N_("Adresse må fylles ut.")))
    if not out["use"]:
        problems.append(say(N_("Bruk må fylles ut.")))
    try:
        area = finite_number(out["floor_area_m2"])
        if area <= 0:
            raise ValueError
        out["floor_area_m2"] = area
    except ValueError:
        problems.append(say(N_("Gulvareal må være et tall større enn 0 (m²).")))
    for key in ("building_id", "site_id"):
        if out[key] is not None:
            try:
                out[key] = record_id(out[key], maximum=MAX_BIGINT if key == "building_id" else MAX_ID)
            except ValueError:
                problems.append(say(N_("%(field)s må være et heltall."), field=key))
    if out["available_from"]:
        try:
            out["available_from"] = date.fromisoformat(str(out["available_from"]))
        except ValueError:
            problems.append(say(N_("Ledig fra må være en dato (ÅÅÅÅ-MM-DD).")))
    if problems:
        raise PremisesError(problems)
    return out


def save_premises(
    conn: psycopg.Connection, actor: str, values: dict[str, Any], premises_id: int | None = None
) -> int:
    """Create or update premises; the point comes from the building, else the site."""
    clean = _clean(values)
    missing = []
    building_id, site_id = clean["building_id"], clean["site_id"]
    if (
        building_id is not None
        and conn.execute("SELECT 1 FROM building WHERE id = %s", (building_id,)).fetchone() is None
    ):
        missing.append(say(N_("Bygning %(id)s finnes ikke."), id=building_id))
    if (
        site_id is not None
        and conn.execute("SELECT 1 FROM site WHERE id = %s", (site_id,)).fetchone() is None
    ):
        missing.append(say(N_("Tomt %(id)s finnes ikke."), id=site_id))
    if missing:
        raise PremisesError(missing)
    published = values.get("published") in (True, "on", "true", "1")
    params = (*(clean[k] for k in PREMISES_FIELDS), published, actor)
    named = dict(zip((*PREMISES_FIELDS, "published", "actor"), params, strict=True))
    if premises_id is None:
        row = conn.execute(
            "INSERT INTO premises (address, floor_area_m2, use, available_from, rent_level, "
            "contact_name, contact_email, contact_phone, building_id, site_id, published, "
            "updated_by, geom) VALUES (%(address)s, %(floor_area_m2)s, %(use)s, %(available_from)s, "
            "%(rent_level)s, %(contact_name)s, %(contact_email)s, %(contact_phone)s, "
            "%(building_id)s, %(site_id)s, %(published)s, %(actor)s, "
            "coalesce((SELECT geom FROM building WHERE id = %(building_id)s), "
            "(SELECT ST_PointOnSurface(geom) FROM site WHERE id = %(site_id)s))) RETURNING id",
            named,
        ).fetchone()
    else:
        row = conn.execute(
            "UPDATE premises SET address = %(address)s, floor_area_m2 = %(floor_area_m2)s, "
            "use = %(use)s, available_from = %(available_from)s, rent_level = %(rent_level)s, "
            "contact_name = %(contact_name)s, contact_email = %(contact_email)s, "
            "contact_phone = %(contact_phone)s, building_id = %(building_id)s, "
            "site_id = %(site_id)s, published = %(published)s, updated_by = %(actor)s, "
            "updated_at = now(), version = version + 1, "
            "geom = coalesce((SELECT geom FROM building WHERE id = %(building_id)s), "
            "(SELECT ST_PointOnSurface(geom) FROM site WHERE id = %(site_id)s)) "
            "WHERE id = %(id)s RETURNING id",
            {**named, "id": premises_id},
        ).fetchone()
    if row is None:
        raise PremisesError([say(N_("Lokalet finnes ikke."))])
    return int(row[0])


def verify_premises(conn: psycopg.Connection, premises_id: int) -> bool:
    """Confirm the premises are still available as described."""
    return (
        conn.execute(
            "UPDATE premises SET last_verified = current_date WHERE id = %s", (premises_id,)
        ).rowcount
        == 1
    )


def archive_premises(conn: psycopg.Connection, premises_id: int) -> bool:
    """Take premises off the list (let or withdrawn); kept, not deleted."""
    return (
        conn.execute(
            "UPDATE premises SET archived_at = now(), published = false WHERE id = %s", (premises_id,)
        ).rowcount
        == 1
    )


def list_premises(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every current premises entry for planners."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM premises WHERE archived_at IS NULL ORDER BY address").fetchall()


def get_premises(conn: psycopg.Connection, premises_id: int) -> dict[str, Any] | None:
    """One premises entry."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM premises WHERE id = %s", (premises_id,)).fetchone()


def published_premises(conn: psycopg.Connection, *, site_id: int | None = None) -> list[dict[str, Any]]:
    """Premises shown to investors: published, current; optionally those on one site.

    For fact sheets: `published_premises(conn, site_id=...)`. Each row has address,
    floor_area_m2, use, available_from, rent_level, contact_*, lon, lat.
    """
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT id, address, floor_area_m2::float AS floor_area_m2, use, available_from, "
            "rent_level, contact_name, contact_email, contact_phone, site_id, building_id, "
            "ST_X(ST_Transform(geom, 4326)) AS lon, ST_Y(ST_Transform(geom, 4326)) AS lat "
            "FROM premises WHERE published AND archived_at IS NULL "
            "AND (%(site)s::int IS NULL OR site_id = %(site)s OR EXISTS (SELECT 1 FROM site s "
            "WHERE s.id = %(site)s AND ST_Intersects(s.geom, premises.geom))) "
            "ORDER BY available_from NULLS FIRST, address",
            {"site": site_id},
        ).fetchall()


def add_planned_use(conn: psycopg.Connection, actor: str, values: dict[str, Any]) -> int:
    """Mark a building (by id) or a site's area with a planned use and a horizon year."""
    problems = []
    label = (values.get("label") or "").strip()
    use = (values.get("planned_use") or "").strip()
    if not label:
        problems.append(say(N_("Navn må fylles ut.")))
    if not use:
        problems.append(say(N_("Planlagt bruk må fylles ut.")))
    try:
        horizon = int(values.get("horizon_year") or "")
        if not 2000 <= horizon <= 2100:
            raise ValueError
    except ValueError:
        problems.append(say(N_("Tidshorisont må være et årstall mellom 2000 og 2100.")))
        horizon = 0
    ids: dict[str, int | None] = {}
    for key in ("building_id", "site_id"):
        raw = (values.get(key) or "").strip()
        try:
            ids[key] = record_id(raw, maximum=MAX_BIGINT) if raw else None
        except ValueError:
            problems.append(say(N_("%(field)s må være et heltall."), field=key))
            ids[key] = None
    if not ids["building_id"] and not ids["site_id"]:
        problems.append(say(N_("Velg en bygning eller et areal.")))
    if problems:
        raise PremisesError(problems)
    row = conn.execute(
        "INSERT INTO planned_use (building_id, site_id, label, planned_use, horizon_year, note, "
        "created_by, geom) VALUES (%(b)s, %(s)s, %(label)s, %(use)s, %(horizon)s, %(note)s, "
        "%(actor)s, coalesce((SELECT geom FROM building WHERE id = %(b)s), "
        "(SELECT geom FROM site WHERE id = %(s)s))) RETURNING id",
        {
            "b": ids["building_id"],
            "s": ids["site_id"],
            "label": label,
            "use": use,
            "horizon": horizon,
            "note": (values.get("note") or "").strip() or None,
            "actor": actor,
        },
    ).fetchone()
    assert row is not None
    return int(row[0])


def list_planned_use(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Current planned uses, nearest horizon first."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT * FROM planned_use WHERE archived_at IS NULL ORDER BY horizon_year, label"
        ).fetchall()
