"""Accessibility of sites and of any point or polygon: transit quality (ÖV-Güteklassen), road
access, centre and ABC class, computed in PostGIS and stored in `site_accessibility`.

`refresh_site_accessibility(conn)` recomputes everything derived from stops, junctions, centres,
sites and the walking network; loaders call it (through `refresh_after_load`) in the load's own
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import sql

from gis.abc.network import (
    NETWORK,
    STRAIGHT_LINE_DETOUR,
    drop_walk_tables,
    prepare_stop_reach,
    prepare_walks,
    rebuild_topology,
    sql_file,
)
from gis.abc.settings import AbcSettings, default_abc_settings

# Tables whose change makes the stored accessibility stale.
SOURCE_TABLES = frozenset({"transit_stop", "road_junction", "centre", "site", "kommune",
                           "walk_path"})

_COLUMNS = ("abc_class", "transit_class", "transit_stop_name", "transit_stop_category",
            "transit_stop_distance_m", "nearest_stop_name", "nearest_stop_distance_m",
            "nearest_rail_name", "nearest_rail_distance_m", "road_junction_name",
            "road_vegnummer", "road_distance_m", "centre_name", "centre_level",
            "centre_distance_m", "centre_inside", "distance_method", "detour_factor",
            "transit_stop_method", "nearest_stop_method", "nearest_rail_method", "reasons")


class GeometryError(ValueError):
    """A geometry asked about that is not usable GeoJSON (the message says why)."""



def _settings(settings: AbcSettings | None) -> AbcSettings:
    return settings if settings is not None else default_abc_settings()


def stop_parameters(settings: AbcSettings) -> dict[str, Any]:
    """Bind parameters for the stop-category SQL."""
    transit = settings.transit
    groups, limits, categories = [], [], []
    for group, row in transit.categories.items():
        for limit, category in zip(transit.headway_limits_min, row, strict=True):
            groups.append(group)
            limits.append(float(limit))
            categories.append(category)
    return {
        "cat_groups": groups, "cat_limits": limits, "cat_categories": categories,
        "hubs": [name.lower() for name in transit.rail_hubs],
        "hub_min_dph": float(transit.rail_hub_min_departures_per_hour),
        "use_mean_headway": transit.headway_from == "mean_headway_min",
        "directions": float(transit.departures_directions),
        "group_modes": list(transit.mode_groups), "group_names": list(transit.mode_groups.values()),
    }


def class_parameters(settings: AbcSettings) -> dict[str, Any]:
    """Bind parameters for the ring/class rules and the ABC rules."""
    transit, rules = settings.transit, settings.rules
    categories, rings, classes = [], [], []
    for category, row in transit.classes.items():
        for ring, quality in zip(transit.rings_m, row, strict=True):
            if quality:
                categories.append(category)
                rings.append(float(ring))
                classes.append(quality)
    return {
        "cls_categories": categories, "cls_rings": rings, "cls_classes": classes,
        "detour": float(transit.detour_factor), "reach_m": float(transit.max_reach_m),
        "distance_method": STRAIGHT_LINE_DETOUR, "network_method": NETWORK,
        "snap_m": float(transit.network_snap_m),
        "roads": list(rules.roads),
        "a_classes": list(rules.a_transit_classes), "a_levels": list(rules.a_centre_levels),
        "a_centre_max_m": float(rules.a_centre_max_m),
        "b_classes": list(rules.b_transit_classes), "b_road_max_m": float(rules.b_road_max_m),
        "c_road_max_m": float(rules.c_road_max_m),
    }


def refresh_stop_categories(conn: psycopg.Connection, settings: AbcSettings | None = None) -> int:
    """Recompute every stop's group, headway and category; returns the stop count."""
    conn.execute("DELETE FROM transit_stop_quality")
    return conn.execute(sql_file("stop_quality.sql"), stop_parameters(_settings(settings))).rowcount


def refresh_quality_areas(conn: psycopg.Connection, settings: AbcSettings | None = None) -> int:
    """Recompute the transit-quality areas (within reach of the kommune, when it is loaded):
    along the walking network around stops on it, straight-line rings around the others."""
    params = class_parameters(_settings(settings))
    with conn.transaction():
        conn.execute("DELETE FROM transit_quality_area")
        prepare_stop_reach(conn, params)
        count = conn.execute(sql_file("quality_areas.sql"), params).rowcount
        drop_walk_tables(conn)
    return count


def refresh_stop_quality(conn: psycopg.Connection, settings: AbcSettings | None = None) -> int:
    """Recompute every stop's category and the transit-quality areas; returns the stop count."""
    settings = _settings(settings)
    count = refresh_stop_categories(conn, settings)
    refresh_quality_areas(conn, settings)
    return count


def _classify(targets: sql.Composable) -> sql.Composed:
    return sql.SQL(sql_file("classify.sql")).format(targets=targets)


