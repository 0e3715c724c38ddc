"""Editing the site register: every write is a new version (the `site` trigger records it),
saves are refused when someone else saved first, and nothing is hard-deleted."""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import psycopg
from flask_babel import gettext as _
from psycopg import sql
from psycopg.rows import dict_row

from gis.derived import after_sites_changed
from gis.lonlat_geometry import lonlat_polygon_problem
from gis.numbers import finite_number
from webmap.i18n import current_language

STATUSES = ("ledig", "reservert", "under_utbygging", "utbygd", "trukket_tilbake")
# The workflow: one step forward, one step back (a correction), and withdrawal/reinstatement.
TRANSITIONS: dict[str, set[str]] = {
    "ledig": {"reservert", "trukket_tilbake"},
    "reservert": {"ledig", "under_utbygging", "trukket_tilbake"},
    "under_utbygging": {"reservert", "utbygd", "trukket_tilbake"},
    "utbygd": {"under_utbygging"},
    "trukket_tilbake": {"ledig"},
}
TEXT_FIELDS = ("name", "readiness", "planned_use", "zoning_code", "ownership", "tettsted",
               "contact_name", "contact_email", "contact_phone", "description_nb",
               "description_en", "planner_note")
EDITABLE = (*TEXT_FIELDS, "area_m2", "status", "published")
# Columns a restore brings back from an earlier version.
RESTORABLE = (*EDITABLE, "last_verified", "archived_at", "archived_reason")


