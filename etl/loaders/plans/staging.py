"""Plans and their areas staged, checked, repaired and published: each plan in the file
retires the current version of the same plan."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import shapely
from psycopg import sql

from etl.errors import LoadError
from etl.loaders.plans.features import (
    PLAN_OBJECTS,
    PlanRecord,
    RawFeature,
    area_code,
    object_type_of,
    plan_key_of,
)
from etl.publish import staging
from etl.publish.values import check_geometries, convert
from etl.readers.vector import check_plausible_extent
from etl.runs import Counts, Progress
from etl.sources import FieldType
from gis import codes

_PLAN_COLUMNS: list[tuple[str, FieldType]] = [
    ("nasjonal_arealplan_id", "text"), ("kommunenummer", "text"),
    ("planidentifikasjon", "text"), ("plannavn", "text"), ("plantype", "int"),
    ("planstatus", "int"), ("ikrafttredelsesdato", "date"), ("vedtaksdato", "date")]
_AREA_COLUMNS: list[tuple[str, FieldType]] = [
    ("nasjonal_arealplan_id", "text"), ("code", "text"), ("code_list", "text"),
    ("code_name", "text"), ("category", "text"), ("code_known", "bool"),
    ("arealbruksstatus", "int"), ("feltnavn", "text"), ("utnytting_type", "int"),
    ("utnytting_tall", "numeric"), ("eierform", "text")]
_BOUNDARY_COLUMNS: list[tuple[str, FieldType]] = [("nasjonal_arealplan_id", "text")]


def stage_and_publish(conn: psycopg.Connection, path: Path, epsg: int,
                      features: Iterator[RawFeature], run_id: int, storage_srid: int,
                      counts: Counts, progress: Progress | None,
                      links: dict[str, list[str]]) -> None:
    """Stage the file's plans and areas, check and repair them, and publish them."""
    plans: dict[str, PlanRecord] = {}
    areas_stage = staging.create_stage(conn, f"stage_plan_area_{run_id}", _AREA_COLUMNS)
    bounds_stage = staging.create_stage(conn, f"stage_plan_bounds_{run_id}", _BOUNDARY_COLUMNS)
    where: dict[int, str] = {}
    area_rows: list[tuple[Any, ...]] = []
    boundary_rows: list[tuple[Any, ...]] = []
    unknown: dict[str, int] = {}
    extent = [math.inf, math.inf, -math.inf, -math.inf]
    # Plan objects and areas that carry no NasjonalArealplanId themselves: national plan GML
    # links them to their Arealplan (xlink:href), other files hold a single plan.
    unresolved: list[RawFeature] = []
    plan_of_gml_id: dict[str, str] = {}

    def add(feature: RawFeature, plan_key: str) -> None:
        record = plans.setdefault(plan_key, PlanRecord())
        record.absorb(feature)
        is_plan = object_type_of(feature) in PLAN_OBJECTS
        code = None
        if not is_plan:
            plantype = record.values.get("plantype")
            code = area_code(feature, plantype if plantype is not None else feature.get("plantype"))
            if code is None:
                return
        if feature.geometry is None and is_plan:
            return  # an Arealplan object: attributes only, its boundary is the RpOmråde
        serial = len(where) + 1
        where[serial] = feature.where
        wkb, needs_repair = _checked_wkb(feature, serial, where)
        if feature.geometry is not None and not feature.geometry.is_empty:
            x0, y0, x1, y1 = feature.geometry.bounds
            extent[:] = [min(extent[0], x0), min(extent[1], y0), max(extent[2], x1),
                         max(extent[3], y1)]
        if is_plan:
            boundary_rows.append((serial, plan_key.replace("|", "", 1), wkb, needs_repair))
            return
        assert code is not None
        resolved = codes.land_use(code[1], code[0])
        if not resolved.known and resolved.warning:
            unknown[resolved.warning] = unknown.get(resolved.warning, 0) + 1
        area_rows.append(_area_row(feature, serial, plan_key, resolved, wkb, needs_repair))

    for feature in features:
        counts.read += 1
        if progress and counts.read % 1000 == 0:
            progress(counts.read)
        is_plan = object_type_of(feature) in PLAN_OBJECTS
        if not is_plan and area_code(feature, feature.get("plantype")) is None:
            continue  # borders, texts and other objects that are not plan areas
        if feature.get("planidentifikasjon") is None and feature.get("kommunenummer") is None:
            unresolved.append(feature)
            continue
        plan_key = plan_key_of(feature)
        gml_id = feature.attributes.get("gml_id")
        if gml_id:
            plan_of_gml_id[str(gml_id)] = plan_key
        add(feature, plan_key)
    for feature in unresolved:
        add(feature, _linked_plan(feature, plan_of_gml_id, links, plans))
    if not plans:
        raise LoadError(f"{path.name}: no plan or plan area found (expected e.g. RpOmråde, "
                        "RpArealformålOmråde, KpArealformålOmråde, RbFormålOmråde)")
    # SOSI and one-pass formats give no extent up front: check it before anything is published.
    found = tuple(extent) if math.isfinite(extent[0]) else None
    check_plausible_extent(path, epsg, found)
    staging.check_near_kommune(conn, path.name, epsg, found, storage_srid)
    counts.rejected = 0
    counts.warnings += [f"{message} ({n}×)" for message, n in unknown.items()]
    staging.copy_rows(conn, areas_stage, _AREA_COLUMNS, area_rows)
    staging.copy_rows(conn, bounds_stage, _BOUNDARY_COLUMNS, boundary_rows)

    def describe(fid: int) -> str:
        return where.get(fid, f"{path.name}: feature {fid}")

    counts.repaired = (
        staging.repair(conn, areas_stage, "MULTIPOLYGON", epsg, describe, counts.warnings)
        + staging.repair(conn, bounds_stage, "MULTIPOLYGON", epsg, describe, counts.warnings))
    plan_stage = staging.create_stage(conn, f"stage_plan_{run_id}", _PLAN_COLUMNS)
    staging.copy_rows(conn, plan_stage, _PLAN_COLUMNS, _plan_rows(plans, path))
    counts.written = _publish(conn, plan_stage, areas_stage, bounds_stage, run_id, epsg,
                              storage_srid)
    for stage in (plan_stage, areas_stage, bounds_stage):
        staging.drop_stage(conn, stage)


