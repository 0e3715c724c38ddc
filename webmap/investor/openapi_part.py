"""The investor endpoints in the OpenAPI document (merged by webmap.api.openapi)."""

from __future__ import annotations

from typing import Any

from gis.abc.business import BUSINESS_TYPES
from webmap.investor.presenting import PUBLIC_FIELDS

_FILTER_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "area_min",
        "in": "query",
        "description": "Smallest area in m².",
        "schema": {"type": "number", "minimum": 0},
    },
    {
        "name": "area_max",
        "in": "query",
        "description": "Largest area in m².",
        "schema": {"type": "number", "minimum": 0},
    },
    {
        "name": "category",
        "in": "query",
        "description": "A kind of business the site's zoning allows.",
        "schema": {"enum": list(BUSINESS_TYPES)},
    },
    {"name": "abc", "in": "query", "description": "ABC location class.", "schema": {"enum": ["A", "B", "C"]}},
    {
        "name": "tettsted",
        "in": "query",
        "description": "Name of the settlement.",
        "schema": {"type": "string"},
    },
    {
        "name": "readiness",
        "in": "query",
        "description": "Readiness; repeat for several.",
        "schema": {"type": "array", "items": {"enum": ["ledig_naa", "regulert", "kommuneplan"]}},
        "style": "form",
        "explode": True,
    },
    {
        "name": "status",
        "in": "query",
        "description": "Site status; repeat for several. Without it only available (ledig) sites.",
        "schema": {"type": "array", "items": {"enum": ["ledig", "reservert", "under_utbygging", "utbygd"]}},
        "style": "form",
        "explode": True,
    },
    {"name": "ownership", "in": "query", "schema": {"enum": ["kommunal", "privat"]}},
    {
        "name": "rail_max_m",
        "in": "query",
        "description": "Largest distance to a rail station.",
        "schema": {"enum": [500, 1000, 2000, 5000]},
    },
    {
        "name": "road_max_m",
        "in": "query",
        "description": "Largest distance to a main-road junction.",
        "schema": {"enum": [500, 1000, 2000, 5000]},
    },
    {
        "name": "focus",
        "in": "query",
        "description": "Id of a focus area the site lies in.",
        "schema": {"type": "integer"},
    },
    {
        "name": "sort",
        "in": "query",
        "schema": {"enum": ["newest", "area_desc", "area_asc", "distance", "road"]},
    },
]

_NULLABLE_TEXT = {"type": ["string", "null"]}
_SITE_PROPERTIES: dict[str, Any] = {
    "site_key": {"type": "string"},
    "name": {"type": "string"},
    "area_m2": {"type": "number"},
    "status": {"type": "string"},
    "readiness": _NULLABLE_TEXT,
    "planned_use": _NULLABLE_TEXT,
    "zoning_code": _NULLABLE_TEXT,
    "zoning_name": _NULLABLE_TEXT,
    "uses": {
        "type": "array",
        "items": {"enum": list(BUSINESS_TYPES)},
        "description": "Kinds of business the zoning allows.",
    },
    "ownership": _NULLABLE_TEXT,
    "tettsted": _NULLABLE_TEXT,
    "rail_name": _NULLABLE_TEXT,
    "rail_distance_m": {"type": ["integer", "null"]},
    "road_junction_name": _NULLABLE_TEXT,
    "road_vegnummer": _NULLABLE_TEXT,
    "road_distance_m": {
        "type": ["integer", "null"],
        "description": "Distance to the nearest main-road junction in metres.",
    },
    "port_name": _NULLABLE_TEXT,
    "port_distance_m": {
        "type": ["integer", "null"],
        "description": "Distance to the nearest ferry quay in metres.",
    },
    "road_label": _NULLABLE_TEXT,
    "port_label": _NULLABLE_TEXT,
    "abc_class": _NULLABLE_TEXT,
    "transit_class": _NULLABLE_TEXT,
    "last_verified": {"type": ["string", "null"], "format": "date"},
    "fictional": {"type": "boolean"},
    "readiness_label": {"type": "string"},
    "status_label": {"type": "string"},
    "area_label": {"type": "string"},
    "rail_label": {"type": "string"},
    "uses_label": {"type": "string"},
    "url": {"type": "string", "description": "The site's fact sheet."},
    "focus_areas": {"type": "array", "items": {"type": "string"}},
}
assert set(PUBLIC_FIELDS) <= set(_SITE_PROPERTIES)

OPENAPI: dict[str, Any] = {
    "tags": [{"name": "investor", "description": "Published business sites for investors."}],
    "paths": {
        "/api/investor/sites": {
            "get": {
                "tags": ["investor"],
                "summary": "Published sites matching the catalogue's filters",
                "description": "Public fields only. Invalid filter values are ignored and "
                "named in `ignored`.",
                "operationId": "getInvestorSites",
                "parameters": [*_FILTER_PARAMETERS, {"$ref": "#/components/parameters/Lang"}],
                "responses": {
                    "200": {
                        "description": "The sites, in the chosen order.",
                        "content": {
                            "application/geo+json": {"schema": {"$ref": "#/components/schemas/InvestorSites"}}
                        },
                    }
                },
            },
        },
        "/investor/eksport.{fmt}": {
            "get": {
                "tags": ["investor"],
                "summary": "The filtered catalogue as a download",
                "description": "CSV is UTF-8 with a BOM and `;` between fields (Norwegian "
                "Excel); GeoJSON and GeoPackage are in EPSG:4326. The English "
                "twin is /en/investor/export.{fmt}.",
                "operationId": "exportInvestorSites",
                "parameters": [
                    {
                        "name": "fmt",
                        "in": "path",
                        "required": True,
                        "schema": {"enum": ["csv", "geojson", "gpkg"]},
                    },
                    *_FILTER_PARAMETERS,
                ],
                "responses": {
                    "200": {
                        "description": "The file.",
                        "content": {
                            "text/csv": {"schema": {"type": "string"}},
                            "application/geo+json": {
                                "schema": {"$ref": "#/components/schemas/InvestorSites"}
                            },
                            "application/geopackage+sqlite3": {
                                "schema": {"type": "string", "contentEncoding": "binary"}
                            },
                        },
                    },
                    "404": {"description": "Unknown format."},
                },
            },
        },
    },
    "components": {
        "schemas": {
            "InvestorSite": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": "string"},
                    "geometry": {"$ref": "#/components/schemas/Geometry"},
                    "properties": {
                        "type": "object",
                        "required": ["site_key", "name", "area_m2"],
                        # Nothing beyond the public fields may ever appear.
                        "additionalProperties": False,
                        "properties": _SITE_PROPERTIES,
                    },
                },
            },
            "InvestorSites": {
                "type": "object",
                "required": ["type", "features"],
                "properties": {
                    "type": {"const": "FeatureCollection"},
                    "features": {"type": "array", "items": {"$ref": "#/components/schemas/InvestorSite"}},
                    "numberReturned": {"type": "integer", "minimum": 0},
                    "ignored": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}
