"""Load a file into PostGIS: the orchestrator every load goes through.

The frame (checksum, load history, one transaction) is etl.runs. A source either loads through
the generic vector loader (etl.loaders.vector: staging and publishing in etl.publish), or has
its own loader (``SourceSpec.loader``, one of OWN_LOADERS), which runs inside the same frame
and gets an etl.job.LoadJob. Loaders never import this module.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from pathlib import Path

import psycopg
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.job import CustomLoader, LoadJob
from etl.loaders import fkb, gtfs, plans, statistics
from etl.loaders.vector import load_vector
from etl.publish import parallel, staging, swap
from etl.readers import gml
from etl.readers.fkb import needs_own_reader
from etl.readers.layer_choice import choose_layer
from etl.readers.spreadsheet import SPREADSHEET_SUFFIXES, read_sheet
from etl.readers.vector import VectorInfo, read_info
from etl.runs import Counts, LoadResult, Progress, load_history, run_load
from etl.sources import SourceSpec, get_source
from gis.db import raw_connection
from gis.derived import after_tables_changed

__all__ = ["OWN_LOADERS", "LoadResult", "feature_count", "load_history", "load_source"]

# The loaders of sources that are no vector file, by SourceSpec.loader.
OWN_LOADERS: dict[str, CustomLoader] = {
    "gtfs": gtfs.load_gtfs,
    "plans": plans.load_plans,
    "statistics": statistics.load_statistics,
}


def own_loader(spec: SourceSpec) -> CustomLoader | None:
    """The source's own loader, if it has one."""
    return OWN_LOADERS[spec.loader] if spec.loader else None


def load_source(engine: Engine, source: str, path: Path, *, storage_srid: int,
                srs: str | None = None, layer: str | None = None,
                progress: Progress | None = None, workers: int | None = None,
                encoding: str | None = None, force_srs: bool = False, plan_id: str | None = None,
                kommuner: Collection[str] | None = None) -> LoadResult:
    """Load `path` as `source`; a LoadError leaves the published data exactly as it was.
    A big file is written over `workers` connections at once (default: one per CPU core).

    `srs` reads a file that declares no CRS (with `force_srs`, one that declares another);
    `encoding` overrides a SOSI file's ..TEGNSETT; `plan_id` (KNR/PLANID) names the plan of
    plan areas that carry none; `kommuner` (the instance's kommunenummer) keeps only those
    kommuner of a national kommune file. The same file loaded with other options is a new load."""
    workers = workers or parallel.default_workers()
    spec = get_source(source)
    path = Path(path)
    loader = own_loader(spec)
    options = {name: value for name, value in (("srs", srs), ("force_srs", force_srs),
                                                ("layer", layer), ("encoding", encoding),
                                                ("plan_id", plan_id)) if value}

    def body(conn: psycopg.Connection, run_id: int, counts: Counts) -> None:
        if loader is not None:
            staged = loader(LoadJob(conn, spec, path, run_id, storage_srid, srs, layer, progress,
                                    encoding=encoding, force_srs=force_srs, plan_id=plan_id))
            counts.read, counts.written = staged.rows_read, staged.rows_written
            counts.repaired = staged.rows_repaired
            counts.warnings += staged.warnings
            if spec.geometry_checked_after_write:
                staging.check_published_extent(conn, spec.table, run_id, path.name, storage_srid)
        elif spec.name in ("building_footprints", "buildings") and needs_own_reader(path):
            # FKB-Bygning GML mixing footprints and points: both tables from one command.
            tables = fkb.load_fkb_buildings(conn, path, run_id, storage_srid, srs, counts,
                                            progress)
            after_tables_changed(conn, tables)
            return
        else:
            try:
                chosen, notes = (layer, []) if layer else choose_layer(path, spec.geometry)
                info = _read_info(spec, path, layer=chosen, srs=srs, force_srs=force_srs,
                                  encoding=encoding, storage_srid=storage_srid)
                counts.warnings += notes
                load_vector(conn, spec, info, run_id, storage_srid, counts, progress, workers,
                            kommuner=kommuner)
            except LoadError:
                if gml.is_gml(path):
                    gml.scan(path)  # a broken tag: say where, not what GDAL made of it
                raise
        # ABC classes depend on stops, junctions, centres and sites: same transaction.
        after_tables_changed(conn, [spec.table])

    # Sources fed by several files (sites, statistics, plans, AR5 sheets) compare with this
    # file's last load; a delivery that replaces the whole table compares with the last load.
    try:
        return run_load(engine, spec.name, path, body, per_file=spec.per_file or not spec.replace,
                        options=options)
    finally:
        if spec.replace:
            with raw_connection(engine) as conn:
                swap.drop_leftovers(conn)


def feature_count(path: Path, layer: str | None = None) -> int | None:
    """How many features the file holds, when pyogrio can tell cheaply (for a progress bar)."""
    if path.suffix.lower() in (*SPREADSHEET_SUFFIXES, ".sos", ".sosi"):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyogrio's "more than one layer": the load names it
            return read_info(path, layer=layer).feature_count
    except LoadError:
        return None


def _read_info(spec: SourceSpec, path: Path, *, layer: str | None, srs: str | None,
               storage_srid: int, force_srs: bool = False,
               encoding: str | None = None) -> VectorInfo:
    """A spreadsheet (CSV/Excel with WKT or lat/lon) or any vector file (SOSI included)."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return read_sheet(path, spec, srs=srs, sheet=layer, storage_srid=storage_srid)
    return read_info(path, layer=layer, srs=srs, force_srs=force_srs, encoding=encoding)
