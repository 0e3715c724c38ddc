"""Placing the business sites and writing sites.geojson."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from etl.demo.generator.common import (
    DEMO_KOMMUNE,
    TO_WGS84,
    reproject,
    rfc7946_geometry,
    rng_for,
    wgs84_roundtrip,
)
from etl.demo.generator.kpa import Kpa, hub_zone_name
from etl.demo.generator.plan_layouts import PlanLayout
from etl.demo.generator.shapes import largest_polygon, main_axis, quad
from etl.demo.generator.site_specs import (
    CONTACTS,
    PLANNER_NOTES,
    READINESS_TEXT,
    SITE_AREA,
    SITE_SPECS,
    TEMPLATE_SPECS,
    USE_TEXT,
)
from etl.demo.generator.tettsteder import Tettsted, tettsted_name
from etl.demo.generator.world import World, offset
from etl.demo.generator.writers import feature, write_geojson


@dataclass
class Site:
    props: dict[str, Any]
    geom: BaseGeometry  # EPSG:25832: Polygon, or Point for template rows given as lat/lon


def _fmt_dist(metres: float, lang: str) -> str:
    if metres < 1000:
        return f"{round(metres, -1):.0f} m"
    km = f"{metres / 1000:.1f}"
    return f"{km.replace('.', ',') if lang == 'nb' else km} km"


def _fmt_area(m2: int, lang: str) -> str:
    s = f"{round(m2, -2):,}"
    return s.replace(",", " ") if lang == "nb" else s


def site_descriptions(
    world: World, geom: BaseGeometry, area: int, use: str, readiness: str
) -> tuple[str, str]:
    c = geom.centroid
    station = min(world.of_kind("rail_station"), key=lambda p: c.distance(Point(p.x, p.y)))
    junction = min(world.of_kind("road_junction"), key=lambda p: c.distance(Point(p.x, p.y)))
    ds, dj = c.distance(Point(station.x, station.y)), c.distance(Point(junction.x, junction.y))
    veg, _, where = junction.name.partition(" ")
    use_nb, use_en = USE_TEXT[use]
    ready_nb, ready_en = READINESS_TEXT[readiness]
    nb = (
        f"Fiktivt demoareal på ca. {_fmt_area(area, 'nb')} m² for {use_nb}. "
        f"{_fmt_dist(dj, 'nb')} til {veg}-krysset {where}, {_fmt_dist(ds, 'nb')} til {station.name}. "
        f"{ready_nb}"
    )
    en = (
        f"Fictional demo site of about {_fmt_area(area, 'en')} m² for {use_en}. "
        f"{_fmt_dist(dj, 'en')} to the {veg} junction at {where}, {_fmt_dist(ds, 'en')} to "
        f"{station.name.replace(' stasjon', ' station')}. {ready_en}"
    )
    return nb, en


def _container(kpa: Kpa, plans: dict[str, PlanLayout], spec: str) -> BaseGeometry:
    """The area a site is drawn inside: a regulated field, a KPA centre or business zone."""
    kind, _, rest = spec.partition(":")
    if kind == "field":
        plan, _, felt = rest.partition(":")
        return plans[plan].field(felt).geom
    if kind == "centre":
        return kpa.designed[rest].geom.difference(kpa.designed[hub_zone_name()].geom)
    return kpa.designed[rest].geom


def _place_site(
    rng: random.Random,
    world: World,
    container: BaseGeometry,
    use: str,
    field_site: bool,
    taken: list[BaseGeometry],
    corridors: BaseGeometry,
) -> Polygon:
    if field_site:
        # A regulated field offered whole, minus a setback to the neighbours.
        poly = container.buffer(-8, join_style="mitre")
        assert isinstance(poly, Polygon)
        return poly
    inner = container.intersection(world.land_inner).buffer(-10, join_style="mitre")
    lo, hi = SITE_AREA[use]
    target = rng.uniform(lo, hi)
    angle = math.degrees(math.atan2(*main_axis(largest_polygon(container))[::-1]))
    for attempt in range(1500):
        area = max(2200.0, target * 0.85 ** (attempt // 150))
        aspect = rng.uniform(1.0, 1.9)
        w = math.sqrt(area * aspect)
        minx, miny, maxx, maxy = inner.bounds
        poly = quad(
            rng,
            rng.uniform(minx, maxx),
            rng.uniform(miny, maxy),
            w,
            area / w,
            angle + rng.uniform(-6, 6),
            jitter=0.06,
        )
        if (
            inner.contains(poly)
            and all(poly.distance(t) > 15 for t in taken)
            and poly.distance(corridors) > 10
        ):
            return poly
    raise RuntimeError("no room for a site")


def build_sites(
    world: World, kpa: Kpa, plans: dict[str, PlanLayout], tett: list[Tettsted], corridors: BaseGeometry
) -> tuple[list[Site], list[Site]]:
    rng = rng_for("sites")
    taken: list[BaseGeometry] = []
    boundary_wgs = reproject(world.land, TO_WGS84)

    def make(i: int, spec: tuple[str, str, str, str, str, str, str, bool]) -> Site:
        name, where, use, zoning, readiness, status, owner, published = spec
        if where.startswith("point:"):
            _, place, dx, dy, est = where.split(":")
            geom: BaseGeometry = Point(offset(world, place, float(dx), float(dy)))
            area = int(est)  # a planner's estimate: there is no polygon to measure
            if not world.land_inner.contains(geom) or any(geom.distance(t) < 30 for t in taken):
                raise RuntimeError(f"template point {name} misplaced")
        else:
            poly = _place_site(
                rng, world, _container(kpa, plans, where), use, where.startswith("field:"), taken, corridors
            )
            geom = wgs84_roundtrip(poly)
            area = round(geom.area)
            if not 2000 <= area <= 80000:
                raise RuntimeError(f"site {name}: {area} m² out of range")
            if not boundary_wgs.contains(reproject(geom, TO_WGS84)):
                raise RuntimeError(f"site {name} not inside the kommune")
        taken.append(geom)
        contact, mailbox = CONTACTS[(i * 5) % len(CONTACTS)]
        phone = f"+47 400 00 0{(i * 5) % len(CONTACTS) + 1:02d}"
        nb, en = site_descriptions(world, geom, area, use, readiness)
        props = {
            "site_id": f"{DEMO_KOMMUNE.site_id_prefix}-{i + 1:03d}",
            "name": name,
            "area_m2": area,
            "status": status,
            "readiness": readiness,
            "planned_use": use,
            "zoning_code": zoning,
            "ownership": owner,
            "tettsted": tettsted_name(tett, geom),
            "contact_name": contact,
            "contact_email": f"{mailbox}@example.no",
            "contact_phone": phone,
            "description_nb": nb,
            "description_en": en,
            "last_verified": f"2026-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}",
            "published": published,
            "planner_note": rng.choice(PLANNER_NOTES),
            "fictional": True,
        }
        return Site(props, geom)

    sites = [make(i, s) for i, s in enumerate(SITE_SPECS)]
    template = [make(len(SITE_SPECS) + i, s) for i, s in enumerate(TEMPLATE_SPECS)]
    return sites, template


def write_sites(out: Path, sites: list[Site]) -> None:
    write_geojson(out / "sites.geojson", [feature(s.props, rfc7946_geometry(s.geom)) for s in sites])
