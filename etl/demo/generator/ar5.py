"""NIBIO AR5-style land cover (GeoPackage and a SOSI extract)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point, Polygon, box

from etl.demo.generator.common import FICTION_NOTE, UTM_CRS, rng_for, weighted_choice
from etl.demo.generator.kpa import Kpa
from etl.demo.generator.plan_layouts import PlanLayout
from etl.demo.generator.roads import Road
from etl.demo.generator.shapes import blob, merge_small_parts, polygon_parts
from etl.demo.generator.sosi import sosi_document, sosi_header, sosi_ident
from etl.demo.generator.tettsteder import Tettsted
from etl.demo.generator.topology import Flate, build_topology
from etl.demo.generator.world import World, offset
from etl.demo.generator.writers import write_gpkg, write_text

FARMLAND = [  # place, dx, dy, radius: cultivated landscapes (fictional extent)
    ("Røyken sentrum (Midtbygda)", 700, -300, 1400),
    ("E134 Kjekstad", -300, -100, 1200),
    ("Spikkestad", 500, -1000, 900),
    ("Heggedal", -1000, -200, 700),
    ("Sætre", -300, -500, 1300),
    ("Sætre", -1700, 400, 800),
    ("E134 Verpen (Hurum)", -400, 600, 900),
    ("Tofte", -1000, 1200, 900),
    ("Filtvet", -400, 700, 700),
    ("Holmsbu", 600, 600, 800),
    ("Holmsbu", 1500, 5400, 1200),
]


@dataclass
class Ar5Polygon:
    geom: Polygon
    arealtype: int
    treslag: int
    skogbonitet: int
    grunnforhold: int


def _ar5_attrs(rng: random.Random, arealtype: int) -> tuple[int, int, int]:
    """(treslag, skogbonitet, grunnforhold) in AR5 codes; 98 = ikke relevant."""
    if arealtype == 30:
        return (
            weighted_choice(rng, {31: 50, 32: 20, 33: 30}),
            weighted_choice(rng, {11: 5, 12: 25, 13: 40, 14: 20, 15: 10}),
            weighted_choice(rng, {42: 10, 43: 30, 44: 60}),
        )
    if arealtype == 50:
        return (39, 98, weighted_choice(rng, {42: 60, 43: 40}))
    if arealtype == 60:
        return (39, 98, 45)
    if arealtype in (21, 22, 23):
        return (98, 98, weighted_choice(rng, {44: 85, 45: 15}))
    if arealtype in (11, 12):
        return (98, 98, 46)
    return (98, 98, 98)


def build_ar5(
    world: World, kpa: Kpa, plans: dict[str, PlanLayout], roads: list[Road], tett: list[Tettsted]
) -> list[Ar5Polygon]:
    """A Voronoi tessellation of the southern and western kommune (south of the
    E18): farmland where the plans take land (KPA framtidig næring, Kjekstad,
    the Tofte proposal) so the jordvern analysis has something to find."""
    rng = rng_for("ar5")
    extent = world.land.intersection(box(570000, 6590000, 596000, 6631500))
    farm_zones = shapely.union_all([blob(rng, *offset(world, p, dx, dy), r) for p, dx, dy, r in FARMLAND])
    forced = shapely.union_all(
        [z.geom for z in kpa.designed.values() if z.code == 1300 and z.status == 2]
        + [plans["tofte"].extent, plans["kjekstad"].extent]
    )
    built = shapely.union_all(
        [t.geom for t in tett]
        + [z.geom for z in kpa.designed.values() if z.status == 1 and z.code in (1130, 1300, 2001)]
    )
    for g in (extent, farm_zones, forced, built):
        shapely.prepare(g)
    minx, miny, maxx, maxy = extent.bounds
    seeds: list[Point] = []
    while len(seeds) < 1300:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if extent.contains(p):
            seeds.append(p)
    while len(seeds) < 1650:  # finer pattern in the farmland
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if extent.contains(p) and farm_zones.contains(p):
            seeds.append(p)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=box(minx, miny, maxx, maxy))
    road_area = shapely.union_all(
        [r.geom.buffer(12 if r.vegkategori == "E" else 7, cap_style="flat") for r in roads]
    ).intersection(extent)
    # Node all outlines once on a 1 cm grid and polygonize: an exact partition,
    # with no slivers or overlaps between neighbouring polygons.
    cell_lines = shapely.union_all([c.boundary for c in shapely.get_parts(cells)])
    noded = shapely.union_all(
        [extent.boundary, road_area.boundary, cell_lines.intersection(extent).difference(road_area)],
        grid_size=0.01,
    )
    shapely.prepare(road_area)
    out: list[Ar5Polygon] = []
    for face in polygon_parts(shapely.polygonize(list(shapely.get_parts(noded)))):
        c = face.representative_point()
        if not extent.contains(c):
            continue
        if road_area.contains(c):
            at = 12
        elif face.intersection(forced).area > min(2000, 0.05 * face.area):
            at = weighted_choice(rng, {21: 60, 22: 12, 23: 13, 30: 15})
        elif built.contains(c):
            at = weighted_choice(rng, {11: 85, 30: 15})
        elif farm_zones.contains(c):
            at = weighted_choice(rng, {21: 60, 22: 12, 23: 15, 30: 10, 11: 3})
        else:
            at = weighted_choice(rng, {30: 82, 50: 7, 60: 5, 81: 3, 21: 3})
        out.append(Ar5Polygon(face, at, *_ar5_attrs(rng, at)))
    # Faces of a few m² where outlines nearly meet are below any mapping unit.
    merged = merge_small_parts([(a.geom, {"ar5": a}) for a in out], 100)
    return [
        Ar5Polygon(g, m["ar5"].arealtype, m["ar5"].treslag, m["ar5"].skogbonitet, m["ar5"].grunnforhold)
        for g, m in merged
    ]


def write_ar5(out: Path, ar5: list[Ar5Polygon]) -> None:
    gdf = gpd.GeoDataFrame(
        {
            "arealtype": np.array([a.arealtype for a in ar5], dtype="int32"),
            "treslag": np.array([a.treslag for a in ar5], dtype="int32"),
            "skogbonitet": np.array([a.skogbonitet for a in ar5], dtype="int32"),
            "grunnforhold": np.array([a.grunnforhold for a in ar5], dtype="int32"),
        },
        geometry=[a.geom for a in ar5],
        crs=UTM_CRS,
    )
    write_gpkg(out / "ar5.gpkg", "ar5", gdf)


def write_ar5_sosi(out: Path, kpa: Kpa, ar5: list[Ar5Polygon]) -> None:
    """A 600 m x 600 m AR5 extract near Røyken as SOSI: land cover as FLATEs."""
    c = kpa.designed["Røyken øst"].geom.centroid
    window = box(c.x - 300, c.y - 300, c.x + 300, c.y + 300)
    picked: list[tuple[Polygon, Ar5Polygon]] = []
    for a in ar5:
        if a.geom.intersects(window):
            for p in polygon_parts(a.geom.intersection(window)):
                if p.area > 20:
                    picked.append((p, a))
    topo = build_topology([p for p, _ in picked])

    def attrs(f: Flate) -> list[str]:
        a = picked[f.label][1]
        return [
            "..OBJTYPE ArealressursFlate",
            f"..ARTYPE {a.arealtype}",
            f"..ARTRESLAG {a.treslag}",
            f"..ARSKOGBON {a.skogbonitet}",
            f"..ARGRUNNF {a.grunnforhold}",
            "..DATAFANGSTDATO 20190815",
            '..KARTSTD "AR5"',
            *sosi_ident("ar5", f.point),
        ]

    header = sosi_header(
        charset="UTF-8", bounds=window.bounds, produktspek="FKB-AR5 4.6", comment=[FICTION_NOTE]
    )
    text = sosi_document(
        topo,
        header=header,
        curve_objtypes=("ArealressursGrenseFiktiv", "ArealressursGrense"),
        flate_attrs=attrs,
        outline_attrs=None,
    )
    write_text(out / "ar5_utsnitt.sos", text)
