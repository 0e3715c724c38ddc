"""Editing the site register: every write is a new version (the `site` trigger records it),
saves are refused when someone else saved first, and nothing is hard-deleted. Rows are written
through the one write path (gis.sites), which recomputes what depends on placed sites."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gis.planner.messages import N_, Message, say
from gis.planner.site_history import MERGED_FROM, RESTORED, SPLIT_FROM, diff_versions
from gis.planner.site_rules import (
    GeometryRules,
    SiteError,
    area_mismatch,
    check_geometry,
    check_values,
    clean,
)
from gis.sites import NOW, RESTORABLE, TEXT_FIELDS, TODAY, new_site_key, site_writes

# What a split or merge copies from the original site to the new ones.
_COPIED = tuple(c for c in (*TEXT_FIELDS, "status", "fictional") if c != "name")


class SiteNotFound(LookupError):
    """No site with this id."""


@dataclass
class Conflict(Exception):
    """Someone saved the site after the version the planner started from."""

    site_id: int
    expected_version: int
    current_version: int
    changed_by: str
    changes: list[dict[str, Any]] = field(default_factory=list)

    def message(self) -> Message:
        """What the planner reads."""
        return say(
            N_(
                "Arealet ble endret av %(who)s mens du redigerte (versjon %(old)s → %(new)s). "
                "Endringen din er ikke lagret; se hva som ble endret, last inn på nytt og "
                "prøv igjen."
            ),
            who=self.changed_by,
            old=self.expected_version,
            new=self.current_version,
        )


def _one(conn: psycopg.Connection, query: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchone()


def get_site(conn: psycopg.Connection, site_id: int, *, lock: bool = False) -> dict[str, Any]:
    """One site with its geometry as lon/lat GeoJSON and the drawn area."""
    query = (
        "SELECT s.*, ST_AsGeoJSON(ST_Transform(s.geom, 4326), 7)::json AS geometry, "
        "round(ST_Area(s.geom)::numeric) AS geom_area_m2 FROM site s WHERE s.id = %s"
    )
    row = _one(conn, query + (" FOR UPDATE" if lock else ""), (site_id,))
    if row is None:
        raise SiteNotFound(site_id)
    row.pop("geom", None)
    return row


def list_sites(conn: psycopg.Connection, *, include_archived: bool = False) -> dict[str, Any]:
    """Every site as a lon/lat FeatureCollection for the editor (published or not)."""
    row = conn.execute(
        "SELECT coalesce(json_agg(json_build_object('type', 'Feature', 'id', id, "
        "'geometry', ST_AsGeoJSON(ST_Transform(geom, 4326), 7)::json, "
        "'properties', json_build_object('id', id, 'site_key', site_key, 'name', name, "
        "'status', status, 'published', published, 'version', version, 'area_m2', area_m2, "
        "'archived', archived_at IS NOT NULL)) ORDER BY id), '[]'::json) "
        "FROM site WHERE %s OR archived_at IS NULL",
        (include_archived,),
    ).fetchone()
    assert row is not None
    return {"type": "FeatureCollection", "features": row[0]}


# -- writes -----------------------------------------------------------------------
def create_site(
    conn: psycopg.Connection,
    actor: str,
    values: dict[str, Any],
    geometry: dict[str, Any],
    rules: GeometryRules,
) -> int:
    """A new site from a drawn polygon; the stated area defaults to the drawn one."""
    values = clean(values)
    values.setdefault("status", "ledig")
    values.setdefault("published", False)
    problems = check_values({"name": values.get("name"), **values}, None)
    if problems:
        raise SiteError(problems)
    stated = values.get("area_m2")
    ewkt, area = check_geometry(conn, geometry, rules=rules, stated_area=float(stated) if stated else None)
    if not stated:
        values["area_m2"] = round(area)
    # The catalogue filters on the stored ABC class: the write path classifies a new site at once.
    with site_writes(conn, actor, "opprettet") as writes:
        return writes.insert(new_site_key(), {"last_verified": TODAY, **values}, ewkt)


def _locked_current(conn: psycopg.Connection, site_id: int, expected_version: int | None) -> dict[str, Any]:
    current = get_site(conn, site_id, lock=True)
    if expected_version is not None and current["version"] != expected_version:
        raise Conflict(
            site_id,
            expected_version,
            current["version"],
            current["updated_by"] or "?",
            diff_versions(conn, site_id, expected_version, current["version"]),
        )
    return current


def _saved(version: int | None) -> int:
    assert version is not None  # the row is locked: it cannot be gone or changed meanwhile
    return version


def update_site(
    conn: psycopg.Connection,
    actor: str,
    site_id: int,
    expected_version: int | None,
    values: dict[str, Any],
    geometry: dict[str, Any] | None,
    rules: GeometryRules,
    action: str = "endret",
) -> int:
    """Save attribute and/or geometry changes; returns the new version number."""
    current = _locked_current(conn, site_id, expected_version)
    values = clean(values)
    problems = check_values(values, current["status"])
    if problems:
        raise SiteError(problems)
    stated = float(values.get("area_m2") or current["area_m2"])
    ewkt = None
    if geometry is not None:
        ewkt, _area = check_geometry(conn, geometry, rules=rules, stated_area=stated)
    elif "area_m2" in values and current["geom_area_m2"]:
        drawn = float(current["geom_area_m2"])
        if abs(stated - drawn) / drawn > rules.tolerance:
            raise SiteError([area_mismatch(stated, drawn, rules.tolerance)])
    if not values and ewkt is None:
        return int(current["version"])
    # A moved or reshaped site has new distances to stops, roads and centres (the write path).
    with site_writes(conn, actor, action) as writes:
        return _saved(writes.update(site_id, values, ewkt))


def verify_site(conn: psycopg.Connection, actor: str, site_id: int) -> int:
    """Confirm the entry is still right today ("sist verifisert")."""
    get_site(conn, site_id, lock=True)
    with site_writes(conn, actor, "verifisert") as writes:
        return _saved(writes.update(site_id, {"last_verified": TODAY}))


def archive_site(
    conn: psycopg.Connection, actor: str, site_id: int, expected_version: int | None, reason: str
) -> int:
    """Take a site out of the register without deleting it (it stays in the history)."""
    _locked_current(conn, site_id, expected_version)
    with site_writes(conn, actor, "arkivert") as writes:
        return _saved(
            writes.update(site_id, {"archived_at": NOW, "archived_reason": reason, "published": False})
        )


def restore_version(
    conn: psycopg.Connection, actor: str, site_id: int, version: int, expected_version: int | None
) -> int:
    """Bring back an earlier version's attributes and geometry, as a new version."""
    _locked_current(conn, site_id, expected_version)
    snapshot = conn.execute(
        "SELECT after FROM site_version WHERE site_id = %s AND version = %s AND after IS NOT NULL",
        (site_id, version),
    ).fetchone()
    if snapshot is None:
        raise SiteError([say(N_("Versjon %(version)s finnes ikke for dette arealet."), version=version)])
    data: dict[str, Any] = snapshot[0]
    with site_writes(conn, actor, RESTORED.format(version=version)) as writes:
        return _saved(writes.update(site_id, {c: data.get(c) for c in RESTORABLE}, data["geom"]))


