"""Focus areas (særlige fokusområder): one polygon file plus names and texts given by a planner."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import LoadResult, load_source
from etl.readers.vector import resolve_epsg


def read_outline(path: Path, *, srs: str | None = None,
                 layer: str | None = None) -> tuple[shapely.MultiPolygon, int]:
    """Every polygon in the file merged into one outline, and the file's EPSG code."""
    if not path.is_file():
        raise LoadError(f"{path}: file not found")
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (DataSourceError, DataLayerError) as exc:
        raise LoadError(f"{path.name}: cannot be read as a vector file: {exc}") from exc
    epsg = resolve_epsg(frame.crs.to_string() if frame.crs else None, srs, path)
    if frame.empty:
        raise LoadError(f"{path.name}: the file holds no features")
    for index, geometry in enumerate(frame.geometry):
        if geometry is None or geometry.is_empty:
            raise LoadError(f"{path.name}: feature {index}: has no geometry")
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise LoadError(f"{path.name}: feature {index}: a focus area must be a polygon, "
                            f"not a {geometry.geom_type}")
    merged = shapely.union_all(shapely.make_valid(frame.geometry.to_numpy()))
    polygons = [g for g in shapely.get_parts(merged) if g.geom_type == "Polygon"]
    if not polygons:
        raise LoadError(f"{path.name}: the polygons have no area")
    return shapely.MultiPolygon(polygons), epsg


def add_focus_area(engine: Engine, path: Path, *, name_nb: str, name_en: str,
                   text_nb: str | None, text_en: str | None, storage_srid: int,
                   srs: str | None = None, layer: str | None = None,
                   illustrative: bool = False) -> LoadResult:
    """Create or replace the focus area called `name_nb` with the outline in `path`."""
    if not name_nb.strip() or not name_en.strip():
        raise LoadError("a focus area needs a name in bokmål and in English")
    outline, epsg = read_outline(Path(path), srs=srs, layer=layer)
    frame = gpd.GeoDataFrame(
        {"name_nb": [name_nb.strip()], "name_en": [name_en.strip()],
         "text_nb": [text_nb], "text_en": [text_en], "illustrative": [illustrative]},
        geometry=[outline], crs=f"EPSG:{epsg}")
    with tempfile.TemporaryDirectory() as folder:
        # Named after the planner's file so that the load history says where it came from.
        staged = Path(folder) / f"{Path(path).stem}.gpkg"
        frame.to_file(staged, layer="focus_area", driver="GPKG")
        return load_source(engine, "focus_areas", staged, storage_srid=storage_srid)