def _linked_plan(feature: RawFeature, plan_of_gml_id: dict[str, str],
                 links: dict[str, list[str]], plans: dict[str, PlanRecord]) -> str:
    """The plan a feature without NasjonalArealplanId belongs to: by its links, else the only one."""
    start = feature.attributes.get("gml_id")
    seen: set[str] = set()
    frontier = [str(start)] if start else []
    while frontier:  # area → RpOmråde → Arealplan: follow links breadth first
        gml_id = frontier.pop(0)
        if gml_id in seen:
            continue
        seen.add(gml_id)
        if gml_id in plan_of_gml_id and gml_id != start:
            return plan_of_gml_id[gml_id]
        frontier += links.get(gml_id, [])
    if len(plans) == 1:
        return next(iter(plans))
    found = "no plan" if not plans else f"{len(plans)} plans"
    raise LoadError(f"{feature.where}: no NasjonalArealplanId (kommunenummer and "
                    f"planidentifikasjon), no link to its plan, and the file holds {found}; "
                    "give the plan with --plan-id KOMMUNENUMMER/PLANID")


def _checked_wkb(feature: RawFeature, serial: int, where: dict[int, str]) -> tuple[bytes, bool]:
    geometry = feature.geometry
    if geometry is not None and shapely.has_z(geometry):
        geometry = shapely.force_2d(geometry)  # plan GML 5.0 writes srsDimension="3", height 0
    wkb = np.array([None if geometry is None else shapely.to_wkb(geometry)], dtype=object)
    flags = check_geometries(wkb, "MULTIPOLYGON", lambda _: feature.where)
    return wkb[0], bool(flags[0])


