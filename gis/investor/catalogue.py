"""Searching the published sites: filters parsed from a query string, one PostGIS query."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gis.investor.categories import (
    CATEGORIES,
    categories_of,
    codes_for,
    get_category,
    zoning_name,
    zoning_name_en,
)
from gis.sqlfile import sql_file

READINESS = ("ledig_naa", "regulert", "kommuneplan")
STATUSES = ("ledig", "reservert", "under_utbygging", "utbygd")
# What the catalogue lists when the investor picks no status: only what can be had.
AVAILABLE_STATUSES = ("ledig",)
OWNERSHIP = ("kommunal", "privat")
ABC_CLASSES = ("A", "B", "C")
SORTS = ("newest", "area_desc", "area_asc", "distance", "road")
RAIL_DISTANCES_M = (500, 1000, 2000, 5000)
ROAD_DISTANCES_M = (500, 1000, 2000, 5000)
# More sites than any kommune publishes; the catalogue is a complete list, never a page.
MAX_RESULTS = 10_000
AREA_LIMIT_M2 = 1e9


@dataclass(frozen=True)
class Filters:
    """What an investor searches for; None or empty means 'any'."""

    area_min: float | None = None
    area_max: float | None = None
    category: str | None = None
    abc: str | None = None
    tettsted: str | None = None
    readiness: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    ownership: str | None = None
    rail_max_m: int | None = None
    road_max_m: int | None = None
    focus: int | None = None
    sort: str = "newest"

    @property
    def is_empty(self) -> bool:
        """True when nothing narrows the search (the sort order does not)."""
        return self == Filters(sort=self.sort)

    def query_pairs(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs, for links that keep the search."""
        pairs: list[tuple[str, str]] = []
        for key, value in asdict(self).items():
            if key == "sort" and value == "newest":
                continue
            values = value if isinstance(value, tuple | list) else [value]
            for item in values:
                if item is not None and item != "":
                    pairs.append((key, _plain_number(item)))
        return pairs

    def described(self) -> dict[str, Any]:
        """The non-empty filters, for the anonymous unmet-demand log."""
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in asdict(self).items()
                if key != "sort" and value not in (None, (), "")}


def _plain_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class ParsedFilters:
    """Filters from a request, and the names of parameters that were ignored as invalid."""

    filters: Filters
    invalid: list[str] = field(default_factory=list)


def parse_filters(args: Mapping[str, Any], getlist: Callable[[str], Sequence[str]]) -> ParsedFilters:
    """Read filters from query arguments; invalid values are dropped and named, never guessed."""
    invalid: list[str] = []

    def text(name: str, allowed: Sequence[str] | None = None) -> str | None:
        value = str(args.get(name) or "").strip()
        if not value:
            return None
        if allowed is not None and value not in allowed:
            invalid.append(name)
            return None
        return value[:200]

    def number(name: str) -> float | None:
        raw = str(args.get(name) or "").strip().replace(" ", "").replace("\u00a0", "")
        if not raw:
            return None
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            invalid.append(name)
            return None
        if not math.isfinite(value) or value < 0 or value > AREA_LIMIT_M2:
            invalid.append(name)
            return None
        return value

    def whole(name: str, allowed: Sequence[int] | None = None) -> int | None:
        raw = str(args.get(name) or "").strip()
        if not raw:
            return None
        try:
            value = int(raw)
        except ValueError:
            invalid.append(name)
            return None
        if (allowed is not None and value not in allowed) or value < 0 or value > 2**31 - 1:
            invalid.append(name)
            return None
        return value

    def choices(name: str, allowed: Sequence[str]) -> tuple[str, ...]:
        values = tuple(dict.fromkeys(v for v in getlist(name) if v))
        if any(v not in allowed for v in values):
            invalid.append(name)
        return tuple(v for v in values if v in allowed)

    readiness = choices("readiness", READINESS)
    status = choices("status", STATUSES)
    area_min, area_max = number("area_min"), number("area_max")
    if area_min is not None and area_max is not None and area_min > area_max:
        invalid.append("area_max")
        area_max = None
    filters = Filters(
        area_min=area_min, area_max=area_max,
        category=text("category", [c.key for c in CATEGORIES]),
        abc=text("abc", ABC_CLASSES), tettsted=text("tettsted"), readiness=readiness,
        status=status,
        ownership=text("ownership", OWNERSHIP),
        rail_max_m=whole("rail_max_m", RAIL_DISTANCES_M),
        road_max_m=whole("road_max_m", ROAD_DISTANCES_M), focus=whole("focus"),
        sort=text("sort", SORTS) or "newest")
    return ParsedFilters(filters, invalid)