class SiteError(ValueError):
    """A change that cannot be saved; `problems` are messages for the planner."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


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

    def message(self) -> str:
        """What the planner reads."""
        return _("Arealet ble endret av %(who)s mens du redigerte (versjon %(old)s → %(new)s). "
                 "Endringen din er ikke lagret; se hva som ble endret, last inn på nytt og prøv igjen.",
                 who=self.changed_by, old=self.expected_version, new=self.current_version)


def set_actor(conn: psycopg.Connection, actor: str, action: str | None = None) -> None:
    """Name who changes what in this transaction (read by the history trigger)."""
    conn.execute("SELECT set_config('naeringskart.actor', %s, true), "
                 "set_config('naeringskart.action', %s, true)", (actor, action or ""))


def _one(conn: psycopg.Connection, query: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchone()


def get_site(conn: psycopg.Connection, site_id: int, *, lock: bool = False) -> dict[str, Any]:
    """One site with its geometry as lon/lat GeoJSON and the drawn area."""
    query = ("SELECT s.*, ST_AsGeoJSON(ST_Transform(s.geom, 4326), 7)::json AS geometry, "
             "round(ST_Area(s.geom)::numeric) AS geom_area_m2 FROM site s WHERE s.id = %s")
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
        "FROM site WHERE %s OR archived_at IS NULL", (include_archived,)).fetchone()
    assert row is not None
    return {"type": "FeatureCollection", "features": row[0]}


# -- validation -------------------------------------------------------------------
def check_geometry(conn: psycopg.Connection, geometry: dict[str, Any], *, storage_srid: int,
                   kommunenummer: str, stated_area: float | None,
                   tolerance: float) -> tuple[str, float]:
    """Validate a drawn lon/lat polygon in PostGIS; returns (EWKT in storage SRID, area)."""
    shape_problem = lonlat_polygon_problem(geometry)
    if shape_problem:
        raise SiteError([_("Geometrien kan ikke brukes: %(reason)s",
                           reason=shape_problem(current_language()))])
    try:
        # A savepoint: a geometry PostGIS cannot project (far outside the storage CRS's domain)
        # is the user's mistake, not a failed request.
        with conn.transaction():
            row = _one(conn, (
                "WITH g AS (SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326), %s) AS geom) "
                "SELECT ST_GeometryType(geom) AS kind, ST_IsValid(geom) AS valid, "
                "ST_IsValidReason(geom) AS reason, ST_Area(geom) AS area, ST_AsEWKT(ST_Multi(geom)) AS ewkt, "
                "(SELECT bool_and(ST_CoveredBy(g.geom, ST_Buffer(k.geom, 1))) FROM kommune k "
                " WHERE k.kommunenummer = %s) AS inside FROM g"),
                (json.dumps(geometry), storage_srid, kommunenummer))
    except (psycopg.errors.InternalError_, psycopg.errors.DataError) as exc:
        raise SiteError([_("Geometrien kan ikke brukes: %(reason)s",
                           reason=exc.diag.message_primary or str(exc))]) from exc
    assert row is not None
    problems = []
    if row["kind"] not in ("ST_Polygon", "ST_MultiPolygon"):
        raise SiteError([_("Geometrien må være et polygon.")])
    if not row["valid"]:
        if "Self-intersection" in (row["reason"] or ""):
            problems.append(_("Polygonet krysser seg selv (%(where)s). Flytt hjørnene slik at "
                              "kantene ikke krysser hverandre.", where=row["reason"]))
        else:
            problems.append(_("Polygonet er ugyldig: %(reason)s", reason=row["reason"]))
    elif row["inside"] is False:
        problems.append(_("Arealet ligger helt eller delvis utenfor kommunen."))
    area = float(row["area"] or 0)
    if row["valid"] and area <= 0:
        problems.append(_("Polygonet har ikke noe areal."))
    if row["valid"] and stated_area is not None and area > 0 and \
            abs(stated_area - area) / area > tolerance:
        problems.append(_("Oppgitt areal (%(stated)s m²) avviker fra tegnet areal (%(drawn)s m²) "
                          "med mer enn %(pct)s %%.", stated=f"{stated_area:,.0f}".replace(",", " "),
                          drawn=f"{area:,.0f}".replace(",", " "), pct=round(tolerance * 100)))
    if problems:
        raise SiteError(problems)
    return str(row["ewkt"]), area


def _check_values(values: dict[str, Any], current_status: str | None) -> list[str]:
    problems = []
    if "name" in values and not (values["name"] or "").strip():
        problems.append(_("Navn må fylles ut."))
    if "area_m2" in values:
        try:
            if finite_number(values["area_m2"]) <= 0:
                problems.append(_("Arealet må være større enn 0 m²."))
        except (TypeError, ValueError):
            problems.append(_("Arealet må være et tall (m²)."))
    status = values.get("status")
    if status is not None and status not in STATUSES:
        problems.append(_("Ukjent status: %(status)s", status=status))
    elif status is not None and current_status is not None and status != current_status \
            and status not in TRANSITIONS[current_status]:
        problems.append(_("Status kan ikke gå fra %(old)s til %(new)s.", old=current_status,
                          new=status))
    return problems


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key not in EDITABLE or (key == "area_m2" and value in (None, "")):
            continue
        if key in TEXT_FIELDS:
            value = (str(value).strip() or None) if value is not None else None
        elif key == "area_m2" and value not in (None, ""):
            with contextlib.suppress(ValueError):
                value = finite_number(value)
        elif key == "published":
            value = value in (True, "true", "on", "1", 1)
        cleaned[key] = value
    return cleaned


# -- writes -----------------------------------------------------------------------
@dataclass(frozen=True)
class GeometryRules:
    """What a drawn polygon is checked against."""

    storage_srid: int
    kommunenummer: str
    tolerance: float


def create_site(conn: psycopg.Connection, actor: str, values: dict[str, Any],
                geometry: dict[str, Any], rules: GeometryRules) -> int:
    """A new site from a drawn polygon; the stated area defaults to the drawn one."""
    values = _clean(values)
    values.setdefault("status", "ledig")
    values.setdefault("published", False)
    problems = _check_values({"name": values.get("name"), **values}, None)
    if problems:
        raise SiteError(problems)
    stated = values.get("area_m2")
    ewkt, area = check_geometry(conn, geometry, storage_srid=rules.storage_srid,
                                kommunenummer=rules.kommunenummer,
                                stated_area=float(stated) if stated else None,
                                tolerance=rules.tolerance)
    if not stated:
        values["area_m2"] = round(area)
    set_actor(conn, actor, "opprettet")
    columns = list(values)
    row = conn.execute(sql.SQL(
        "INSERT INTO site (site_key, last_verified, {columns}, geom) "
        "VALUES (%s, current_date, {params}, ST_GeomFromEWKT(%s)) RETURNING id").format(
            columns=sql.SQL(", ").join(sql.Identifier(c) for c in columns),
            params=sql.SQL(", ").join(sql.Placeholder() for _c in columns)),
        ("nk-" + secrets.token_hex(5), *values.values(), ewkt)).fetchone()
    assert row is not None
    # The catalogue filters on the stored ABC class: a new site is classified at once.
    after_sites_changed(conn, [int(row[0])])
    return int(row[0])


def _locked_current(conn: psycopg.Connection, site_id: int, expected_version: int | None
                    ) -> dict[str, Any]:
    current = get_site(conn, site_id, lock=True)
    if expected_version is not None and current["version"] != expected_version:
        raise Conflict(site_id, expected_version, current["version"],
                       current["updated_by"] or "?",
                       diff_versions(conn, site_id, expected_version, current["version"]))
    return current


def update_site(conn: psycopg.Connection, actor: str, site_id: int, expected_version: int | None,
                values: dict[str, Any], geometry: dict[str, Any] | None, rules: GeometryRules,
                action: str = "endret") -> int:
    """Save attribute and/or geometry changes; returns the new version number."""
    current = _locked_current(conn, site_id, expected_version)
    values = _clean(values)
    problems = _check_values(values, current["status"])
    if problems:
        raise SiteError(problems)
    stated = float(values.get("area_m2") or current["area_m2"])
    assignments: list[sql.Composable] = [sql.SQL("{} = %s").format(sql.Identifier(c))
                                         for c in values]
    params: list[Any] = list(values.values())
    if geometry is not None:
        ewkt, _area = check_geometry(conn, geometry, storage_srid=rules.storage_srid,
                                     kommunenummer=rules.kommunenummer, stated_area=stated,
                                     tolerance=rules.tolerance)
        assignments.append(sql.SQL("geom = ST_GeomFromEWKT(%s)"))
        params.append(ewkt)
    elif "area_m2" in values and current["geom_area_m2"]:
        drawn = float(current["geom_area_m2"])
        if abs(stated - drawn) / drawn > rules.tolerance:
            raise SiteError([_("Oppgitt areal (%(stated)s m²) avviker fra tegnet areal "
                               "(%(drawn)s m²) med mer enn %(pct)s %%.",
                               stated=f"{stated:,.0f}".replace(",", " "),
                               drawn=f"{drawn:,.0f}".replace(",", " "),
                               pct=round(rules.tolerance * 100))])
    if not assignments:
        return int(current["version"])
    set_actor(conn, actor, action)
    row = conn.execute(sql.SQL("UPDATE site SET {} WHERE id = %s RETURNING version").format(
        sql.SQL(", ").join(assignments)), (*params, site_id)).fetchone()
    assert row is not None
    if geometry is not None:
        # A moved or reshaped site has new distances to stops, roads and centres.
        after_sites_changed(conn, [site_id])
    return int(row[0])


def verify_site(conn: psycopg.Connection, actor: str, site_id: int) -> int:
    """Confirm the entry is still right today ("sist verifisert")."""
    get_site(conn, site_id, lock=True)
    set_actor(conn, actor, "verifisert")
    row = conn.execute("UPDATE site SET last_verified = current_date WHERE id = %s "
                       "RETURNING version", (site_id,)).fetchone()
    assert row is not None
    return int(row[0])


def archive_site(conn: psycopg.Connection, actor: str, site_id: int, expected_version: int | None,
                 reason: str) -> int:
    """Take a site out of the register without deleting it (it stays in the history)."""
    _locked_current(conn, site_id, expected_version)
    set_actor(conn, actor, "arkivert")
    row = conn.execute("UPDATE site SET archived_at = now(), archived_reason = %s, "
                       "published = false WHERE id = %s RETURNING version",
                       (reason, site_id)).fetchone()
    assert row is not None
    return int(row[0])


def restore_version(conn: psycopg.Connection, actor: str, site_id: int, version: int,
                    expected_version: int | None) -> int:
    """Bring back an earlier version's attributes and geometry, as a new version."""
    _locked_current(conn, site_id, expected_version)
    snapshot = conn.execute("SELECT after FROM site_version WHERE site_id = %s AND version = %s "
                            "AND after IS NOT NULL", (site_id, version)).fetchone()
    if snapshot is None:
        raise SiteError([_("Versjon %(version)s finnes ikke for dette arealet.", version=version)])
    data: dict[str, Any] = snapshot[0]
    assignments = [sql.SQL("{} = %s").format(sql.Identifier(c)) for c in RESTORABLE]
    set_actor(conn, actor, f"gjenopprettet versjon {version}")
    row = conn.execute(sql.SQL(
        "UPDATE site SET {}, geom = ST_GeomFromEWKT(%s) WHERE id = %s RETURNING version").format(
            sql.SQL(", ").join(assignments)),
        (*(data.get(c) for c in RESTORABLE), data["geom"], site_id)).fetchone()
    assert row is not None
    return int(row[0])


