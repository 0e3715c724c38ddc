"""Kommuneplanens arealdel: zones that cover the whole kommune."""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from etl.demo.generator.common import DEMO_KOMMUNE, XY, rng_for
from etl.demo.generator.plan_layouts import PlanLayout
from etl.demo.generator.shapes import blob, merge_small_parts, polygon_parts, rect
from etl.demo.generator.world import World, offset


@dataclass
class KpaZone:
    name: str
    code: int  # KPAREALFORMÅL (PBL 2008)
    status: int  # AREALST: 1 nåværende, 2 framtidig
    geom: BaseGeometry  # as drawn (clipped to land), before lower-priority carving


@dataclass
class Kpa:
    designed: dict[str, KpaZone]  # named special zones (sites are placed inside these)
    parts: list[tuple[Polygon, KpaZone]]  # final partition of the kommune


CENTRE_RADIUS = {"regionsenter": 750, "kommunedelsenter": 420, "lokalsenter": 300, "nærsenter": 170}

RESIDENTIAL = [  # centre, dx, dy, radius
    ("Asker sentrum", 300, 400, 2100),
    ("Holmen", -150, -100, 900),
    ("Billingstad", -200, 300, 850),
    ("Heggedal", 0, 0, 1000),
    ("Vollen", -250, 0, 850),
    ("Slemmestad", -300, 0, 800),
    ("Røyken sentrum (Midtbygda)", 0, 0, 1000),
    ("Spikkestad", 0, 0, 900),
    ("Sætre", -200, 0, 850),
    ("Tofte", -200, 100, 550),
    ("Holmsbu", 150, 0, 420),
    ("Filtvet", -150, 0, 330),
]


def _along_junction(world: World, name: str, direction: XY, along: float, side: float) -> XY:
    """A point `along` metres from a junction in road direction, `side` metres to its left."""
    x, y = world.xy(name)
    dx, dy = direction
    n = math.hypot(dx, dy)
    dx, dy = dx / n, dy / n
    return (x + dx * along - dy * side, y + dy * along + dx * side)


def business_zone_outlines(world: World, plans: dict[str, PlanLayout]) -> list[tuple[str, int, BaseGeometry]]:
    """(name, arealbruksstatus, outline) for business land (KPA code 1300)."""
    e134_west = (0.954, -0.301)
    e18_ne, e134_verpen = (0.63, 0.78), (0.805, -0.593)
    rot_verpen = math.degrees(math.atan2(*e134_verpen[::-1]))

    def at(place: str, dx: float, dy: float, w: float, h: float, rot: float) -> Polygon:
        return rect(*offset(world, place, dx, dy), w, h, rot)

    return [
        ("Holmen næringsområde", 1, plans["holmen"].extent.buffer(40, join_style="mitre")),
        ("Billingstad næringsområde", 1, at("Billingstad", -570, 50, 450, 300, 40)),
        ("Hvalstad næringsområde", 1, at("Hvalstad stasjon", -200, -230, 260, 180, 40)),
        (
            "Drengsrud næringsområde",
            1,
            rect(*_along_junction(world, "E18 Asker (Drengsrud)", e18_ne, 0, -500), 600, 380, 51),
        ),
        (
            "Gjellum næringsområde",
            2,
            rect(*_along_junction(world, "E18 Gjellum", (0.874, 0.485), -300, -330), 500, 350, 29),
        ),
        ("Heggedal næringsområde", 1, at("Heggedal", 470, -330, 480, 300, 20)),
        ("Slemmestad næringsområde", 1, at("Slemmestad", -330, -520, 520, 320, 10)),
        ("Spikkestad næringsområde", 1, at("Spikkestad", 590, 130, 420, 260, 15)),
        ("Kjekstad næringspark", 2, plans["kjekstad"].extent.buffer(40, join_style="mitre")),
        (
            "Kjekstad vest",
            2,
            rect(*_along_junction(world, "E134 Kjekstad", e134_west, -450, -350), 520, 380, -17.5),
        ),
        ("Røyken øst", 2, at("Røyken sentrum (Midtbygda)", 960, -460, 560, 380, 15)),
        ("Sætre sør", 2, at("Sætre", -380, -740, 450, 320, -36)),
        (
            "Verpen næringsområde",
            1,
            rect(
                *_along_junction(world, "E134 Verpen (Hurum)", e134_verpen, -450, -330), 620, 380, rot_verpen
            ),
        ),
        (
            "Verpen nord",
            2,
            rect(
                *_along_junction(world, "E134 Verpen (Hurum)", e134_verpen, -700, 330), 480, 320, rot_verpen
            ),
        ),
        ("Tofte industriområde", 1, at("Tofte", -270, 460, 520, 360, 0)),
    ]


