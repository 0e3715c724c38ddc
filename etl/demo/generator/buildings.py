"""Matrikkel-style building points and FKB footprints."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from etl.demo.generator.common import (
    DEMO_KOMMUNE,
    KOMMUNE,
    UTM_CRS,
    geojson_geometry,
    rng_for,
    weighted_choice,
)
from etl.demo.generator.kpa import CENTRE_RADIUS, Kpa
from etl.demo.generator.plan_layouts import PlanLayout
from etl.demo.generator.shapes import largest_polygon, main_axis, rect
from etl.demo.generator.sites import Site
from etl.demo.generator.world import World
from etl.demo.generator.writers import feature, write_geojson, write_gpkg

BUILDING_SIZE = {  # NS 3457 type -> ((min, max) length, (min, max) width), metres
    111: ((9, 15), (8, 12)),
    112: ((10, 16), (9, 12)),
    113: ((11, 17), (9, 12)),
    121: ((12, 18), (9, 12)),
    131: ((24, 42), (9, 11)),
    133: ((18, 30), (9, 12)),
    142: ((18, 34), (12, 16)),
    145: ((24, 45), (13, 17)),
    181: ((5, 8), (4, 7)),
    211: ((35, 80), (22, 45)),
    212: ((20, 40), (14, 24)),
    219: ((25, 60), (18, 35)),
    231: ((40, 95), (25, 50)),
    232: ((30, 60), (20, 35)),
    239: ((20, 45), (15, 25)),
    241: ((20, 40), (12, 20)),
    311: ((20, 50), (12, 28)),
    312: ((14, 25), (12, 18)),
    319: ((16, 35), (12, 22)),
    321: ((50, 95), (40, 70)),
    322: ((12, 30), (10, 20)),
    323: ((14, 22), (10, 16)),
    412: ((18, 40), (9, 14)),
    415: ((45, 90), (25, 40)),
    431: ((30, 60), (25, 40)),
    511: ((25, 45), (12, 18)),
    531: ((10, 20), (8, 14)),
    533: ((6, 10), (5, 8)),
}
CENTRE_BUSINESS_TYPES = {
    311: 30,
    319: 8,
    322: 25,
    321: 3,
    312: 3,
    511: 3,
    531: 10,
    533: 4,
    212: 5,
    231: 3,
    431: 3,
}
RESIDENTIAL_TYPES = {111: 45, 112: 10, 113: 2, 121: 6, 131: 10, 133: 4, 142: 5, 145: 6, 181: 12}
ZONE_BUSINESS_TYPES = {211: 12, 212: 10, 219: 8, 231: 18, 232: 4, 239: 6, 311: 8, 319: 5, 415: 3, 323: 2}
CLUSTER = {
    "regionsenter": (330, 900),
    "kommunedelsenter": (150, 550),
    "lokalsenter": (95, 450),
    "nærsenter": (40, 220),
}  # level -> (buildings, spread in metres)


@dataclass
class Building:
    nummer: int
    bygningstype: int
    status: str
    footprint: Polygon  # EPSG:25832, coordinates rounded to cm


class _Grid:
    """Tiny spatial hash: footprints must keep a few metres apart."""

    def __init__(self, cell: float = 80.0):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[BaseGeometry]] = {}

    def _keys(self, g: BaseGeometry) -> list[tuple[int, int]]:
        minx, miny, maxx, maxy = g.bounds
        c = self.cell
        return [
            (i, j)
            for i in range(int(minx // c) - 1, int(maxx // c) + 2)
            for j in range(int(miny // c) - 1, int(maxy // c) + 2)
        ]

    def free(self, g: BaseGeometry, gap: float) -> bool:
        return all(g.distance(o) >= gap for k in self._keys(g) for o in self.cells.get(k, []))

    def add(self, g: BaseGeometry) -> None:
        minx, miny, _, _ = g.bounds
        self.cells.setdefault((int(minx // self.cell), int(miny // self.cell)), []).append(g)


def build_buildings(
    world: World,
    kpa: Kpa,
    plans: dict[str, PlanLayout],
    sites: list[Site],
    template: list[Site],
    corridors: BaseGeometry,
) -> list[Building]:
    rng = rng_for("buildings")
    keep_free = shapely.union_all(
        [
            s.geom.buffer(10)
            for s in sites + template
            if s.props["status"] in ("ledig", "reservert", "trukket_tilbake")
        ]
        + [z.geom for z in kpa.designed.values() if z.status == 2 or z.code in (2001, 3001)]
        + [plans["tofte"].extent, plans["kjekstad"].extent, corridors.buffer(8)]
    )
    shapely.prepare(keep_free)
    grid = _Grid()
    out: list[tuple[int, str, Polygon]] = []

    def fp(btype: int, x: float, y: float, angle: float) -> Polygon:
        (l0, l1), (w0, w1) = BUILDING_SIZE[btype]
        poly = rect(x, y, rng.uniform(l0, l1), rng.uniform(w0, w1), angle)
        return shapely.set_precision(poly, 0.01)

    def try_place(
        btype: int,
        x: float,
        y: float,
        angle: float,
        status: str | None = None,
        inside: BaseGeometry | None = None,
    ) -> bool:
        poly = fp(btype, x, y, angle)
        if inside is not None:
            ok = inside.contains(poly)
        else:
            ok = world.land_inner.contains(poly) and not keep_free.intersects(poly)
        if ok and grid.free(poly, 4.0):
            grid.add(poly)
            out.append((btype, status or "", poly))
            return True
        return False

    # Station buildings first, so the clusters grow around them.
    for st in world.of_kind("rail_station"):
        for _ in range(50):
            if try_place(412, st.x + rng.uniform(-40, 40), st.y + rng.uniform(-40, 40), rng.uniform(0, 180)):
                break
    # Sites already built on, or being built on.
    use_type = {
        "Kontor": 311,
        "Handel": 322,
        "Lager og logistikk": 231,
        "Industri": 211,
        "Kombinert næring/kontor": 319,
    }
    for s in sites:
        if s.props["status"] in ("utbygd", "under_utbygging"):
            n, status = (2, "TB") if s.props["status"] == "utbygd" else (1, "IG")
            inner = s.geom.buffer(-6)
            c = s.geom.centroid
            ang = math.degrees(math.atan2(*main_axis(largest_polygon(s.geom))[::-1]))
            placed = 0
            for _ in range(300):
                if placed == n:
                    break
                dx, dy = rng.uniform(-60, 60), rng.uniform(-60, 60)
                placed += try_place(use_type[s.props["planned_use"]], c.x + dx, c.y + dy, ang, status, inner)
    # Clusters around the centres: business near the core, homes further out.
    for p in world.of_kind("centre"):
        n, spread = CLUSTER[p.level]
        core = CENTRE_RADIUS[p.level] * 0.8
        base = rng.uniform(0, 90)
        placed = 0
        for _ in range(n * 40):
            if placed == n:
                break
            x, y = p.x + rng.gauss(0, spread), p.y + rng.gauss(0, spread)
            d = math.hypot(x - p.x, y - p.y)
            business = rng.random() < 0.65 * math.exp(-((d / core) ** 2)) + 0.04
            btype = weighted_choice(rng, CENTRE_BUSINESS_TYPES if business else RESIDENTIAL_TYPES)
            placed += try_place(btype, x, y, base + rng.choice([0, 90]) + rng.gauss(0, 6))
    # Existing business areas along the main roads.
    for z in kpa.designed.values():
        if z.code == 1300 and z.status == 1:
            minx, miny, maxx, maxy = z.geom.bounds
            ang = math.degrees(math.atan2(*main_axis(largest_polygon(z.geom))[::-1]))
            placed = 0
            for _ in range(400):
                if placed == 10:
                    break
                x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
                if z.geom.contains(Point(x, y)):
                    placed += try_place(
                        weighted_choice(rng, ZONE_BUSINESS_TYPES), x, y, ang + rng.gauss(0, 3)
                    )
    # Scattered farms: a farmhouse and a barn.
    farms = 0
    minx, miny, maxx, maxy = world.land.bounds
    centres = [Point(p.x, p.y) for p in world.of_kind("centre")]
    while farms < 25:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if min(c.distance(Point(x, y)) for c in centres) < 1500:
            continue
        ang = rng.uniform(0, 90)
        if try_place(113, x, y, ang):
            try_place(241, x + 28 * math.cos(math.radians(ang)), y + 28 * math.sin(math.radians(ang)), ang)
            farms += 1

    buildings = []
    nummer = 300_100_000
    for btype, status, poly in out:
        nummer += rng.randint(1, 997)
        bstatus = status or rng.choices(["TB", "FA", "IG"], weights=[86, 11, 3])[0]
        buildings.append(Building(nummer, btype, bstatus, poly))
    return buildings


def write_buildings(out: Path, buildings: list[Building]) -> None:
    feats = [
        feature(
            {
                "bygningsnummer": b.nummer,
                "bygningstype": b.bygningstype,
                "bygningsstatus": b.status,
                "kommunenummer": KOMMUNE,
            },
            geojson_geometry(b.footprint.centroid, 2),
        )
        for b in buildings
    ]
    write_geojson(out / "bygningspunkt.geojson", feats, crs_urn=DEMO_KOMMUNE.crs_urn)
    gdf = gpd.GeoDataFrame(
        {
            "bygningsnummer": np.array([b.nummer for b in buildings], dtype="int64"),
            "bygningstype": np.array([b.bygningstype for b in buildings], dtype="int32"),
        },
        geometry=[b.footprint for b in buildings],
        crs=UTM_CRS,
    )
    write_gpkg(out / "fkb_bygning.gpkg", "bygning", gdf)
