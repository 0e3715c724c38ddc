"""The filtered catalogue as CSV (for Norwegian Excel), GeoJSON and GeoPackage; public fields."""

from __future__ import annotations

import io
import json
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from flask import Response, abort, request

from gis.csvout import SafeWriter
from gis.investor.catalogue import parse_filters, search_sites
from webmap.database import get_settings, read_connection
from webmap.i18n import current_language
from webmap.investor import bp
from webmap.investor.presenting import PUBLIC_FIELDS, public_site, site_feature
from webmap.routes import bilingual_route

FORMATS = ("csv", "geojson", "gpkg")
EXPORT_COLUMNS = (*PUBLIC_FIELDS, "focus_areas", "url", "lon", "lat")


def _rows(sites: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    rows = []
    for site in sites:
        shown = public_site(site, lang)
        row = {key: shown[key] for key in EXPORT_COLUMNS if key != "focus_areas"}
        row["focus_areas"] = ", ".join(f["name"] for f in shown["focus_areas"])
        # Spreadsheets and GeoPackage columns hold text, not lists.
        row["uses"] = ", ".join(row["uses"] or [])
        row["url"] = get_settings().public_base_url + shown["url"]
        rows.append(row)
    return rows


def _absolute_url(feature: dict[str, Any]) -> dict[str, Any]:
    """A downloaded file's links must work outside the site: make them absolute."""
    properties = feature.get("properties") or {}
    if isinstance(properties.get("url"), str) and properties["url"].startswith("/"):
        properties["url"] = get_settings().public_base_url + properties["url"]
    return feature


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, float):
        # Norwegian Excel reads a decimal comma.
        return (str(int(value)) if value.is_integer() else f"{value:.6f}").replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A leading =, +, - or @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a BOM and `;` between fields, so that Excel in Norway opens it right."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([_csv_value(row[key]) for key in EXPORT_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# The English CSV: headings and coded values in words, decimal point, comma-separated.
ENGLISH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("site_key", "Site ID"),
    ("name", "Name"),
    ("area_m2", "Area (m²)"),
    ("status_label", "Status"),
    ("readiness_label", "Planning readiness"),
    ("planned_use", "Planned use"),
    ("zoning_code", "Zoning code"),
    ("zoning_name", "Zoning purpose"),
    ("uses_label", "Uses the zoning allows"),
    ("ownership_label", "Ownership"),
    ("tettsted", "Settlement"),
    ("rail_name", "Nearest rail station"),
    ("rail_distance_m", "Distance to rail station (m)"),
    ("road_junction_name", "Nearest main-road junction"),
    ("road_vegnummer", "Road"),
    ("road_distance_m", "Distance to main-road junction (m)"),
    ("port_name", "Nearest ferry quay"),
    ("port_distance_m", "Distance to ferry quay (m)"),
    ("abc_class", "ABC class"),
    ("transit_class", "Public transport class"),
    ("last_verified", "Last verified"),
    ("fictional", "Fictional"),
    ("focus_areas", "Focus areas"),
    ("url", "Fact sheet"),
    ("lon", "Longitude"),
    ("lat", "Latitude"),
)


def _csv_value_en(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def as_csv_en(sites: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a BOM, `,` between fields and a decimal point, as English spreadsheets read."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=",", lineterminator="\r\n")
    writer.writerow([heading for _key, heading in ENGLISH_COLUMNS])
    for site in sites:
        shown = public_site(site, "en")
        shown["focus_areas"] = ", ".join(f["name"] for f in shown["focus_areas"])
        shown["url"] = get_settings().public_base_url + shown["url"]
        writer.writerow([_csv_value_en(shown[key]) for key, _heading in ENGLISH_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_geopackage(sites: list[dict[str, Any]], rows: list[dict[str, Any]]) -> bytes:
    """A GeoPackage with one layer `sites` in WGS84."""
    geometries = [shapely.geometry.shape(site["geometry"]) for site in sites]
    table = pd.DataFrame(
        [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()} for row in rows],
        columns=list(EXPORT_COLUMNS),
    )
    frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geometries, crs="EPSG:4326"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sites.gpkg"
        frame.to_file(path, layer="sites", driver="GPKG")
        return path.read_bytes()


@bilingual_route(bp, "/investor/eksport.<fmt>", "/en/investor/export.<fmt>")
def export(fmt: str) -> Response:
    """Download the sites the catalogue shows for the same query string."""
    if fmt not in FORMATS:
        abort(404)
    lang = current_language()
    parsed = parse_filters(request.args, request.args.getlist)
    with read_connection() as conn:
        sites = search_sites(conn, parsed.filters, with_geometry=fmt != "csv")
    for site in sites:
        if isinstance(site.get("geometry"), str):
            site["geometry"] = json.loads(site["geometry"])
    stem = f"{'business-sites' if lang == 'en' else 'naeringsarealer'}-{date.today().isoformat()}"
    if fmt == "csv":
        body = as_csv_en(sites) if lang == "en" else as_csv(_rows(sites, lang))
        mimetype = "text/csv"  # werkzeug adds the charset
    elif fmt == "geojson":
        collection = {
            "type": "FeatureCollection",
            "features": [_absolute_url(site_feature(site, lang)) for site in sites],
        }
        body = json.dumps(collection, ensure_ascii=False, default=str).encode("utf-8")
        mimetype = "application/geo+json"
    else:
        body, mimetype = as_geopackage(sites, _rows(sites, lang)), "application/geopackage+sqlite3"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'}
    )


def safe_filename(text: str) -> str:
    """A file name without quotes, slashes or other characters a header could misread."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "download"
