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

from etl import gml, staging
from etl.errors import LoadError
from etl.load import LoadJob, Staged
from etl.runs import Counts, Progress
from etl.sosi_vector import flatten, is_sosi, sosi_features
from etl.sources import FieldType
from etl.vector import (
    check_plausible_extent,
    declared_geojson_crs,
    gdal_options,
    open_options,
    resolve_epsg,
)
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
    given = parse_plan_id(job.plan_id) if job.plan_id else {}
    epsg, features = _open(path, job.srs, job.layer)
    defaults = {**given, **_top_level_plan(path)}
    if defaults:
        features = _with_defaults(features, defaults)
    counts = Counts()
    _load(job.conn, path, epsg, features, job.run_id, job.storage_srid, counts, job.progress)
    return Staged(counts.read, counts.written, counts.repaired, tuple(counts.warnings))


# -- reading ---------------------------------------------------------------------
def _open(path: Path, srs: str | None, layer: str | None) -> tuple[int, Iterator[RawFeature]]:
    if is_sosi(path):
        return _open_sosi(path, srs)
    return _open_ogr(path, srs, layer)


def _open_sosi(path: Path, srs: str | None) -> tuple[int, Iterator[RawFeature]]:
    from etl.sosi import SosiError, read_header

    try:
        header = read_header(path)
    except SosiError as exc:
        raise LoadError(str(exc)) from exc
    epsg = resolve_epsg(f"EPSG:{header.epsg}" if header.epsg else None, srs, path)

    def features() -> Iterator[RawFeature]:
        for feature in sosi_features(path):
            attributes = {_norm(k): v for k, v in flatten(feature.attributes).items()}
            yield RawFeature(f"{path.name}:{feature.line}", feature.serial, attributes,
                             feature.geometry)

    return epsg, features()


def _top_level_plan(path: Path) -> dict[str, Any]:
    """A GeoJSON FeatureCollection's own plan object ("plan", "arealplan"), leaf values by name."""
    if path.suffix.lower() not in (".geojson", ".json"):
        return {}
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        return {}  # pyogrio has already read it; a broken file fails there with its reason
    if not isinstance(document, dict):
        return {}
    plan = next((value for key, value in document.items()
                 if _norm(key) in ("plan", "arealplan") and isinstance(value, dict)), None)
    values: dict[str, Any] = {}

    def leaves(node: dict[str, Any]) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                leaves(value)
            elif value is not None and not isinstance(value, list):
                values.setdefault(_norm(key), value)

    if plan is not None:
        leaves(plan)
    return values


def _with_defaults(features: Iterator[RawFeature], defaults: dict[str, Any]) -> Iterator[RawFeature]:
    """Features with the plan's attributes filled in where they carry none themselves."""
    for feature in features:
        _fill(feature, defaults)
        yield feature


def _fill(feature: RawFeature, values: dict[str, Any]) -> None:
    for logical in ("kommunenummer", "planidentifikasjon", "plannavn", "plantype", "planstatus",
                    "ikrafttredelsesdato", "vedtaksdato"):
        if feature.get(logical) is not None:
            continue
        value = next((values[n] for n in _NAMES[logical] if values.get(n) is not None), None)
        if value is not None:
            feature.attributes[_NAMES[logical][0]] = value


def _open_ogr(path: Path, srs: str | None, layer: str | None) -> tuple[int, Iterator[RawFeature]]:
    # Our own pass first: a broken tag is named with its line, and xlinks are resolved.
    links = gml.scan(path) if gml.is_gml(path) else None
    try:
        with gdal_options():
            infos = ([pyogrio.read_info(path, layer=layer, force_total_bounds=True,
                                        **open_options(path))] if layer else _all_layers(path))
    except (DataSourceError, DataLayerError) as exc:
        raise LoadError(f"{path.name}: cannot be read as a vector file: {exc}") from exc
    layers = [str(info["layer_name"]) for info in infos]
    declared = declared_geojson_crs(path)
    epsg = resolve_epsg(declared or next((i.get("crs") for i in infos if i.get("crs")), None),
                        srs, path)
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
                feature = RawFeature(f"{path.name}: feature {fid} (layer {name}{named})",
                                     int(fid), attributes, geom, _norm(name))
                linked = links.plan_of(attributes.get("gml_id")) if links else None
                if linked:
                    _fill(feature, {_norm(k): v for k, v in linked.items()})
                yield feature

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
          run_id: int, storage_srid: int, counts: Counts, progress: Progress | None) -> None:
    plans: dict[str, PlanRecord] = {}
    areas_stage = staging.create_stage(conn, f"stage_plan_area_{run_id}", _AREA_COLUMNS)
    bounds_stage = staging.create_stage(conn, f"stage_plan_bounds_{run_id}", _BOUNDARY_COLUMNS)
    where: dict[int, str] = {}
    area_rows: list[tuple[Any, ...]] = []
    boundary_rows: list[tuple[Any, ...]] = []
    unknown: dict[str, int] = {}
    serial = 0
    for feature in features:
        counts.read += 1
        if progress and counts.read % 1000 == 0:
            progress(counts.read)
        object_type = _object_type(feature)
        is_plan = object_type in PLAN_OBJECTS
        plan_key = _plan_id(feature) if (is_plan or feature.get("planidentifikasjon")) else None
        code = None
        if not is_plan:
            plantype = plans[plan_key].values.get("plantype") if plan_key in plans else None
            code = _code(feature, plantype if plantype is not None else feature.get("plantype"))
        if not is_plan and code is None:
            continue  # borders, texts and other objects that are not plan areas
        if plan_key is None:
            raise LoadError(f"{feature.where}: no NasjonalArealplanId (kommunenummer and "
                            "planidentifikasjon are required)")
        plans.setdefault(plan_key, PlanRecord()).absorb(feature)
        if is_plan and feature.geometry is None:
            continue  # Arealplan (SOSI-GML 5.0): the plan's identity, its areas give the outline
        serial += 1
        where[serial] = feature.where
        wkb, needs_repair = _checked_wkb(feature, serial, where)
        if is_plan:
            boundary_rows.append((serial, plan_key.replace("|", "", 1), wkb, needs_repair))
            continue
        assert code is not None
        resolved = codes.land_use(code[1], code[0])
        if not resolved.known and resolved.warning:
            unknown[resolved.warning] = unknown.get(resolved.warning, 0) + 1
        area_rows.append(_area_row(feature, serial, plan_key, resolved, wkb, needs_repair))
    if not plans:
        raise LoadError(f"{path.name}: no plan or plan area found (expected e.g. RpOmråde, "
                        "RpArealformålOmråde, KpArealformålOmråde, RbFormålOmråde)")
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


def _checked_wkb(feature: RawFeature, serial: int, where: dict[int, str]) -> tuple[bytes, bool]:
    geometry = feature.geometry
    if geometry is not None and geometry.has_z:
        geometry = shapely.force_2d(geometry)  # SOSI-GML 5.0 writes heights; plans are 2D
    wkb = np.array([None if geometry is None else shapely.to_wkb(geometry)], dtype=object)
    flags = staging.check_geometries(wkb, "MULTIPOLYGON", lambda _: feature.where)
    return wkb[0], bool(flags[0])


def _area_row(feature: RawFeature, serial: int, plan_key: str, resolved: codes.LandUse,
              wkb: bytes, needs_repair: bool) -> tuple[Any, ...]:
    def value(logical: str, type_: FieldType) -> Any:
        return staging.convert([feature.get(logical)], type_, logical, False,
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
        converted = [staging.convert([record.values.get(column)], type_, column, False,
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
