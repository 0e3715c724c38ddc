"""The site beside the main station: the demo's A-site under the default ABC thresholds."""

from __future__ import annotations

import shapely
from shapely.geometry.base import BaseGeometry

from etl.demo.generator.buildings import Building
from etl.demo.generator.common import DEMO_KOMMUNE, rng_for, wgs84_roundtrip
from etl.demo.generator.shapes import rect
from etl.demo.generator.site_specs import CONTACTS, PLANNER_NOTES
from etl.demo.generator.sites import Site, site_descriptions
from etl.demo.generator.tettsteder import Tettsted, tettsted_name
from etl.demo.generator.world import World, offset

# One site beside the rail hub, so the demo shows an A-site with the default ABC thresholds
# (transit class A: within 300 m on foot of a category II station; within 500 m of a centre).
# Built after the buildings and drawn from its own fixed candidates, so no other file changes.
STATION_SITE = (
    f"{DEMO_KOMMUNE.rail_hub} øst, kontortomt",
    DEMO_KOMMUNE.rail_hub,
    "Kontor",
    "1310",
    "ledig_naa",
    "ledig",
    "privat",
    True,
)
# East of the station first: the planner's browser test draws a new site just west of it.
STATION_SITE_OFFSETS = [(60.0, 100.0), (40.0, 100.0), (60.0, 60.0)]


def build_station_site(
    world: World, tett: list[Tettsted], corridors: BaseGeometry, others: list[Site], buildings: list[Building]
) -> Site:
    name, place, use, zoning, readiness, status, owner, published = STATION_SITE
    rng = rng_for("station_site")
    blocked = shapely.union_all(
        [o.geom.buffer(15) for o in others]
        + [b.footprint.buffer(5) for b in buildings]
        + [corridors.buffer(10)]
    )
    for dx, dy in STATION_SITE_OFFSETS:
        cx, cy = offset(world, place, dx, dy)
        geom = wgs84_roundtrip(rect(cx, cy, 70, 50, 8))
        if world.land_inner.contains(geom) and not geom.intersects(blocked):
            break
    else:
        raise RuntimeError(f"no room for the site by {place}")
    area = round(geom.area)
    i = len(others)
    contact, mailbox = CONTACTS[(i * 5) % len(CONTACTS)]
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
        "contact_phone": f"+47 400 00 0{(i * 5) % len(CONTACTS) + 1:02d}",
        "description_nb": nb,
        "description_en": en,
        "last_verified": f"2026-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}",
        "published": published,
        "planner_note": rng.choice(PLANNER_NOTES),
        "fictional": True,
    }
    return Site(props, geom)