def refresh_site_accessibility(conn: psycopg.Connection, settings: AbcSettings | None = None, *,
                               site_ids: Sequence[int] | None = None,
                               stops_changed: bool = True) -> int:
    """Recompute the stored accessibility of every site (or of `site_ids`); returns the row count.

    Runs in the caller's transaction: a load and its refresh commit or fail together.
    """
    with conn.transaction():
        return _refresh_site_accessibility(conn, _settings(settings), site_ids, stops_changed)


def without_jit(conn: psycopg.Connection) -> None:
    """Switch JIT off for the current transaction: the many small nearest-neighbour lookups
    look expensive to the planner, and compiling them costs seconds while saving nothing."""
    conn.execute("SELECT set_config('jit', 'off', true)")


def _refresh_site_accessibility(conn: psycopg.Connection, settings: AbcSettings,
                                site_ids: Sequence[int] | None, stops_changed: bool) -> int:
    without_jit(conn)
    if stops_changed:
        refresh_stop_quality(conn, settings)
    params = class_parameters(settings)
    if site_ids is None:
        targets = sql.SQL("SELECT id, geom FROM site")
        conn.execute("DELETE FROM site_accessibility")
    else:
        targets = sql.SQL("SELECT id, geom FROM site WHERE id = ANY(%(site_ids)s::int[])")
        params["site_ids"] = list(site_ids)
    prepare_walks(conn, targets, params)
    names = sql.SQL(", ").join(sql.Identifier(c) for c in _COLUMNS)
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in (*_COLUMNS, "computed_at"))
    statement = sql.SQL(
        "INSERT INTO site_accessibility (site_id, {names}, computed_at) "
        "SELECT id, {names}, now() FROM ({classify}) AS classified "
        "ON CONFLICT (site_id) DO UPDATE SET {updates}"
    ).format(names=names, classify=_classify(targets), updates=updates)
    return conn.execute(statement, params).rowcount


def refresh_after_load(conn: psycopg.Connection, tables: Iterable[str]) -> None:
    """The hook loaders call after publishing: refresh when a source of the analysis changed."""
    changed = set(tables) & SOURCE_TABLES
    if "walk_path" in changed:
        rebuild_topology(conn)
    if changed == {"kommune"}:
        refresh_quality_areas(conn)
    elif changed:
        # The areas follow the stops, the kommune's extent and the network they are drawn along.
        refresh_site_accessibility(conn, stops_changed="transit_stop" in changed)
        if changed & {"kommune", "walk_path"} and "transit_stop" not in changed:
            refresh_quality_areas(conn)


@dataclass(frozen=True)
class Accessibility:
    """The accessibility of one place, as stored for sites."""

    abc_class: str | None
    transit_class: str | None
    values: dict[str, Any]
    reasons: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict (numbers as floats)."""
        out = {key: float(v) if isinstance(v, Decimal) else v for key, v in self.values.items()}
        out["reasons"] = self.reasons
        return out


def _geometry_json(geometry: dict[str, Any] | str) -> str:
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except json.JSONDecodeError as exc:
            raise GeometryError(f"geometry is not valid JSON: {exc.msg}") from None
    if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Point", "Polygon", "MultiPolygon"):
        raise GeometryError("geometry must be a GeoJSON Point, Polygon or MultiPolygon")
    return json.dumps(geometry)


def accessibility_of_geometry(conn: psycopg.Connection, geometry: dict[str, Any] | str, *,
                              storage_srid: int,
                              settings: AbcSettings | None = None) -> Accessibility:
    """The accessibility of any point or polygon given as GeoJSON in lon/lat (EPSG:4326)."""
    settings = _settings(settings)
    params = class_parameters(settings)
    params["geojson"] = _geometry_json(geometry)
    params["srid"] = storage_srid
    try:
        with conn.transaction():
            check = conn.execute(
                "SELECT ST_IsValid(g), ST_IsEmpty(g), ST_XMin(g) >= -180 AND ST_XMax(g) <= 180 "
                "AND ST_YMin(g) >= -90 AND ST_YMax(g) <= 90 "
                "FROM (SELECT ST_GeomFromGeoJSON(%(geojson)s) AS g) x", params).fetchone()
    except psycopg.Error as exc:
        raise GeometryError(f"geometry is not readable GeoJSON: {exc.diag.message_primary}") from None
    if check is None or not check[0] or check[1]:
        raise GeometryError("geometry is empty or not valid")
    if not check[2]:
        raise GeometryError("geometry must be in lon/lat (EPSG:4326)")
    targets = sql.SQL(
        "SELECT 0 AS id, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(%(geojson)s), 4326), "
        "%(srid)s::int) AS geom")
    with conn.transaction():
        without_jit(conn)
        prepare_walks(conn, targets, params)
        cursor = conn.execute(_classify(targets), params)
        row = cursor.fetchone()
        names = [d.name for d in cursor.description or []]
    assert row is not None
    values = dict(zip(names, row, strict=True))
    values.pop("id")
    reasons = values.pop("reasons")
    return Accessibility(values["abc_class"], values["transit_class"], values, list(reasons))
