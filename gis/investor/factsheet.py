"""Everything the fact sheet of one published site shows, each part one PostGIS query."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gis.abc.zoning import ZoningPurpose, purpose_of, zoning_table
from gis.codes import CODE_LISTS, colour
from gis.codes.english import building_type_en, purpose_name_en
from gis.investor.catalogue import Filters, search_sites
from gis.investor.categories import categories_of
from gis.sqlfile import sql_file

NEARBY_CENTRE_RADIUS_M = 5000
NEARBY_CENTRE_COUNT = 3
# The fact-sheet map's window: at least this many metres across, centred on the site.
CONTEXT_WINDOW_M = 1000


@cache
def building_type_names() -> dict[str, str]:
    """NS 3457-3 building type names by code (copied from the national code list)."""
    text = resources.files("gis.investor").joinpath("ns3457_bygningstype.csv").read_text("utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


# plan_area.code_list as loaded (rp2008, kpa2008, rb1985, kp1985) is the compatibility table's.
def plan_purpose(code_list: str | None, code: str | None) -> ZoningPurpose | None:
    """The purpose of a plan area's code in its own code list (else by the code alone)."""
    if not code:
        return None
    for purpose in zoning_table():
        if purpose.code_list == code_list and purpose.code == str(code).strip():
            return purpose
    return purpose_of(str(code))


@dataclass
class FactSheet:
    """One site's public facts."""

    site: dict[str, Any]
    geometry: dict[str, Any]
    contact: dict[str, Any] | None
    plans: list[dict[str, Any]] = field(default_factory=list)
    centres: list[dict[str, Any]] = field(default_factory=list)
    tettsted: dict[str, Any] | None = None
    buildings: list[dict[str, Any]] = field(default_factory=list)
    focus_areas: list[dict[str, Any]] = field(default_factory=list)
    accessibility: dict[str, Any] | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    context: list[dict[str, Any]] = field(default_factory=list)

    @property
    def zoning_conflicts(self) -> list[dict[str, Any]]:
        """Plan areas on the site whose purpose allows none of the business the site's own
        zoning code stands for (site says 1310 Kontor, a plan area says 3040 Friområde)."""
        site_uses = {c.key for c in categories_of(self.site.get("zoning_code"))}
        if not site_uses:
            return []
        conflicts = []
        for plan in self.plans:
            purpose = plan_purpose(plan["code_list"], plan["code"])
            if purpose is None or purpose.allows & site_uses:
                continue
            conflicts.append(plan)
        return conflicts

    @property
    def allowed_floor_area(self) -> dict[str, Any] | None:
        """What the most detailed plan that sets utnytting allows on the site, summed over its
        plan areas: {'measure': 'BRA' or 'BYA', 'm2': …, 'plan': name}; None when no plan sets it.
        BRA (floor area) is preferred over BYA (built-up area) when a plan gives both."""
        for measure, types in (("BRA", (17, 18)), ("BYA", (15, 16))):
            rows = [p for p in self.plans
                    if p["utnytting_type"] in types and p["allowed_m2"] is not None]
            if rows:
                plan = rows[0]["planidentifikasjon"]
                same = [p for p in rows if p["planidentifikasjon"] == plan]
                return {"measure": measure, "m2": sum(int(p["allowed_m2"]) for p in same),
                        "plan": rows[0]["plannavn"] or plan}
        return None

    @property
    def building_count(self) -> int:
        """Buildings standing on the site."""
        return sum(int(row["count"]) for row in self.buildings)


