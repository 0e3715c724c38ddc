"""Reading a plan file (SOSI, GML, GeoJSON, GeoPackage, Shapefile) as RawFeatures, with the
plan attributes of --plan-id or a GeoJSON plan object filled in where features lack them."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from etl.errors import LoadError
from etl.job import LoadJob
from etl.loaders.plans.features import PLAN_LEVEL, RawFeature, norm, parse_plan_id
from etl.readers.sosi.vector import flatten, is_sosi, sosi_crs, sosi_features, sosi_header
from etl.readers.vector import (
    check_plausible_extent,
    declared_crs,
    gdal_options,
    open_options,
    resolve_epsg,
)


def open_features(path: Path, job: LoadJob, notes: list[str]) -> tuple[int, Iterator[RawFeature]]:
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
            attributes = {norm(k): v for k, v in flatten(feature.attributes).items()}
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
            normalised = [norm(c) for c in columns]
            geometries = frame.geometry.array if "geometry" in frame else [None] * len(frame)
            for fid, row, geom in zip(frame.index, frame[columns].itertuples(index=False),
                                      geometries, strict=True):
                attributes = dict(zip(normalised, row, strict=True))
                gml_id = attributes.get("gml_id")
                named = f", gml_id {gml_id}" if isinstance(gml_id, str) and gml_id else ""
                yield RawFeature(f"{path.name}: feature {fid} (layer {name}{named})",
                                 int(fid), attributes, geom, norm(name))

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
    member = next((document[k] for k in document if norm(k) in ("plan", "arealplan")), None)
    if not isinstance(member, dict):
        return {}
    flat: dict[str, Any] = {}
    for key, value in member.items():
        if isinstance(value, dict):  # nasjonalArealplanId {kommunenummer, planidentifikasjon}
            flat.update({norm(k): v for k, v in value.items() if not isinstance(v, (dict, list))})
        elif not isinstance(value, list):
            flat[norm(key)] = value
    found = RawFeature(f"{path.name}: plan object", 0, flat, None)
    return {logical: found.get(logical) for logical in PLAN_LEVEL if found.get(logical) is not None}


def _with_defaults(features: Iterator[RawFeature], defaults: dict[str, Any]) -> Iterator[RawFeature]:
    """Fill each feature's missing plan attributes from `defaults`."""
    for feature in features:
        for logical, value in defaults.items():
            if feature.get(logical) is None:
                feature.attributes[logical] = value
        yield feature