def search_sites(conn: psycopg.Connection, filters: Filters, *, with_geometry: bool = False,
                 keys: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Published sites matching the filters (public columns only), in the chosen order.

    Without a status filter a search lists only available sites; looking sites up by key
    (fact sheet, comparison) finds them whatever their status.
    """
    statuses = filters.status or (AVAILABLE_STATUSES if keys is None else ())
    params = {
        "area_min": filters.area_min, "area_max": filters.area_max,
        "codes": list(codes_for(filters.category)) if filters.category else None,
        "abc": filters.abc, "tettsted": filters.tettsted,
        "readiness": list(filters.readiness) or None, "statuses": list(statuses) or None,
        "ownership": filters.ownership,
        "rail_max_m": filters.rail_max_m, "road_max_m": filters.road_max_m,
        "focus": filters.focus,
        "keys": list(keys) if keys is not None else None,
        "sort": filters.sort, "limit": MAX_RESULTS, "with_geometry": with_geometry,
    }
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute(sql_file("gis.investor", "catalogue.sql"), params).fetchall()
    for row in rows:
        row["uses"] = [category.key for category in categories_of(row["zoning_code"])]
        row["zoning_name"] = zoning_name(row["zoning_code"])
        row["zoning_name_en"] = zoning_name_en(row["zoning_code"])
        if isinstance(row["focus_areas"], str):
            row["focus_areas"] = json.loads(row["focus_areas"])
    return rows


@dataclass(frozen=True)
class FilterOptions:
    """What the filter form offers: only choices the data can satisfy."""

    tettsteder: list[str]
    categories: list[str]
    abc_classes: list[str]
    focus_areas: list[dict[str, Any]]
    has_rail_stations: bool
    has_road_junctions: bool = False
    has_ports: bool = False


def filter_options(conn: psycopg.Connection) -> FilterOptions:
    """Choices for the form, read from the published data."""
    tettsteder = [r[0] for r in conn.execute(
        "SELECT DISTINCT tettsted FROM site WHERE published AND tettsted IS NOT NULL "
        "ORDER BY tettsted").fetchall()]
    codes = {r[0] for r in conn.execute(
        "SELECT DISTINCT zoning_code FROM site WHERE published AND zoning_code IS NOT NULL")}
    categories = [c.key for c in CATEGORIES if set(codes_for(c.key)) & codes]
    abc_classes = [r[0] for r in conn.execute(
        "SELECT DISTINCT a.abc_class FROM site_accessibility a JOIN site s ON s.id = a.site_id "
        "WHERE s.published AND a.abc_class IS NOT NULL ORDER BY 1").fetchall()]
    with conn.cursor(row_factory=dict_row) as cursor:
        focus_areas = cursor.execute(
            "SELECT id, name_nb, name_en FROM focus_area ORDER BY name_nb").fetchall()
    has_rail = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM transit_stop WHERE mode = 'rail')").fetchone()
    loaded = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM road_junction), "
        "EXISTS (SELECT 1 FROM transit_stop WHERE mode = 'ferry')").fetchone()
    return FilterOptions(tettsteder, categories, abc_classes, focus_areas,
                         bool(has_rail and has_rail[0]),
                         has_road_junctions=bool(loaded and loaded[0]),
                         has_ports=bool(loaded and loaded[1]))


# Distinct searches kept per day; beyond it they are counted in one "other" row, so random
# queries cannot grow the table faster than this many rows a day.
UNMET_DEMAND_SIGNATURES_PER_DAY = 200
OTHER_SIGNATURE = "other"


def log_unmet_demand(conn: psycopg.Connection, filters: Filters,
                     max_signatures: int = UNMET_DEMAND_SIGNATURES_PER_DAY) -> None:
    """Count an empty search anonymously: the filters only, one row per filters and day."""
    category = get_category(filters.category or "")
    described = json.dumps(filters.described(), ensure_ascii=False, sort_keys=True)
    signature = hashlib.sha256(described.encode("utf-8")).hexdigest()
    values: tuple[Any, ...] = (filters.area_min, filters.area_max,
                               category.key if category else None, filters.tettsted, described)
    counted = conn.execute(
        "UPDATE unmet_demand SET searches = searches + 1 "
        "WHERE day = current_date AND signature = %s", (signature,))
    if counted.rowcount:
        return
    row = conn.execute("SELECT count(*) FROM unmet_demand WHERE day = current_date "
                       "AND signature <> %s", (OTHER_SIGNATURE,)).fetchone()
    if row and row[0] >= max_signatures:
        signature, values = OTHER_SIGNATURE, (None, None, None, None, '{"other": true}')
    conn.execute(
        "INSERT INTO unmet_demand (day, signature, area_min_m2, area_max_m2, category, tettsted, "
        "filters) VALUES (current_date, %s, %s, %s, %s, %s, %s::jsonb) "
        "ON CONFLICT (day, signature) DO UPDATE SET searches = unmet_demand.searches + 1",
        (signature, *values))
