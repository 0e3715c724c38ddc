"""Plans (kommuneplanens arealdel, reguleringsplaner of PBL 2008 and 1985) from SOSI, national
plan GML, GeoJSON, GeoPackage or Shapefile into `plan` and `plan_area`.

Every file is normalised to plan records (NasjonalArealplanId = kommunenummer +
planidentifikasjon) and plan areas whose codes are resolved against their code list. A plan
already loaded gets a new version: the old rows stay with is_current = false.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pyogrio
import shapely
from psycopg import sql
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.geometry.base import BaseGeometry

from etl.errors import LoadError
from etl.job import LoadJob, Staged
from etl.publish import staging
from etl.publish.values import check_geometries, convert
from etl.readers import gml
from etl.readers.sosi.vector import flatten, is_sosi, sosi_crs, sosi_features, sosi_header
from etl.readers.vector import (
    check_plausible_extent,
    declared_crs,
    gdal_options,
    open_options,
    resolve_epsg,
)
from etl.runs import Counts, Progress
from etl.sources import FieldType
from gis import codes

# Object types that carry the plan itself (its boundary) and the areas with a code.
PLAN_OBJECTS = {"rpomrade", "kpomrade", "kpplanomrade", "rbomrade", "arealplan", "kpomr",
                "planomrade"}
AREA_CODE_LISTS = {"rparealformalomrade": "rp2008", "kparealformalomrade": "kpa2008",
                   "rbformalomrade": "rb1985", "kparealbrukomrade": "kp1985"}
# Attribute names as written in SOSI, GML or flat files, normalised (see _norm).
_NAMES = {
    "kommunenummer": ("komm", "kommunenummer", "kommunenr"),
    "planidentifikasjon": ("planid", "planidentifikasjon", "planidenti"),
    "plannavn": ("plannavn",),
    "plantype": ("plantype",),
    "planstatus": ("planstat", "planstatus"),
    "ikrafttredelsesdato": ("ikraft", "ikrafttredelsesdato", "ikrafttred"),
    "vedtaksdato": ("vedtakendeligplan", "vedtakendeligplandato", "vedtaksdato"),
    "arealbruksstatus": ("arealst", "arealbruksstatus", "arealbruks"),
    "feltnavn": ("feltnavn", "feltbetegnelse"),
    "eierform": ("eierform",),
    "utnytting_type": ("utntyp", "utnyttingstype", "utnytting_type"),
    "utnytting_tall": ("utntall", "utnyttingstall", "utnytting_tall"),
    "objtype": ("objtype", "objekttype"),
    "code_list": ("code_list", "kodeliste"),
}
# Which attribute holds the code, and the code list it implies (None: decided by plan type).
_CODE_ATTRIBUTES = (("rparealformal", "rp2008"), ("kparealformal", "kpa2008"),
                    ("reguleringsformal", "rb1985"), ("rbformal", "rb1985"),
                    ("kparealbruk", "kp1985"), ("arealbruk", "kp1985"), ("arealformal", None),
                    # Shapefile cuts column names to 10 characters.
                    ("rparealfor", "rp2008"), ("kparealfor", "kpa2008"),
                    ("regulering", "rb1985"), ("arealforma", None))
# Plan types of a kommuneplan (arealdel, kommunedelplan): their arealformål is the KPA list.
KOMMUNEPLAN_TYPES = {20, 21, 22}

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


def _norm(name: str) -> str:
    """'RPAREALFORMÅL', 'arealformål', 'arealformal' → 'rparealformal' / 'arealformal'."""
    text = name.lower().replace("å", "a").replace("ø", "o").replace("æ", "ae")
    return "".join(ch for ch in text if ch.isalnum() or ch == "_")


@dataclass
class RawFeature:
    """One feature of a plan file with normalised attribute names."""

    where: str  # "<file>: feature 12" or "<file>:<line>"
    fid: int
    attributes: dict[str, Any]
    geometry: BaseGeometry | None
    layer: str = ""

    def get(self, logical: str) -> Any:
        """The first present attribute among the names a logical field may have."""
        for name in _NAMES[logical]:
            value = self.attributes.get(name)
            if value is not None and not (isinstance(value, float) and math.isnan(value)) \
                    and str(value).strip() != "":
                return value
        return None


@dataclass
class PlanRecord:
    """Plan-level attributes gathered from the plan object and its areas."""

    values: dict[str, Any] = field(default_factory=dict)

    def absorb(self, feature: RawFeature) -> None:
        """Fill attributes not known yet from this feature."""
        for logical in ("plannavn", "plantype", "planstatus", "ikrafttredelsesdato",
                        "vedtaksdato"):
            if self.values.get(logical) is None:
                self.values[logical] = feature.get(logical)


_PLAN_ID_OPTION = re.compile(r"^(\d{4})/(\S+)$")


def parse_plan_id(text: str) -> dict[str, str]:
    """'3203/2024001' (--plan-id) → kommunenummer and planidentifikasjon."""
    match = _PLAN_ID_OPTION.match(text.strip())
    if not match:
        raise LoadError(f"--plan-id {text!r}: expected KOMMUNENUMMER/PLANIDENTIFIKASJON, "
                        "e.g. 3203/2024001 (four-digit kommunenummer)")
    return {"kommunenummer": match.group(1), "planidentifikasjon": match.group(2)}


def load_plans(job: LoadJob) -> Staged:
    """Load every plan in the file; each replaces the current version of the same plan."""
    path = job.path
    if path.stat().st_size == 0:
        raise LoadError(f"{path.name}: the file is empty")
    counts = Counts()
    # First, so a broken tag is reported with its line rather than as GDAL's parse failure.
    links = gml.scan(path).links if gml.is_gml(path) else {}
    epsg, features = _open(path, job, counts.warnings)
    _load(job.conn, path, epsg, features, job.run_id, job.storage_srid, counts, job.progress,
          links)
    return Staged(counts.read, counts.written, counts.repaired, tuple(counts.warnings))


# -- reading ---------------------------------------------------------------------
def _open(path: Path, job: LoadJob, notes: list[str]) -> tuple[int, Iterator[RawFeature]]:
    if is_sosi(path):
        epsg, features = _open_sosi(path, job, notes)
    else:
        epsg, features = _open_ogr(path, job.srs, job.layer, job.force_srs)
    defaults = _plan_defaults(path, job.plan_id)
    return epsg, (_with_defaults(features, defaults) if defaults else features)


def _open_sosi(path: Path, job: LoadJob, notes: list[str]) -> tuple[int, Iterator[RawFeature]]:
    header = sosi_header(path, job.encoding)
    notes += header.notes
    epsg = resolve_epsg(sosi_crs(header, path, job.srs), job.srs, path, force_srs=job.force_srs)

    def features() -> Iterator[RawFeature]:
        # An object the reader cannot build (a SYMBOL without coordinates, an open ring) is
        # named in the warnings and left out: one odd object never blocks a plan.
        for feature in sosi_features(path, job.encoding, notes):
            attributes = {_norm(k): v for k, v in flatten(feature.attributes).items()}
            yield RawFeature(f"{path.name}:{feature.line}", feature.serial, attributes,
                             feature.geometry)

    return epsg, features()


def _open_ogr(path: Path, srs: str | None, layer: str | None,
              force_srs: bool) -> tuple[int, Iterator[RawFeature]]:
    try:
        with gdal_options():
            infos = ([pyogrio.read_info(path, layer=layer, force_total_bounds=True,
                                        **open_options(path))] if layer else _all_layers(path))
    except (DataSourceError, DataLayerError) as exc:
        raise LoadError(f"{path.name}: cannot be read as a vector file: {exc}") from exc
    layers = [str(info["layer_name"]) for info in infos]
    reported = next((i.get("crs") for i in infos if i.get("crs")), None)
    declared, default = declared_crs(path, reported)
    epsg = resolve_epsg(declared, srs, path, force_srs=force_srs, default=default)
    for info in infos:
        bounds = info.get("total_bounds")
        if bounds is not None:
            check_plausible_extent(path, epsg, tuple(float(v) for v in bounds))

    def features() -> Iterator[RawFeature]:
        for name in layers:
            try:
                with gdal_options(), warnings.catch_warnings():
                    # NaN coordinates warn here; check_geometries names the feature instead.
                    warnings.simplefilter("ignore", RuntimeWarning)
                    frame = pyogrio.read_dataframe(path, layer=name, fid_as_index=True,
                                                   **open_options(path))
            except (DataSourceError, DataLayerError) as exc:
                raise LoadError(f"{path.name}: reading layer {name!r} failed: {exc}") from exc
            columns = [c for c in frame.columns if c != "geometry"]
            normalised = [_norm(c) for c in columns]
            geometries = frame.geometry.array if "geometry" in frame else [None] * len(frame)
            for fid, row, geom in zip(frame.index, frame[columns].itertuples(index=False),
                                      geometries, strict=True):
                attributes = dict(zip(normalised, row, strict=True))
                gml_id = attributes.get("gml_id")
                named = f", gml_id {gml_id}" if isinstance(gml_id, str) and gml_id else ""
                yield RawFeature(f"{path.name}: feature {fid} (layer {name}{named})",
                                 int(fid), attributes, geom, _norm(name))

    return epsg, features()


def _all_layers(path: Path) -> list[dict[str, Any]]:
    """Info of every layer (pyogrio.list_layers would write a .gfs file beside a GML file)."""
    infos: list[dict[str, Any]] = []
    while True:
        try:
            infos.append(pyogrio.read_info(path, layer=len(infos), force_total_bounds=True,
                                           **open_options(path)))
        except DataLayerError:
            if not infos:
                raise
            return infos


def _plan_defaults(path: Path, plan_id: str | None) -> dict[str, Any]:
    """Plan attributes for features that lack them: --plan-id, else a GeoJSON file's plan object.

    Exports from some plan systems put the plan (NasjonalArealplanId, name, status) once at the
    top of a FeatureCollection instead of on every feature."""
    defaults: dict[str, Any] = {}
    if path.suffix.lower() in (".geojson", ".json"):
        defaults = _geojson_plan_object(path)
    if plan_id:
        defaults.update(parse_plan_id(plan_id))
    return defaults


def _geojson_plan_object(path: Path) -> dict[str, Any]:
    """The normalised attributes of a top-level `plan`/`arealplan` member, if the file has one."""

    try:
        with path.open("rb") as handle:
            document = json.load(handle)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LoadError(f"{path.name}: not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        return {}
    member = next((document[k] for k in document if _norm(k) in ("plan", "arealplan")), None)
    if not isinstance(member, dict):
        return {}
    flat: dict[str, Any] = {}
    for key, value in member.items():
        if isinstance(value, dict):  # nasjonalArealplanId {kommunenummer, planidentifikasjon}
            flat.update({_norm(k): v for k, v in value.items() if not isinstance(v, (dict, list))})
        elif not isinstance(value, list):
            flat[_norm(key)] = value
    found = RawFeature(f"{path.name}: plan object", 0, flat, None)
    return {logical: found.get(logical) for logical in _PLAN_LEVEL if found.get(logical) is not None}


# The attributes a plan has once, which its areas inherit when they lack them.
_PLAN_LEVEL = ("kommunenummer", "planidentifikasjon", "plannavn", "plantype", "planstatus",
               "ikrafttredelsesdato", "vedtaksdato")


def _with_defaults(features: Iterator[RawFeature], defaults: dict[str, Any]) -> Iterator[RawFeature]:
    """Fill each feature's missing plan attributes from `defaults`."""
    for feature in features:
        for logical, value in defaults.items():
            if feature.get(logical) is None:
                feature.attributes[logical] = value
        yield feature