def _area_row(feature: RawFeature, serial: int, plan_key: str, resolved: codes.LandUse,
              wkb: bytes, needs_repair: bool) -> tuple[Any, ...]:
    def value(logical: str, type_: FieldType) -> Any:
        return convert([feature.get(logical)], type_, logical, False,
                       lambda _: feature.where)[0]

    return (serial, plan_key.replace("|", "", 1), resolved.code, resolved.code_list,
            resolved.name, resolved.category, resolved.known, value("arealbruksstatus", "int"),
            value("feltnavn", "text"),
            value("utnytting_type", "int"), value("utnytting_tall", "numeric"),
            value("eierform", "text"), wkb, needs_repair)


def _plan_rows(plans: dict[str, PlanRecord], path: Path) -> Iterator[tuple[Any, ...]]:
    for serial, (key, record) in enumerate(plans.items(), start=1):
        kommune, plan_id = key.split("|", 1)
        where = f"{path.name}: plan {kommune}{plan_id}"
        converted = [convert([record.values.get(column)], type_, column, False,
                             lambda _, w=where: w)[0]  # type: ignore[misc]
                     for column, type_ in _PLAN_COLUMNS[3:]]
        yield (serial, kommune + plan_id, kommune, plan_id, *converted, None, False)


def _publish(conn: psycopg.Connection, plan_stage: sql.Identifier, areas: sql.Identifier,
             bounds: sql.Identifier, run_id: int, epsg: int, storage_srid: int) -> int:
    """Retire the current versions of these plans and insert the new ones with their areas."""
    geometry = staging.geometry_sql("MULTIPOLYGON", epsg, storage_srid)
    conn.execute(sql.SQL(
        "UPDATE plan SET is_current = false, replaced_at = now() WHERE is_current AND "
        "nasjonal_arealplan_id IN (SELECT nasjonal_arealplan_id FROM {})").format(plan_stage))
    # The plan boundary: its own polygons, or else the union of its areas.
    conn.execute(sql.SQL(
        "INSERT INTO plan (nasjonal_arealplan_id, kommunenummer, planidentifikasjon, plannavn, "
        "plantype, planstatus, ikrafttredelsesdato, vedtaksdato, version, is_current, load_id, "
        "geom) "
        "SELECT s.nasjonal_arealplan_id, s.kommunenummer, s.planidentifikasjon, s.plannavn, "
        "s.plantype, s.planstatus, s.ikrafttredelsesdato, s.vedtaksdato, "
        "COALESCE((SELECT max(version) FROM plan p WHERE p.nasjonal_arealplan_id = "
        "s.nasjonal_arealplan_id), 0) + 1, true, %s, "
        "ST_Multi(ST_CollectionExtract(ST_MakeValid(COALESCE("
        "(SELECT ST_Union({geometry}) FROM {bounds} b WHERE b.nasjonal_arealplan_id = "
        "s.nasjonal_arealplan_id ), "
        "(SELECT ST_Union({geometry}) FROM {areas} a WHERE a.nasjonal_arealplan_id = "
        "s.nasjonal_arealplan_id))), 3)) "
        "FROM {plans} s").format(geometry=geometry, bounds=bounds, areas=areas, plans=plan_stage),
        (run_id,))
    cursor = conn.execute(sql.SQL(
        "INSERT INTO plan_area (plan_id, code, code_list, code_name, category, code_known, "
        "arealbruksstatus, feltnavn, utnytting_type, utnytting_tall, eierform, geom) "
        "SELECT p.id, a.code, a.code_list, a.code_name, a.category, a.code_known, "
        "a.arealbruksstatus, a.feltnavn, a.utnytting_type, a.utnytting_tall, a.eierform, "
        "{geometry} FROM {areas} a JOIN plan p ON p.is_current AND p.nasjonal_arealplan_id = "
        "a.nasjonal_arealplan_id ORDER BY a.fid").format(
            geometry=geometry, areas=areas))
    areas_written = cursor.rowcount
    plans_written = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(plan_stage)).fetchone()
    return areas_written + int(plans_written[0] if plans_written else 0)