def split_site(
    conn: psycopg.Connection,
    actor: str,
    site_id: int,
    expected_version: int | None,
    line: dict[str, Any],
    *,
    part_name: str,
    archived_as: str,
) -> list[int]:
    """Cut a site along a drawn line into new sites; the original is archived. The history's
    words come in the planner's language: `part_name` names a part (from `name` and `number`),
    `archived_as` the archived original (from the new sites' `keys`)."""
    current = _locked_current(conn, site_id, expected_version)
    parts = conn.execute(
        "SELECT ST_AsEWKT(ST_Multi((d).geom)), ST_Area((d).geom) FROM ("
        " SELECT ST_Dump(ST_Split(geom, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326), "
        " ST_SRID(geom)))) AS d FROM site WHERE id = %s) s ORDER BY ST_Area((d).geom) DESC",
        (json.dumps(line), site_id),
    ).fetchall()
    if len(parts) < 2:
        raise SiteError([say(N_("Linjen deler ikke arealet: tegn en linje som krysser hele polygonet."))])
    new_ids = []
    with site_writes(conn, actor, SPLIT_FROM.format(key=current["site_key"])) as writes:
        for number, (ewkt, area) in enumerate(parts, start=1):
            name = part_name % {"name": current["name"], "number": number}
            new_ids.append(
                writes.insert(
                    f"{current['site_key']}-{number}",
                    {"name": name, "area_m2": round(float(area)), "published": False, "last_verified": TODAY},
                    ewkt,
                    copy_from=site_id,
                    copied=_COPIED,
                )
            )
    archive_site(conn, actor, site_id, None, archived_as % {"keys": ", ".join(str(i) for i in new_ids)})
    return new_ids


def merge_sites(
    conn: psycopg.Connection, actor: str, versions: Mapping[int, int | None], *, archived_as: str
) -> int:
    """Join adjoining sites into one new site; the originals are archived, `archived_as` (in
    the planner's language) naming the new site's `id`."""
    if len(versions) < 2:
        raise SiteError([say(N_("Velg minst to arealer å slå sammen."))])
    currents = [_locked_current(conn, site_id, expected) for site_id, expected in sorted(versions.items())]
    row = conn.execute(
        "SELECT ST_NumGeometries(ST_Multi(u)), ST_AsEWKT(ST_Multi(u)), ST_Area(u) FROM "
        "(SELECT ST_Union(geom) AS u FROM site WHERE id = ANY(%s)) s",
        (list(versions),),
    ).fetchone()
    assert row is not None
    if row[0] != 1:
        raise SiteError([say(N_("Arealene henger ikke sammen og kan ikke slås sammen."))])
    first = currents[0]
    keys = ", ".join(c["site_key"] for c in currents)
    with site_writes(conn, actor, MERGED_FROM.format(keys=keys)) as writes:
        new_id = writes.insert(
            new_site_key(),
            {
                "name": first["name"],
                "area_m2": round(float(row[2])),
                "published": False,
                "last_verified": TODAY,
            },
            row[1],
            copy_from=first["id"],
            copied=_COPIED,
        )
    for current in currents:
        archive_site(conn, actor, current["id"], None, archived_as % {"id": new_id})
    return new_id
