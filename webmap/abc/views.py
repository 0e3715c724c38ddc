"""The "Finn riktig tomt" form and the ABC JSON API (/api/abc/match, /api/abc/accessibility)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, render_template, request
from werkzeug.wrappers import Response

from gis.abc.accessibility import GeometryError, accessibility_of_geometry
from gis.abc.business import BUSINESS_TYPES, NACE_SECTIONS
from gis.abc.centres import centre_choices
from gis.abc.explain import number
from gis.abc.mobility import BusinessInput, ProfileError, mobility_profile, parse_business
from gis.abc.settings import AbcSettings
from gis.matching import MAX_RESULTS, MatchOutcome, match_sites
from webmap.abc.openapi_part import OPENAPI
from webmap.database import connection, get_settings
from webmap.i18n import current_language
from webmap.routes import bilingual_route, localized_url, other_language_url

bp = Blueprint("abc", __name__)

__all__ = ["OPENAPI", "bp"]

FIELDS = (
    "sector",
    "employees",
    "floor_area_m2",
    "land_area_m2",
    "visitors_per_day",
    "goods_trips_per_day",
    "centre",
)


def abc_settings() -> AbcSettings:
    """The kommune's [abc] settings."""
    return AbcSettings.from_kommune(get_settings().kommune)


def _centres() -> list[tuple[str, str]]:
    with connection() as conn:
        return centre_choices(conn)


def _match(values: dict[str, Any], limit: int) -> MatchOutcome:
    """Parse, profile and rank; ProfileError for bad input."""
    settings = abc_settings()
    business: BusinessInput = parse_business(values)
    profile = mobility_profile(business, settings.profile)
    centre = str(values.get("centre") or "").strip() or None
    with connection() as conn:
        return match_sites(conn, profile, settings, preferred_centre=centre, limit=limit)


def fact_sheet_url(site_key: str, lang: str) -> str:
    """The investor fact sheet of a site (built by the investor pages)."""
    from webmap.investor import link

    return link("site", lang, site_key=site_key)


@bilingual_route(bp, "/finn-tomt", "/en/find-site")
def find_site() -> str:
    """The form; with a query, the ranked sites below it (works without JavaScript)."""
    lang = current_language()
    values = {name: request.args.get(name, "").strip() for name in FIELDS}
    submitted = any(values[name] for name in FIELDS if name != "centre")
    outcome: MatchOutcome | None = None
    error: ProfileError | None = None
    if submitted:
        try:
            outcome = _match(values, limit=20)
        except ProfileError as exc:
            error = exc
    map_data: dict[str, Any] | None = None
    if outcome is not None:
        map_data = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": r.geometry,
                    "properties": {
                        "rank": r.rank,
                        "name": r.name,
                        "site_key": r.site_key,
                        "abc_class": r.abc_class or "–",
                        "anchor": f"result-{r.rank}",
                    },
                }
                for r in outcome.results
            ],
        }
    return render_template(
        "abc/find_site.html",
        values=values,
        outcome=outcome,
        error=error,
        business_types=BUSINESS_TYPES,
        nace_sections=NACE_SECTIONS,
        centres=_centres(),
        fact_sheet_url=fact_sheet_url,
        map_data=map_data,
        number=number,
        other_language_url=other_language_url(),
        form_action=localized_url("abc.find_site", lang),
    )


def _problem(status: int, detail: str, field: str | None = None) -> Response:
    body: dict[str, Any] = {"status": status, "title": "Bad Request", "detail": detail}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    return response


@bp.get("/api/abc/match")
def api_match() -> Response:
    """The ranked sites for a profile given as query parameters."""
    lang = current_language()
    raw_limit = request.args.get("limit", "20")
    try:
        limit = int(raw_limit)
    except ValueError:
        return _problem(400, "limit must be a whole number", "limit")
    if limit < 1:
        return _problem(400, "limit must be at least 1", "limit")
    values = {name: request.args.get(name) for name in FIELDS}
    try:
        outcome = _match(values, limit=min(limit, MAX_RESULTS))
    except ProfileError as exc:
        return _problem(400, exc.message(lang), exc.field)
    body = outcome.as_json()
    for result, item in zip(outcome.results, body["results"], strict=True):
        item["geometry"] = result.geometry
        item["fact_sheet"] = fact_sheet_url(result.site_key, lang)
    return jsonify(body)


@bp.get("/api/abc/accessibility")
def api_accessibility() -> Response:
    """Transit class, road access, centre and ABC class of any point or polygon."""
    geometry: Any
    if request.args.get("geometry"):
        geometry = request.args["geometry"]
    elif request.args.get("lon") is not None and request.args.get("lat") is not None:
        try:
            lon, lat = float(request.args["lon"]), float(request.args["lat"])
        except ValueError:
            abort(400, description="lon and lat must be numbers")
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    else:
        abort(400, description="give lon and lat, or geometry as GeoJSON (EPSG:4326)")
    try:
        with connection() as conn:
            result = accessibility_of_geometry(
                conn, geometry, storage_srid=get_settings().kommune.storage_srid, settings=abc_settings()
            )
    except GeometryError as exc:
        abort(400, description=str(exc))
    return jsonify(result.as_json())
