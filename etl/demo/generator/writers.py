"""Writers that give byte-identical files from run to run."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio

from etl.demo.generator.common import FIXED_ZIP_TIME


def feature(props: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    with open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)


def write_geojson(path: Path, features: list[dict[str, Any]], crs_urn: str | None = None) -> None:
    """One feature per line keeps diffs readable; a legacy "crs" member only where
    the real source publishes one (national files in UTM)."""
    head = '{"type":"FeatureCollection"'
    if crs_urn:
        head += ',"crs":{"type":"name","properties":{"name":"' + crs_urn + '"}}'
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    write_text(path, head + ',"features":[\n' + body + "\n]}\n")


def write_gpkg(path: Path, layer: str, gdf: gpd.GeoDataFrame) -> None:
    """GeoPackage 1.3: Debian's GDAL 3.6 (used for ogr2ogr) warns about 1.4.  The
    gpkg_contents timestamp comes from OGR_CURRENT_DATE (set in main)."""
    if path.exists():
        path.unlink()
    pyogrio.write_dataframe(
        gdf,
        path,
        layer=layer,
        driver="GPKG",
        dataset_options={"VERSION": "1.3"},
        layer_options={"SPATIAL_INDEX": "YES"},
    )


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed entry times and a fixed docProps date, so an .xlsx
    from openpyxl is byte-identical from run to run."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content
                )
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, content)
    return out.getvalue()