def split_site(conn: psycopg.Connection, actor: str, site_id: int, expected_version: int | None,
               line: dict[str, Any]) -> list[int]:
    """Cut a site along a drawn line into new sites; the original is archived."""
    current = _locked_current(conn, site_id, expected_version)
    parts = conn.execute(
        "SELECT ST_AsEWKT(ST_Multi((d).geom)), ST_Area((d).geom) FROM ("
        " SELECT ST_Dump(ST_Split(geom, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326), "
        " ST_SRID(geom)))) AS d FROM site WHERE id = %s) s ORDER BY ST_Area((d).geom) DESC",
        (json.dumps(line), site_id)).fetchall()
    if len(parts) < 2:
        raise SiteError([_("Linjen deler ikke arealet: tegn en linje som krysser hele polygonet.")])
    set_actor(conn, actor, f"delt fra {current['site_key']}")
    copied = [c for c in (*TEXT_FIELDS, "status") if c != "name"]
    new_ids = []
    for number, (ewkt, area) in enumerate(parts, start=1):
        row = conn.execute(sql.SQL(
            "INSERT INTO site (site_key, name, area_m2, published, last_verified, fictional, {cols}, "
            "geom) SELECT %s, %s, %s, false, current_date, fictional, {cols}, ST_GeomFromEWKT(%s) "
            "FROM site WHERE id = %s RETURNING id").format(
                cols=sql.SQL(", ").join(sql.Identifier(c) for c in copied)),
            (f"{current['site_key']}-{number}",
             _("%(name)s (del %(number)s)", name=current["name"], number=number),
             round(float(area)), ewkt, site_id)).fetchone()
        assert row is not None
        new_ids.append(int(row[0]))
    archive_site(conn, actor, site_id, None,
                 _("delt i %(keys)s", keys=", ".join(str(i) for i in new_ids)))
    return new_ids


