"""The ABC endpoints in the OpenAPI document (merged by webmap.api.openapi)."""

from __future__ import annotations

from typing import Any

from gis.abc.business import BUSINESS_TYPES
from gis.matching import MAX_RESULTS

_PROFILE_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "sector",
        "in": "query",
        "required": True,
        "description": "A business type (" + ", ".join(BUSINESS_TYPES) + ") or a NACE section A–U.",
        "schema": {"type": "string"},
    },
    {
        "name": "employees",
        "in": "query",
        "required": True,
        "description": "Employees (≥ 1).",
        "schema": {"type": "string"},
    },
    {
        "name": "floor_area_m2",
        "in": "query",
        "required": True,
        "description": "Floor area needed, m² (> 0).",
        "schema": {"type": "string"},
    },
    {
        "name": "land_area_m2",
        "in": "query",
        "required": False,
        "description": "Land area needed, m² (default: the floor area).",
        "schema": {"type": "string"},
    },
    {
        "name": "visitors_per_day",
        "in": "query",
        "required": False,
        "description": "Visitors a day (default 0).",
        "schema": {"type": "string"},
    },
    {
        "name": "goods_trips_per_day",
        "in": "query",
        "required": False,
        "description": "Goods trips a day (default 0).",
        "schema": {"type": "string"},
    },
    {
        "name": "centre",
        "in": "query",
        "required": False,
        "description": "Preferred centre (a name from the senterstruktur).",
        "schema": {"type": "string"},
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": f"Most results (1–{MAX_RESULTS}, default 20).",
        "schema": {"type": "integer", "minimum": 1},
    },
    {"$ref": "#/components/parameters/Lang"},
]
_NULLABLE_CLASS = {"type": ["string", "null"]}
_PROBLEM_400 = {
    "description": "Invalid input; `detail` says why, `field` which.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}

OPENAPI: dict[str, Any] = {
    "tags": [
        {
            "name": "abc",
            "description": "Rett virksomhet på rett sted: ABC classes and matching a business to sites.",
        }
    ],
    "paths": {
        "/api/abc/match": {
            "get": {
                "tags": ["abc"],
                "summary": "Rank available sites for a business's mobility profile",
                "description": "Hard filters: available, compatible zoning, enough area. Score 0–100 "
                "(100 = the best possible site for the profile; `scale` gives each "
                "part's maximum): ABC fit, public-transport class, road access, "
                "readiness, distance to the preferred centre; ties by site_key. "
                "Each result explains itself in bokmål and English.",
                "operationId": "abcMatch",
                "parameters": _PROFILE_PARAMETERS,
                "responses": {
                    "200": {
                        "description": "The profile and the ranked sites.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/AbcMatch"}}
                        },
                    },
                    "400": _PROBLEM_400,
                },
            }
        },
        "/api/abc/accessibility": {
            "get": {
                "tags": ["abc"],
                "summary": "Accessibility and ABC class of any point or polygon",
                "operationId": "abcAccessibility",
                "parameters": [
                    {"name": "lon", "in": "query", "required": False, "schema": {"type": "number"}},
                    {"name": "lat", "in": "query", "required": False, "schema": {"type": "number"}},
                    {
                        "name": "geometry",
                        "in": "query",
                        "required": False,
                        "description": "GeoJSON Point, Polygon or MultiPolygon in EPSG:4326.",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "Transit class, nearest stops, road, centre, ABC class "
                        "and the reasons as data.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/AbcAccessibility"}}
                        },
                    },
                    "400": {"$ref": "#/components/responses/BadRequest"},
                },
            }
        },
    },
    "components": {
        "schemas": {
            "AbcExplanation": {
                "type": "object",
                "required": ["kind", "code", "text"],
                "properties": {
                    "kind": {"enum": ["fit", "misfit", "info"]},
                    "code": {"type": "string"},
                    "text": {"$ref": "#/components/schemas/Text"},
                },
            },
            "AbcMatch": {
                "type": "object",
                "required": ["profile", "results", "excluded", "stops_loaded", "published_sites"],
                "properties": {
                    "profile": {
                        "type": "object",
                        "required": ["need", "business_type"],
                        "properties": {
                            "need": {"enum": ["A", "B", "C"]},
                            "business_type": {"enum": list(BUSINESS_TYPES)},
                        },
                    },
                    "stops_loaded": {"type": "boolean"},
                    "published_sites": {"type": "integer"},
                    "preferred_centre": {"type": ["string", "null"]},
                    "scale": {
                        "type": "object",
                        "description": "The most points each part of the "
                        "score can give this profile (they sum to 100).",
                        "additionalProperties": {"type": "number"},
                    },
                    "near_misses": {
                        "type": "array",
                        "description": "Sites that fit in every "
                        "respect but their area, closest in size first (at most 5).",
                        "items": {
                            "type": "object",
                            "properties": {
                                "site_key": {"type": "string"},
                                "name": {"type": "string"},
                                "area_m2": {"type": "number"},
                                "short_by_m2": {"type": "number"},
                                "fictional": {"type": "boolean"},
                            },
                        },
                    },
                    "excluded": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": [
                                "rank",
                                "site_key",
                                "name",
                                "score",
                                "abc_class",
                                "transit_class",
                                "explanations",
                                "geometry",
                                "fact_sheet",
                            ],
                            "properties": {
                                "rank": {"type": "integer", "minimum": 1},
                                "site_key": {"type": "string"},
                                "name": {"type": "string"},
                                "area_m2": {"type": "number"},
                                "score": {"type": "number"},
                                "abc_class": _NULLABLE_CLASS,
                                "transit_class": _NULLABLE_CLASS,
                                "points": {"type": "object", "additionalProperties": {"type": "number"}},
                                "explanations": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/AbcExplanation"},
                                },
                                "geometry": {"$ref": "#/components/schemas/Geometry"},
                                "fact_sheet": {"type": "string"},
                                "fictional": {"type": "boolean"},
                            },
                        },
                    },
                },
            },
            "AbcAccessibility": {
                "type": "object",
                "required": ["abc_class", "transit_class", "distance_method", "reasons"],
                "properties": {
                    "abc_class": _NULLABLE_CLASS,
                    "transit_class": _NULLABLE_CLASS,
                    "distance_method": {
                        "type": "string",
                        "enum": ["network", "straight_line_detour"],
                        "description": "How walking distances to stops were measured: along the "
                        "loaded road/path network, or straight line × detour_factor",
                    },
                    **{
                        column: {
                            "type": ["string", "null"],
                            "enum": ["network", "straight_line_detour", None],
                            "description": f"How {what} was measured (a stop beyond the routed reach "
                            "is measured by straight line × detour_factor)",
                        }
                        for column, what in (
                            ("transit_stop_method", "the walk to the class-giving stop"),
                            ("nearest_stop_method", "the walk to the nearest stop"),
                            ("nearest_rail_method", "the walk to the nearest rail station"),
                        )
                    },
                    "reasons": {"type": "array", "items": {"type": "object", "required": ["code"]}},
                },
            },
        }
    },
}