def _rows(conn: psycopg.Connection, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(query, params).fetchall()


def fact_sheet(conn: psycopg.Connection, site_key: str) -> FactSheet | None:
    """The fact sheet of a published site, or None when there is no such published site."""
    found = search_sites(conn, Filters(), with_geometry=True, keys=[site_key])
    if not found:
        return None
    site = found[0]
    geometry = site.pop("geometry")
    if isinstance(geometry, str):
        geometry = json.loads(geometry)
    internal = _rows(conn, "SELECT id, contact_public, contact_name, contact_email, contact_phone "
                           "FROM site WHERE site_key = %(key)s", {"key": site_key})[0]
    site_id = internal["id"]
    contact = None
    if internal["contact_public"]:
        contact = {k: internal[f"contact_{k}"] for k in ("name", "email", "phone")}
    params = {"site_id": site_id, "radius": NEARBY_CENTRE_RADIUS_M, "count": NEARBY_CENTRE_COUNT}
    sheet = FactSheet(site=site, geometry=geometry, contact=contact)
    sheet.plans = _current_plans(conn, site_id)
    sheet.centres = _rows(conn, """
        SELECT c.name, c.level, round(ST_Distance(c.geom, s.geom))::int AS distance_m
        FROM site s JOIN centre c ON ST_DWithin(c.geom, s.geom, %(radius)s)
        WHERE s.id = %(site_id)s ORDER BY ST_Distance(c.geom, s.geom) LIMIT %(count)s""", params)
    tettsted = _rows(conn, """
        SELECT t.tettstednummer, t.name, t.population,
               w.value::float8 AS workplaces, w.year AS workplaces_year,
               w.fictional AS workplaces_fictional
        FROM site s
        JOIN tettsted t ON ST_Intersects(t.geom, ST_PointOnSurface(s.geom))
        LEFT JOIN LATERAL (
            SELECT value, year, fictional FROM statistic
            WHERE indicator = 'arbeidsplasser' AND region_type = 'tettsted'
              -- Loaders file tettsted rows under the name; tettstednummer is accepted too.
              AND region IN (t.tettstednummer, t.name) AND kind = 'result' AND value IS NOT NULL
            ORDER BY year DESC LIMIT 1) w ON true
        WHERE s.id = %(site_id)s
        ORDER BY ST_Area(t.geom) LIMIT 1""", params)
    sheet.tettsted = tettsted[0] if tettsted else None
    sheet.buildings = _rows(conn, """
        SELECT b.bygningstype, count(*) AS count
        FROM site s JOIN building b ON ST_Intersects(b.geom, s.geom)
        WHERE s.id = %(site_id)s
        GROUP BY b.bygningstype ORDER BY count(*) DESC, b.bygningstype""", params)
    names = building_type_names()
    for row in sheet.buildings:
        row["type_name"] = names.get(row["bygningstype"] or "")
        row["type_name_en"] = building_type_en(row["bygningstype"])
    sheet.focus_areas = _rows(conn, """
        SELECT f.id, f.name_nb, f.name_en, f.text_nb, f.text_en, f.illustrative
        FROM site s JOIN focus_area f ON ST_Intersects(f.geom, ST_PointOnSurface(s.geom))
        WHERE s.id = %(site_id)s ORDER BY f.name_nb""", params)
    accessibility = _rows(conn, """
        SELECT abc_class, transit_class, nearest_stop_name,
               round(nearest_stop_distance_m)::int AS nearest_stop_distance_m, computed_at,
               transit_stop_name, round(transit_stop_distance_m)::int AS transit_stop_distance_m,
               distance_method, detour_factor::float8 AS detour_factor,
               coalesce(transit_stop_method, distance_method) AS transit_stop_method
        FROM site_accessibility WHERE site_id = %(site_id)s""", params)
    sheet.accessibility = accessibility[0] if accessibility else None
    sheet.context = site_context(conn, site_id)
    sheet.sources = _rows(conn, """
        SELECT DISTINCT ON (source) source, file_name, finished_at
        FROM load_run WHERE status = 'published'
        ORDER BY source, finished_at DESC""", {})
    return sheet


def _current_plans(conn: psycopg.Connection, site_id: int) -> list[dict[str, Any]]:
    plans = _rows(conn, sql_file("gis.investor", "factsheet_plans.sql"), {"site_id": site_id})
    for plan in plans:
        plan["code_name_en"] = purpose_name_en(plan["code"], plan["code_list"])
    return plans


def plan_facts(conn: psycopg.Connection, site: dict[str, Any]) -> FactSheet:
    """Only the current plans of a published site (from `search_sites`): enough for what they
    allow on it and where they conflict with its zoning, as the compare page shows."""
    found = _rows(conn, "SELECT id FROM site WHERE site_key = %(key)s", {"key": site["site_key"]})
    sheet = FactSheet(site=site, geometry={}, contact=None)
    if found:
        sheet.plans = _current_plans(conn, found[0]["id"])
    return sheet


def was_withdrawn(conn: psycopg.Connection, site_key: str) -> bool:
    """True for a site the kommune withdrew or archived: its address is gone, not unknown."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM site WHERE site_key = %s "
        "AND (status = 'trukket_tilbake' OR archived_at IS NOT NULL))", (site_key,)).fetchone()
    return bool(row and row[0])


def site_context(conn: psycopg.Connection, site_id: int) -> list[dict[str, Any]]:
    """The map's context around a site: zoning (with its official fill colour), buildings,
    stations and stops, main-road junctions and the site itself."""
    rows = _rows(conn, sql_file("gis.investor", "factsheet_context.sql"),
                 {"site_id": site_id, "window": CONTEXT_WINDOW_M})
    for row in rows:
        for key in ("geometry", "geometry_m", "window_m"):
            if isinstance(row[key], str):
                row[key] = json.loads(row[key])
        row["fill"] = None
        if row["kind"] == "zoning":
            code_list = row["code_list"] if row["code_list"] in CODE_LISTS else (
                "rp2008" if len(str(row["code"])) == 4 else "rb1985")
            found = colour(code_list, row["code"], row["arealbruksstatus"])
            row["fill"] = found.fill if found and found.fill else "#cccccc"
    return rows
