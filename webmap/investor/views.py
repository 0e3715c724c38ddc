"""The catalogue, a site's fact sheet and the comparison page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import abort, jsonify, render_template, request, url_for
from werkzeug.wrappers import Response

from gis.investor.catalogue import (
    RAIL_DISTANCES_M,
    ROAD_DISTANCES_M,
    Filters,
    filter_options,
    log_unmet_demand,
    parse_filters,
    search_sites,
)
from gis.investor.categories import CATEGORIES
from gis.investor.factsheet import fact_sheet, plan_facts, was_withdrawn
from gis.investor.settings import investor_settings
from webmap.database import connection, get_settings, read_connection
from webmap.i18n import current_language
from webmap.investor import bp, link
from webmap.investor.presenting import public_site, site_feature
from webmap.routes import bilingual_route, other_language_url

MAX_COMPARE = 4


def _has_fictional(sites: list[dict[str, Any]]) -> bool:
    return any(site.get("fictional") for site in sites)


def _map_config() -> dict[str, Any]:
    kommune = get_settings().kommune
    return {"lat": kommune.map.centre_lat, "lon": kommune.map.centre_lon, "zoom": kommune.map.zoom}


@bilingual_route(bp, "/investor", "/en/investor")
def catalogue() -> str:
    """The filterable list of published sites beside a map of the same sites."""
    parsed = parse_filters(request.args, request.args.getlist)
    filters = parsed.filters
    with read_connection() as conn:
        sites = search_sites(conn, filters)
        options = filter_options(conn)
    if not sites and not filters.is_empty:
        with connection() as conn:  # a write: on the primary
            log_unmet_demand(conn, filters)
    query = urlencode(filters.query_pairs())
    lang = current_language()
    return render_template(
        "investor/catalogue.html",
        sites=[public_site(s, lang) for s in sites],
        filters=filters,
        invalid=parsed.invalid,
        options=options,
        categories=CATEGORIES,
        rail_distances=RAIL_DISTANCES_M,
        road_distances=ROAD_DISTANCES_M,
        query=query,
        geojson_url=url_for("investor.sites_geojson", lang=lang) + ("&" + query if query else ""),
        map_config=_map_config(),
        other_language_url=other_language_url(),
        fictional=_has_fictional(sites),
        max_compare=MAX_COMPARE,
    )


@bp.get("/api/investor/sites")
def sites_geojson() -> Response:
    """GeoJSON of the published sites matching the catalogue's filters (public fields only).

    Query parameters are the catalogue's: area_min, area_max (m²), category, abc, tettsted,
    readiness (repeatable: ledig_naa, regulert, kommuneplan), status (repeatable; without it
    only available sites), ownership (kommunal, privat), rail_max_m and road_max_m (500, 1000,
    2000, 5000), focus (focus area id), sort (newest, area_desc, area_asc, distance, road),
    lang (nb, en). Invalid values are ignored and listed in `ignored`.
    """
    parsed = parse_filters(request.args, request.args.getlist)
    lang = current_language()
    with read_connection() as conn:
        sites = search_sites(conn, parsed.filters, with_geometry=True)
    collection = {
        "type": "FeatureCollection",
        "features": [site_feature(site, lang) for site in sites],
        "numberReturned": len(sites),
        "ignored": parsed.invalid,
    }
    response = jsonify(collection)
    response.mimetype = "application/geo+json"
    return response


@bilingual_route(bp, "/investor/tomt/<site_key>", "/en/investor/site/<site_key>")
def site(site_key: str) -> str:
    """The fact sheet of one published site."""
    lang = current_language()
    with read_connection() as conn:
        sheet = fact_sheet(conn, site_key)
        if sheet is None:
            abort(410 if was_withdrawn(conn, site_key) else 404)
    contact = investor_settings(get_settings().kommune)
    return render_template(
        "investor/site.html",
        sheet=sheet,
        site=public_site(sheet.site, lang),
        context_geojson=context_collection(sheet.context),
        kommune_contact=contact,
        other_language_url=other_language_url(),
        fictional=bool(sheet.site.get("fictional")),
        map_config=_map_config(),
    )


def context_collection(context: list[dict[str, Any]]) -> dict[str, Any]:
    """The fact-sheet map's surroundings as GeoJSON (WGS84); names are data, set as text."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": row["geometry"],
                "properties": {
                    "kind": row["kind"],
                    "name": row["name"],
                    "code": row["code"],
                    "fill": row["fill"],
                },
            }
            for row in context
            if row["kind"] != "site"
        ],
    }


def requested_keys() -> list[str]:
    """Site keys from ?sites=a,b,c or repeated ?sites=a&sites=b, first four, no repeats."""
    keys: list[str] = []
    for value in request.args.getlist("sites"):
        keys.extend(part.strip() for part in value.split(",") if part.strip())
    return list(dict.fromkeys(keys))


@bilingual_route(bp, "/investor/sammenlign", "/en/investor/compare")
def compare() -> str:
    """Up to four sites side by side, from the URL alone."""
    keys = requested_keys()
    too_many = len(keys) > MAX_COMPARE
    keys = keys[:MAX_COMPARE]
    lang = current_language()
    with read_connection() as conn:
        found = search_sites(conn, Filters(), keys=keys) if keys else []
        plans = {s["site_key"]: plan_facts(conn, s) for s in found}
    by_key = {s["site_key"]: s for s in found}
    sites = [public_site(by_key[k], lang) for k in keys if k in by_key]
    missing = [k for k in keys if k not in by_key]
    return render_template(
        "investor/compare.html",
        sites=sites,
        plans=plans,
        missing=missing,
        too_many=too_many,
        max_compare=MAX_COMPARE,
        other_language_url=other_language_url(),
        fictional=_has_fictional(found),
        share_url=link("compare") + "?" + urlencode({"sites": ",".join(s["site_key"] for s in sites)}),
    )