def hub_zone_name() -> str:
    """The KPA zone of the rail hub (sites in the centre keep out of it)."""
    return f"{DEMO_KOMMUNE.rail_hub} knutepunkt"


def build_kpa(world: World, plans: dict[str, PlanLayout], corridors: BaseGeometry) -> Kpa:
    """Named zones in priority order (each one carves itself out of all later ones):
    station hub, centres, business land, green space, other building land, future
    and existing housing.  A jittered grid of LNFR areas fills the rest."""
    rng = rng_for("kpa")
    land = world.land
    designed: list[KpaZone] = []

    def add(name: str, code: int, status: int, geom: BaseGeometry) -> None:
        designed.append(KpaZone(name, code, status, geom.intersection(land)))

    ax, ay = world.xy(DEMO_KOMMUNE.rail_hub)
    add(hub_zone_name(), 2001, 1, rect(ax, ay, 280, 60, 51))
    for p in world.of_kind("centre"):
        add(p.name, 1130, 1, blob(rng, p.x, p.y, CENTRE_RADIUS[p.level], n=14, rough=0.15))
    for name, status, geom in business_zone_outlines(world, plans):
        if geom.intersects(corridors):
            raise RuntimeError(f"business zone {name} lies on a main road")
        add(name, 1300, status, geom)
    add(
        "Grøntområde vest for Asker sentrum",
        3001,
        1,
        blob(rng, *offset(world, "Asker sentrum", -1000, 700), 220, n=12),
    )
    add("Hurum midt byggeområde", 1001, 1, rect(583500, 6610500, 260, 200, 20))
    add("Spikkestad nord", 1110, 2, blob(rng, *offset(world, "Spikkestad", 0, 900), 280, n=12))
    add("Heggedal sør", 1110, 2, blob(rng, *offset(world, "Heggedal", -300, -1000), 300, n=12))
    for centre, dx, dy, r in RESIDENTIAL:
        add(f"{centre} boligområde", 1110, 1, blob(rng, *offset(world, centre, dx, dy), r))

    parts: list[tuple[Polygon, KpaZone]] = []
    taken: BaseGeometry = Polygon()
    for z in designed:
        for p in polygon_parts(z.geom.difference(taken)):
            parts.append((p, z))
        taken = shapely.union(taken, z.geom)
    # A coarse, jittered 3.5 km grid of LNFR areas fills the rest of the kommune.
    x0, y0, step, nx, ny = 573000, 6594000, 3500, 6, 14
    verts = {
        (i, j): (
            x0 + i * step + (rng.uniform(-450, 450) if 0 < i < nx else 0),
            y0 + j * step + (rng.uniform(-450, 450) if 0 < j < ny else 0),
        )
        for i in range(nx + 1)
        for j in range(ny + 1)
    }
    for j in range(ny):
        for i in range(nx):
            cell = Polygon([verts[(i, j)], verts[(i + 1, j)], verts[(i + 1, j + 1)], verts[(i, j + 1)]])
            code = 5200 if rng.random() < 0.1 else 5100
            zone = KpaZone(f"LNFR {i}-{j}", code, 1, cell)
            for p in polygon_parts(cell.intersection(land).difference(taken)):
                parts.append((p, zone))
    merged = merge_small_parts([(p, {"zone": z}) for p, z in parts], 12000)
    return Kpa({z.name: z for z in designed}, [(p, a["zone"]) for p, a in merged])