def merge_sites(conn: psycopg.Connection, actor: str, versions: Mapping[int, int | None]) -> int:
    """Join adjoining sites into one new site; the originals are archived."""
    if len(versions) < 2:
        raise SiteError([_("Velg minst to arealer å slå sammen.")])
    currents = [_locked_current(conn, site_id, expected) for site_id, expected in
                sorted(versions.items())]
    row = conn.execute(
        "SELECT ST_NumGeometries(ST_Multi(u)), ST_AsEWKT(ST_Multi(u)), ST_Area(u) FROM "
        "(SELECT ST_Union(geom) AS u FROM site WHERE id = ANY(%s)) s",
        (list(versions),)).fetchone()
    assert row is not None
    if row[0] != 1:
        raise SiteError([_("Arealene henger ikke sammen og kan ikke slås sammen.")])
    first = currents[0]
    set_actor(conn, actor, "slått sammen av " + ", ".join(c["site_key"] for c in currents))
    copied = [c for c in (*TEXT_FIELDS, "status") if c != "name"]
    new = conn.execute(sql.SQL(
        "INSERT INTO site (site_key, name, area_m2, published, last_verified, fictional, {cols}, "
        "geom) SELECT %s, %s, %s, false, current_date, fictional, {cols}, ST_GeomFromEWKT(%s) "
        "FROM site WHERE id = %s RETURNING id").format(
            cols=sql.SQL(", ").join(sql.Identifier(c) for c in copied)),
        ("nk-" + secrets.token_hex(5), first["name"], round(float(row[2])), row[1],
         first["id"])).fetchone()
    assert new is not None
    for current in currents:
        archive_site(conn, actor, current["id"], None,
                     _("slått sammen til %(id)s", id=new[0]))
    return int(new[0])


# -- history ----------------------------------------------------------------------
def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    ignored = {"version", "updated_at", "updated_by", "load_id", "geom_area_m2"}
    keys = sorted(set(before or {}) | set(after or {}))
    return [{"field": key, "before": (before or {}).get(key), "after": (after or {}).get(key)}
            for key in keys if key not in ignored
            and (before or {}).get(key) != (after or {}).get(key)]


def history(conn: psycopg.Connection, site_id: int) -> list[dict[str, Any]]:
    """Every version of a site, newest first, with what changed."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT version, changed_at, changed_by, operation, before, after FROM site_version "
            "WHERE site_id = %s ORDER BY version DESC, id DESC", (site_id,)).fetchall()
    for row in rows:
        row["changes"] = _changes(row["before"], row["after"])
        row["geometry_changed"] = any(c["field"] == "geom" for c in row["changes"])
    return rows


def diff_versions(conn: psycopg.Connection, site_id: int, old: int, new: int
                  ) -> list[dict[str, Any]]:
    """What differs between two versions of a site."""
    rows: dict[int, dict[str, Any]] = dict(conn.execute(
        "SELECT version, after FROM site_version WHERE site_id = %s AND version IN (%s, %s)",
        (site_id, old, new)).fetchall())
    return _changes(rows.get(old), rows.get(new))
