"""SSB-style tettsteder (urban settlements)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from etl.demo.generator.common import TO_25833, geojson_geometry, reproject, rng_for
from etl.demo.generator.shapes import blob, largest_polygon
from etl.demo.generator.world import World
from etl.demo.generator.writers import feature, write_geojson


@dataclass
class Tettsted:
    nummer: str
    navn: str
    befolkning: int
    geom: BaseGeometry  # EPSG:25832
    workplaces_2024: int  # fictional, Asker part only


TETTSTEDER = [
    # nummer, navn, centre place, radius m, totalBefolkning (fictional), workplaces in Asker 2024
    ("0001", "Oslo", None, 0, 1_068_235, 9_350),
    ("0201", "Asker", "Asker sentrum", 1350, 28_410, 14_550),
    ("0202", "Heggedal", "Heggedal", 800, 6_120, 1_120),
    ("0203", "Vollen", "Vollen", 700, 7_350, 1_380),
    ("0204", "Slemmestad", "Slemmestad", 750, 6_980, 1_730),
    ("0205", "Røyken", "Røyken sentrum (Midtbygda)", 800, 5_730, 2_140),
    ("0206", "Spikkestad", "Spikkestad", 750, 6_410, 820),
    ("0207", "Sætre", "Sætre", 800, 5_260, 1_510),
    ("0208", "Tofte", "Tofte", 550, 2_790, 610),
    ("0209", "Holmsbu", "Holmsbu", 380, 380, 90),
]


def build_tettsteder(world: World) -> list[Tettsted]:
    rng = rng_for("tettsteder")
    mainland = largest_polygon(world.land)
    # Oslo's tettsted runs on into Bærum: the part outside Asker is a box north and
    # east of Billingstad minus Asker itself, so clipping by kommune has work to do.
    x, y = world.xy("Billingstad")
    baerum = box(x - 1500, y + 900, x + 1150, y + 3300).difference(world.land)
    oslo_shape = shapely.union_all(
        [
            blob(rng, *world.xy("Hvalstad stasjon"), 750),
            blob(rng, *world.xy("Billingstad"), 800),
            blob(rng, *world.xy("Holmen"), 650),
            blob(rng, x + 200, y + 1900, 1300),
        ]
    )
    oslo = shapely.union(oslo_shape.intersection(mainland), oslo_shape.intersection(baerum))
    taken = oslo.buffer(60)
    out = [Tettsted("0001", "Oslo", TETTSTEDER[0][4], oslo, TETTSTEDER[0][5])]
    for nummer, navn, centre, radius, pop, work in TETTSTEDER[1:]:
        assert centre is not None
        cx, cy = world.xy(centre)
        if navn == "Asker":
            cx, cy = cx + 350, cy + 350  # Asker tettsted also takes in Vakås and Drengsrud
        g = blob(rng, cx, cy, radius).intersection(world.land).difference(taken)
        g = largest_polygon(g) if navn != "Asker" else g
        out.append(Tettsted(nummer, navn, pop, g, work))
        taken = taken.union(g.buffer(60))
    return out


def write_tettsteder(out: Path, tett: list[Tettsted]) -> None:
    feats = []
    for t in tett:
        g = reproject(t.geom, TO_25833)
        feats.append(
            feature(
                {"tettstednummer": t.nummer, "tettstednavn": t.navn, "totalBefolkning": t.befolkning},
                geojson_geometry(g, 2),
            )
        )
    write_geojson(out / "tettsteder.geojson", feats, crs_urn="urn:ogc:def:crs:EPSG::25833")


def tettsted_name(tett: list[Tettsted], geom: BaseGeometry) -> str:
    p = geom.representative_point()
    for t in tett:
        if t.geom.contains(p):
            return t.navn
    return min(tett[1:], key=lambda t: t.geom.distance(p)).navn
