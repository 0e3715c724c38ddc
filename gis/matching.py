"""Rank the available sites for a business's mobility profile, with explanations.

Hard filters: published, available (status 'ledig'), zoning compatible with the business type,
area at least what the business needs. Score 0–100 (100 = the best possible site for the
profile): ABC fit to the profile's need, transit class, road access, readiness and distance to a
preferred centre, weighted by the profile's need in [abc.matching] and scaled to sum to 100.
Equal scores are ordered by site_key. The SQL runs in PostGIS on the stored accessibility, so it
answers in milliseconds for thousands of sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg

from gis.abc import explain
from gis.abc.accessibility import without_jit
from gis.abc.explain import Explanation
from gis.abc.mobility import MobilityProfile
from gis.abc.network import sql_file
from gis.abc.settings import AbcRules, AbcSettings

MAX_RESULTS = 200
NEAR_MISSES = 5
POINT_PARTS = ("abc", "transit", "road", "readiness", "centre")


@dataclass(frozen=True)
class MatchResult:
    """One ranked site."""

    rank: int
    site_key: str
    name: str
    area_m2: float
    abc_class: str | None
    transit_class: str | None
    score: float
    points: dict[str, float]
    explanations: tuple[Explanation, ...]
    geometry: dict[str, Any]
    fictional: bool

    def as_json(self) -> dict[str, Any]:
        """JSON-ready (the API's shape)."""
        return {
            "rank": self.rank, "site_key": self.site_key, "name": self.name,
            "area_m2": self.area_m2, "abc_class": self.abc_class,
            "transit_class": self.transit_class, "score": self.score, "points": self.points,
            "explanations": [e.as_json() for e in self.explanations],
            "fictional": self.fictional,
        }


@dataclass(frozen=True)
class NearMiss:
    """A site that fits in every respect but its area."""

    site_key: str
    name: str
    area_m2: float
    short_by_m2: float
    fictional: bool

    def as_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"site_key": self.site_key, "name": self.name, "area_m2": self.area_m2,
                "short_by_m2": self.short_by_m2, "fictional": self.fictional}


@dataclass(frozen=True)
class MatchOutcome:
    """The ranked sites and how many each hard filter left out."""

    profile: MobilityProfile
    results: tuple[MatchResult, ...]
    published: int
    excluded: dict[str, int] = field(default_factory=dict)
    stops_loaded: bool = True
    preferred_centre: str | None = None
    # The most points each part can give this profile; they sum to 100.
    scale: dict[str, float] = field(default_factory=dict)
    near_misses: tuple[NearMiss, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"profile": self.profile.as_json(), "stops_loaded": self.stops_loaded,
                "published_sites": self.published, "excluded": self.excluded,
                "preferred_centre": self.preferred_centre, "scale": self.scale,
                "results": [r.as_json() for r in self.results],
                "near_misses": [n.as_json() for n in self.near_misses]}


def _parameters(profile: MobilityProfile, settings: AbcSettings, preferred_centre: str | None,
                limit: int) -> dict[str, Any]:
    weights = settings.matching
    fit = weights.fit[profile.need]
    scale = weights.scaled(profile.need, with_centre=preferred_centre is not None)
    return {
        "codes": list(profile.compatible_codes), "min_area_m2": profile.min_site_area_m2,
        "preferred_centre": preferred_centre,
        "fit_classes": list(fit), "fit_values": [float(v) for v in fit.values()],
        "w_abc": scale["abc"], "w_transit": scale["transit"], "w_road": scale["road"],
        "w_readiness": scale["readiness"], "w_centre": scale["centre"],
        "road_zero_m": weights.road_zero_m, "centre_zero_m": weights.centre_zero_m,
        "ready_names": list(weights.readiness_points),
        "ready_points": [float(v) for v in weights.readiness_points.values()],
        "limit": max(1, min(limit, MAX_RESULTS)), "near_miss_limit": NEAR_MISSES,
    }


def explanations_for(row: dict[str, Any], profile: MobilityProfile, *, stops_loaded: bool,
                     preferred_centre: str | None,
                     rules: AbcRules | None = None) -> tuple[Explanation, ...]:
    """Every line that explains one result, misfits first."""
    lines = [
        explain.abc_line(row, profile.need, profile.deciding, stops_loaded, rules),
        explain.zoning_line(row["zoning_code"], profile.business_type, row.get("readiness")),
        explain.area_line(float(row["area_m2"]), profile.min_site_area_m2),
        explain.transit_line(row),
        explain.road_line(row, profile.need),
        explain.readiness_line(row["readiness"]),
        explain.centre_line(row, preferred_centre),
    ]
    present = [line for line in lines if line is not None]
    order = {"misfit": 0, "fit": 1, "info": 2}
    return tuple(sorted(present, key=lambda line: order[line.kind]))


def match_sites(conn: psycopg.Connection, profile: MobilityProfile, settings: AbcSettings, *,
                preferred_centre: str | None = None, limit: int = 20) -> MatchOutcome:
    """The best available sites for the profile, best first, each with its explanation."""
    params = _parameters(profile, settings, preferred_centre, limit)
    with conn.transaction():
        without_jit(conn)
        counts = conn.execute(sql_file("match_counts.sql"), params).fetchone()
        assert counts is not None
        if not counts[-1]:     # an unknown centre is ignored, and its points leave the scale
            preferred_centre = None
            params = _parameters(profile, settings, None, limit)
        return _match(conn, profile, params, counts, preferred_centre, settings.rules)


def _match(conn: psycopg.Connection, profile: MobilityProfile, params: dict[str, Any],
           counts: tuple[Any, ...], preferred_centre: str | None,
           rules: AbcRules) -> MatchOutcome:
    published, not_available, zoning, too_small, stops_loaded, _centre_known = counts
    cursor = conn.execute(sql_file("match.sql"), params)
    names = [d.name for d in cursor.description or []]
    results = []
    for rank, values in enumerate(cursor.fetchall(), start=1):
        row = dict(zip(names, values, strict=True))
        points = {key: float(row[f"{key}_points"])
                  for key in POINT_PARTS}
        results.append(MatchResult(
            rank=rank, site_key=row["site_key"], name=row["name"], area_m2=float(row["area_m2"]),
            abc_class=row["abc_class"], transit_class=row["transit_class"],
            score=float(row["score"]), points=points,
            explanations=explanations_for(row, profile, stops_loaded=stops_loaded,
                                          preferred_centre=preferred_centre, rules=rules),
            geometry=row["geometry"], fictional=bool(row["fictional"])))
    near_misses = tuple(
        NearMiss(site_key=key, name=name, area_m2=float(area), short_by_m2=float(short),
                 fictional=bool(fictional))
        for key, name, area, short, fictional
        in conn.execute(sql_file("match_near_misses.sql"), params).fetchall())
    return MatchOutcome(profile=profile, results=tuple(results), published=int(published),
                        near_misses=near_misses,
                        excluded={"not_available": int(not_available), "zoning": int(zoning),
                                  "too_small": int(too_small)},
                        stops_loaded=bool(stops_loaded), preferred_centre=preferred_centre,
                        scale={key: round(params[f"w_{key}"], 1) for key in POINT_PARTS})