# -- normalising -------------------------------------------------------------------
def _object_type(feature: RawFeature) -> str:
    value = feature.get("objtype")
    return _norm(str(value)) if value is not None else feature.layer


def _plan_id(feature: RawFeature) -> str:
    """'kommunenummer|planidentifikasjon' (the stage keeps the parts apart)."""
    kommune = feature.get("kommunenummer")
    plan = feature.get("planidentifikasjon")
    if kommune is None or plan is None:
        raise LoadError(f"{feature.where}: no NasjonalArealplanId (kommunenummer and "
                        "planidentifikasjon are required)")
    kommune_text = _code_text(kommune)
    if not kommune_text.isdigit() or len(kommune_text) > 4:
        raise LoadError(f"{feature.where}: kommunenummer {kommune!r} is not a kommune number")
    return kommune_text.zfill(4) + "|" + _code_text(plan)


def _code_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code(feature: RawFeature, plantype: Any) -> tuple[str, str] | None:
    """(code, code list) of an area, or None when the feature is no plan area."""
    object_type = _object_type(feature)
    explicit = feature.get("code_list")
    for attribute, implied in _CODE_ATTRIBUTES:
        value = feature.attributes.get(attribute)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        code_list = (str(explicit) if explicit in codes.CODE_LISTS
                     else AREA_CODE_LISTS.get(object_type) or implied)
        if code_list is None:
            kommuneplan = _as_int(plantype) in KOMMUNEPLAN_TYPES or object_type.startswith("kp")
            code_list = "kpa2008" if kommuneplan else "rp2008"
        return _code_text(value), code_list
    if object_type in AREA_CODE_LISTS:
        raise LoadError(f"{feature.where}: {object_type} has no land-use code")
    return None


def _as_int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


# -- staging and publishing ------------------------------------------------------
def _load(conn: psycopg.Connection, path: Path, epsg: int, features: Iterator[RawFeature],
          run_id: int, storage_srid: int, counts: Counts, progress: Progress | None,
          links: dict[str, list[str]]) -> None:
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
        is_plan = _object_type(feature) in PLAN_OBJECTS
        code = None
        if not is_plan:
            plantype = record.values.get("plantype")
            code = _code(feature, plantype if plantype is not None else feature.get("plantype"))
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
        is_plan = _object_type(feature) in PLAN_OBJECTS
        if not is_plan and _code(feature, feature.get("plantype")) is None:
            continue  # borders, texts and other objects that are not plan areas
        if feature.get("planidentifikasjon") is None and feature.get("kommunenummer") is None:
            unresolved.append(feature)
            continue
        plan_key = _plan_id(feature)
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
